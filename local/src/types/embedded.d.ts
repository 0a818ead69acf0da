// The embedded emulators ship no TypeScript types: just what this project uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Its file store, also on every request's context (s3rver is a Koa application). */
    store: unknown;
    context: { store: unknown };
    /** Koa's request listener; run() passes it to the HTTP server it starts. */
    callback(): import('node:http').RequestListener;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

declare module 's3rver/lib/stores/filesystem.js' {
  /** s3rver's file store: object `<root>/<bucket>/<key>`, multipart parts under `<bucket>/._S3rver_uploads/`. */
  export default class FilesystemStore {
    constructor(rootDirectory: string);
    rootDirectory: string;
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key?: string, resource?: string): string;
    initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void>;
    putPart(bucket: string, uploadId: string, partNumber: unknown, content: unknown): Promise<unknown>;
    putObjectMultipart(bucket: string, uploadId: string, parts: unknown): Promise<unknown>;
  }
}

declare module 's3rver/lib/models/account.js' {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  }
  /** The key pairs s3rver knows, all of one account; it checks V2 signatures only (V4 ones pass on the key id). */
  const accounts: { DUMMY_ACCOUNT: AWSAccount };
  export default accounts;
}
