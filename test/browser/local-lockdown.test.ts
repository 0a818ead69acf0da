/**
 * A page from another local origin cannot read the embedded stack. A tester's page on another
 * port read every applicant's name from dynalite with fetch(): dynalite answered its CORS
 * preflight with `Access-Control-Allow-Origin: *` and took any Authorization header. Here the
 * same page runs in headless Chromium against a started stack, beside a control server that does
 * allow any origin, so the test shows the browser would read what it is allowed to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county',
  'B1,Browsername,Ln,b1@example.org,IFA,bachelor,30,Dane',
].join('\r\n');

let stack: TestStack;
let browser: Browser;
/** The attacker's page: another origin on this machine (127.0.0.1, another port). */
let attacker: Server;
/** A server that lets any origin read it: what a readable answer looks like to that page. */
let control: Server;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  stack = await startTestStack();
  await stack.ingest({ 'applicants/applicants.csv': APPLICANTS });
  await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'admin/eligibility.csv', Body: 'B1,Browsername\r\n' }),
  );
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>another local site</title><p>hello</p>');
  });
  control = createServer((req, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, POST',
      'content-type': 'application/json',
    });
    res.end(req.method === 'OPTIONS' ? undefined : '{"Items":[{"first_name":{"S":"Readable"}}]}');
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
  await new Promise((resolve) => control?.close(resolve));
  await stack?.destroy();
});

describe('a page of another local origin in headless Chromium', () => {
  it('cannot read DynamoDB or S3 with fetch(), preflighted or not, though it reads a server that allows it', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(await listen(attacker));
    const targets = {
      dynamodb: stack.endpoints.dynamodb,
      s3: `${stack.endpoints.s3}/${stack.uploadsBucket}/admin/eligibility.csv`,
      control: await listen(control),
      table: stack.tableName,
    };

    // Act: what the tester's page did, and a request simple enough to need no preflight.
    const results = await page.evaluate(async (t) => {
      const attempt = async (url: string, init: RequestInit) => {
        try {
          const res = await fetch(url, init);
          return `read ${res.status}: ${await res.text()}`;
        } catch (err) {
          return `blocked: ${(err as Error).name}`;
        }
      };
      const scan = (url: string) =>
        attempt(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'DynamoDB_20120810.Scan',
            'x-amz-date': '20260101T000000Z',
            authorization:
              'AWS4-HMAC-SHA256 Credential=S3RVER/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
          },
          body: JSON.stringify({ TableName: t.table }),
        });
      return {
        preflightedScan: await scan(t.dynamodb),
        simpleScan: await attempt(t.dynamodb, { method: 'POST', body: JSON.stringify({ TableName: t.table }) }),
        s3Get: await attempt(t.s3, {}),
        controlScan: await scan(t.control),
      };
    }, targets);

    // Assess
    expect(results.controlScan).toBe('read 200: {"Items":[{"first_name":{"S":"Readable"}}]}');
    expect(results).toMatchObject({
      preflightedScan: 'blocked: TypeError',
      simpleScan: 'blocked: TypeError',
      s3Get: 'blocked: TypeError',
    });
    expect(JSON.stringify(results)).not.toContain('Browsername');
    await page.close();
  });
});
