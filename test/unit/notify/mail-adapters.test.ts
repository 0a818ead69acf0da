/**
 * The message as sent: MIME built once (headers encoded per RFC 2047), filed in the outbox or sent
 * to SES as raw content. The SES adapter talks to a local HTTP server standing in for the SES API,
 * through the real SDK client.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import PostalMime from 'postal-mime';
import { afterAll, describe, expect, it } from 'vitest';
import { toMime } from '#adapters/mail/mime.js';
import { outboxMailer } from '#adapters/mail/outbox.js';
import { sesMailer } from '#adapters/mail/ses.js';
import type { OutgoingMessage } from '#core/notify/message.js';

const message: OutgoingMessage = {
  kind: 'rejected-rows',
  from: { name: 'Pipeline – Wisconsin', address: 'pipeline@example.org' },
  to: ['admin1@example.org', 'admin2@example.org'],
  subject: '2 rows rejected in rosters/été.csv',
  text: 'line 4, email: (value) is not a valid email address\n',
  html: '<p>line 4</p>',
};

const dir = mkdtempSync(join(tmpdir(), 'iecmh-mail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('toMime', () => {
  it('builds a message a mail client reads back: sender, recipients, encoded subject, text and HTML', async () => {
    const raw = await toMime(message, { date: new Date('2026-06-30T12:00:00Z') });
    // Non-ASCII headers travel encoded (RFC 2047), never as raw 8-bit bytes.
    const headers = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    expect(headers).toMatch(/^Subject: =\?UTF-8\?/m);
    expect([...headers].every((ch) => ch.charCodeAt(0) < 128)).toBe(true);
    const mail = await PostalMime.parse(raw);
    expect(mail.from).toMatchObject({ name: 'Pipeline – Wisconsin', address: 'pipeline@example.org' });
    expect(mail.to?.map((a) => a.address)).toEqual(['admin1@example.org', 'admin2@example.org']);
    expect(mail.subject).toBe(message.subject);
    expect(mail.text?.trimEnd()).toBe(message.text.trimEnd());
    expect(mail.html?.trimEnd()).toBe(message.html);
    expect(mail.date).toBe('2026-06-30T12:00:00.000Z');
    expect(mail.headers.find((h) => h.key === 'x-iecmh-message')?.value).toBe('rejected-rows');
  });
});

describe('outboxMailer', () => {
  it('writes each message to its own .eml file, readable by this user only, named without the subject', async () => {
    const outbox = outboxMailer(join(dir, 'outbox'));
    const first = await outbox.send(message);
    const second = await outbox.send(message);
    expect(first.id).not.toBe(second.id);
    const files = readdirSync(join(dir, 'outbox')).sort();
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f).toMatch(/^\d{4}-\d{2}-\d{2}T\d{6}-\d{3}Z-rejected-rows-[0-9a-f]{6}\.eml$/);
      expect(statSync(join(dir, 'outbox', f)).mode & 0o077).toBe(0);
    }
    expect((await PostalMime.parse(readFileSync(first.id))).subject).toBe(message.subject);
  });
});

describe('sesMailer', () => {
  it('sends the same MIME message as raw content, from the sender to the administrators', async () => {
    const requests: { path?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        requests.push({ path: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ MessageId: 'ses-message-1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new SESv2Client({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      expect(await sesMailer(client).send(message)).toEqual({ id: 'ses-message-1' });
    } finally {
      server.close();
    }
    expect(requests).toHaveLength(1);
    expect(requests[0]?.path).toBe('/v2/email/outbound-emails');
    const sent = JSON.parse(requests[0]?.body ?? '{}');
    expect(sent.FromEmailAddress).toBe('pipeline@example.org');
    expect(sent.Destination).toEqual({ ToAddresses: message.to });
    const mail = await PostalMime.parse(Buffer.from(sent.Content.Raw.Data, 'base64'));
    expect(mail.subject).toBe(message.subject);
    expect(mail.text?.trimEnd()).toBe(message.text.trimEnd());
  });
});
