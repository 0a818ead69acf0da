// Types of emulator-guard.mjs (plain JavaScript, as the DynamoDB worker thread imports it).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export declare const LOCAL_REGION: string;

/** Random keys for one run of the stack. */
export declare function randomCredentials(): LocalCredentials;

/** Resolves true only for a request signed (SigV4, Authorization header) with `credentials` for `service`. */
export declare function makeVerifier(options: {
  credentials: LocalCredentials;
  service: string;
}): (req: IncomingMessage, body?: Buffer) => Promise<boolean>;

/** Answers `status` (403 unless given) with no body and closes the connection. */
export declare function refuse(res: ServerResponse, status?: number): void;

/** Wraps an emulator's listener so that only signed requests reach it, and no CORS header leaves it. */
export declare function signedOnly(
  listener: RequestListener,
  options: {
    credentials: LocalCredentials;
    service: string;
    bufferBody?: boolean;
    check?: (req: IncomingMessage) => number | undefined;
  },
): RequestListener;
