// The door in front of the embedded DynamoDB (dynalite) and S3 (s3rver). Neither emulator checks
// who is asking: dynalite answers any request and tells browsers any origin may read it, s3rver
// treats an unsigned request as an allowed anonymous one. The contract (README, "For engineers")
// says no port of the local stack answers a request that lacks this run's credentials, so every
// request is let through only if its Authorization header is an AWS SigV4 signature, recomputed
// here with the same signer the SDK uses, made with the random keys of this run. Everything else
// gets 403 with no body: unsigned, other keys, presigned query strings, CORS preflights.
// Plain JavaScript: the DynamoDB worker thread imports it too, and workers start without tsx.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';

/** The region every local client signs for (shared/adapters/clients.ts). */
export const LOCAL_REGION = 'us-east-1';

/** A signature older or newer than this is refused, as AWS does: an overheard request is not replayable for long. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** dynalite's own limit on a request body (node_modules/dynalite/index.js, MAX_REQUEST_BYTES). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** node:crypto behind the interface @smithy/signature-v4 hashes with (a secret makes it an HMAC). */
class Sha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data) {
    this.hash.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** Random keys for one run of the stack: nothing outside this process (and what it hands them to) can sign. */
export function randomCredentials() {
  return {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/**
 * The query string as the SDK built it: `key=value` pairs decoded; a bare `key` is a null value,
 * which the signer leaves out of the canonical query (as @smithy/signature-v4 does). Throws on
 * malformed percent-encoding.
 */
function parseQuery(search) {
  const query = {};
  if (!search) return query;
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? null : decodeURIComponent(part.slice(eq + 1));
    const before = query[key];
    if (before === undefined) query[key] = value;
    else if (Array.isArray(before)) before.push(value);
    else query[key] = [before, value];
  }
  return query;
}

/**
 * Checks a request's SigV4 Authorization header against this run's credentials. `body` is the
 * whole body when the caller buffered it (then the payload hash is computed from it), else the
 * signed `x-amz-content-sha256` header is the payload hash. Resolves true only for a valid signature.
 */
export function makeVerifier({ credentials, service }) {
  // S3 signs the path as sent; other services sign it normalised and encoded once more.
  const signer = new SignatureV4({
    credentials,
    region: LOCAL_REGION,
    service,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
  const expectedKey = Buffer.from(credentials.accessKeyId);
  return async function verify(req, body) {
    const auth = AUTHORIZATION.exec(req.headers.authorization ?? '');
    const amzDate = AMZ_DATE.exec(req.headers['x-amz-date'] ?? '');
    if (!auth || !amzDate) return false;
    const [, keyId, scopeDate, region, scopeService, signedList, signature] = auth;
    const key = Buffer.from(keyId);
    if (key.length !== expectedKey.length || !timingSafeEqual(key, expectedKey)) return false;
    if (region !== LOCAL_REGION || scopeService !== service || scopeDate !== amzDate[0].slice(0, 8)) return false;
    const [, y, mo, d, h, mi, s] = amzDate;
    const signingDate = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
    if (!(Math.abs(Date.now() - signingDate.getTime()) <= MAX_CLOCK_SKEW_MS)) return false;

    const signed = signedList.split(';');
    if (!signed.includes('host') || !signed.includes('x-amz-date')) return false;
    const headers = {};
    for (const name of signed) {
      const value = req.headers[name];
      if (typeof value !== 'string') return false;
      headers[name] = value;
    }
    const declared = req.headers['x-amz-content-sha256'];
    if (body === undefined) {
      // Without the body the declared hash is what is signed; a streamed (chunk-signed) body is never sent by the local clients.
      if (!signed.includes('x-amz-content-sha256')) return false;
      if (declared !== 'UNSIGNED-PAYLOAD' && !HEX_SHA256.test(declared)) return false;
    } else if (declared !== undefined) {
      // A declared hash must be the body's, or a signed header would vouch for another body.
      if (declared !== createHash('sha256').update(body).digest('hex')) return false;
    }

    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let query;
    try {
      query = parseQuery(q < 0 ? '' : url.slice(q + 1));
    } catch {
      return false;
    }
    // Only method, path, query, the signed headers (host among them) and the payload enter a signature.
    const path = q < 0 ? url : url.slice(0, q);
    const request = { method: req.method, protocol: 'http:', hostname: '', path, query, headers, body };
    const recomputed = await signer.sign(request, { signingDate });
    const again = AUTHORIZATION.exec(recomputed.headers.authorization);
    if (!again || again[5] !== signedList) return false;
    return timingSafeEqual(Buffer.from(again[6]), Buffer.from(signature));
  };
}

/** 403, no body, and the connection closed: nothing of the emulator's answer, nor time spent reading a body. */
export function refuse(res, status = 403) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'content-length': '0', connection: 'close' });
  res.end();
}

/** No access-control-* header ever leaves: browsers then keep every other origin's page from reading an answer. */
function withoutCorsHeaders(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    for (const name of this.getHeaderNames()) if (name.startsWith('access-control-')) this.removeHeader(name);
    const last = rest.at(-1);
    if (last && typeof last === 'object' && !Array.isArray(last)) {
      rest[rest.length - 1] = Object.fromEntries(
        Object.entries(last).filter(([name]) => !name.toLowerCase().startsWith('access-control-')),
      );
    }
    return writeHead.call(this, status, ...rest);
  };
}

/** A request whose body was read here, handed on so that the emulator reads it as it would the original. */
function replayed(req, body) {
  const copy = new PassThrough();
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.socket = req.socket;
  copy.end(body);
  return copy;
}

/**
 * Wraps an emulator's request listener: only requests signed with `credentials` for `service`
 * reach it. `bufferBody` reads the (small) body first so its hash is checked too (DynamoDB);
 * without it the signed `x-amz-content-sha256` header stands for the body (S3, whose objects
 * are streamed). `check(req)` may refuse a signed request with a status (S3 keys, see s3-keys.ts).
 */
export function signedOnly(listener, { credentials, service, bufferBody = false, check }) {
  const verify = makeVerifier({ credentials, service });
  return function guarded(req, res) {
    withoutCorsHeaders(res);
    const url = req.url ?? '';
    // Preflights are never signed; presigned query strings are links, and no link is handed out.
    if (req.method === 'OPTIONS' || /[?&]x-amz-(signature|credential|algorithm)=/i.test(url)) return refuse(res);
    const fail = (err) => {
      process.emitWarning(`embedded ${service}: ${err?.stack ?? err}`);
      refuse(res, 500);
    };
    const pass = (request, body) =>
      verify(request, body).then((ok) => {
        if (!ok) return refuse(res);
        const status = check?.(request);
        if (status) return refuse(res, status);
        listener(body === undefined ? request : replayed(request, body), res);
      }, fail);
    if (!bufferBody) return void pass(req, undefined);
    const chunks = [];
    let length = 0;
    req.on('data', (chunk) => {
      length += chunk.length;
      if (length > MAX_BUFFERED_BYTES) {
        req.removeAllListeners('data');
        refuse(res, 413);
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (length <= MAX_BUFFERED_BYTES) pass(req, Buffer.concat(chunks, length));
    });
    req.on('error', () => res.destroy());
  };
}
