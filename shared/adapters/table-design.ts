/**
 * Names and limits shared by the CDK stack, the functions, the embedded stack and the stores: the single
 * DynamoDB table's key design and the layout of the two buckets. Declared once, here, so the permissions
 * the stack grants name the same keys the code reads and writes.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Default table name on the embedded stack (in AWS the stack names it and passes TABLE_NAME). */
export const LOCAL_TABLE_NAME = 'iecmh-pipeline';
export const LOCAL_UPLOADS_BUCKET = 'iecmh-uploads';
export const LOCAL_REPORTS_BUCKET = 'iecmh-reports';

/** Key prefixes in the uploads (administrators') bucket. */
export const UPLOAD_PREFIXES = ['applicants/', 'rosters/', 'rsc/', 'endorsements/', 'trainings/'] as const;
export const RECEIPTS_PREFIX = 'receipts/';
export const ADMIN_PREFIX = 'admin/';
/** The evaluation export in the uploads bucket; writing it rebuilds the reports. */
export const ELIGIBILITY_KEY = `${ADMIN_PREFIX}eligibility.csv`;

/** Dated runs in the reports bucket, one folder per as-of date; a rerun on the same date replaces it. */
export const RUNS_PREFIX = 'reports/';
/** The run of the most recent as-of date, copied whole so policymakers have one stable place to fetch. */
export const LATEST_PREFIX = 'latest/';
/** Every prefix of the reports bucket: what the reports builder writes and the reports API reads. */
export const REPORT_PREFIXES = [RUNS_PREFIX, LATEST_PREFIX] as const;
/** The reports site's index at the bucket's root, listing the releases; the publisher rewrites it after each run. */
export const SITE_INDEX_KEY = 'index.html';

/** Reports are fetched through links that must not outlive a short session: at most 15 minutes. */
export const MAX_LINK_EXPIRY_SECONDS = 900;
