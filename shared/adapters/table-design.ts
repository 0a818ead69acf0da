/** The single DynamoDB table's key design, shared by the CDK stack, the embedded stack and the stores. */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Default table name on the embedded stack (in AWS the stack names it and passes TABLE_NAME). */
export const LOCAL_TABLE_NAME = 'iecmh-pipeline';
export const LOCAL_UPLOADS_BUCKET = 'iecmh-uploads';
export const LOCAL_REPORTS_BUCKET = 'iecmh-reports';

/** Key prefixes in the uploads (administrators') bucket. */
export const UPLOAD_PREFIXES = ['applicants/', 'rosters/', 'rsc/', 'endorsements/'] as const;
export const RECEIPTS_PREFIX = 'receipts/';
export const ADMIN_PREFIX = 'admin/';
