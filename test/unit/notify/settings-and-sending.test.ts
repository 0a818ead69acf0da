/**
 * The notification settings (config/notifications.json) and the rules around sending: a failed
 * rejected-rows email never fails the ingest, and the digest compares with what the last digest sent saw.
 */
import { describe, expect, it } from 'vitest';
import type { Receipt } from '#core/ingest/ingest.js';
import type { Mailer, OutgoingMessage } from '#core/notify/message.js';
import { defaultNotificationSettings, parseNotificationSettings } from '#core/notify/settings.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { notifyRejectedRows, type ReceiptNotifier } from '#services/notify-receipt.js';
import { standingBefore } from '#services/weekly-digest.js';

describe('notification settings', () => {
  it('ships valid defaults', () => {
    const s = defaultNotificationSettings();
    expect(s.administrators.length).toBeGreaterThan(0);
    expect(s.digest.schedule).toMatch(/^cron\(/);
  });

  it('refuses a bad sender, a repeated administrator and a schedule that is not a Scheduler cron, naming each', () => {
    const bad = {
      ...defaultNotificationSettings(),
      sender: { name: 'Pipeline', address: 'not an address' },
      administrators: ['a@example.org', 'A@example.org'],
      digest: { schedule: 'every monday', maxPeopleListed: 50 },
    };
    const refusal = (() => {
      try {
        parseNotificationSettings(bad, 'test');
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(refusal).toMatch(/^notification settings test are invalid/);
    for (const where of ['at sender.address', 'at administrators', 'at digest.schedule'])
      expect(refusal).toContain(where);
  });
});

const receipt: Receipt = {
  file: 'spring.csv',
  kind: 'rosters',
  rows: 3,
  accepted: 2,
  rejected: 1,
  errors: [{ line: 3, column: 'hours', message: 'is required but empty' }],
  warnings: [],
  unusable: false,
};
const outcome = (over: Partial<IngestOutcome> = {}): IngestOutcome => ({
  kind: 'rosters',
  change: 'ingested',
  receipt,
  receiptKey: 'receipts/rosters/spring.csv.json',
  writes: { items: 2, requests: 1, retries: 0 },
  pending: 'CHANGE#rosters/spring.csv#v1',
  reach: { personIds: [], everyone: false },
  forgotten: 0,
  ...over,
});

function notifier(mailer: Mailer, logged: [string, Record<string, unknown> | undefined][]): ReceiptNotifier {
  return {
    mailer,
    from: { name: 'Pipeline', address: 'pipeline@example.org' },
    to: ['admin@example.org'],
    maxRowsListed: 20,
    whereToRead: ({ receiptKey }) => [receiptKey],
    log: (message, data) => void logged.push([message, data]),
  };
}

describe('notifyRejectedRows', () => {
  it('sends one email to the administrators for a receipt with rejected rows, naming the upload by its key', async () => {
    const sent: OutgoingMessage[] = [];
    const logged: [string, Record<string, unknown> | undefined][] = [];
    const mailer: Mailer = {
      send: async (m) => {
        sent.push(m);
        return { id: 'm1' };
      },
    };
    expect(await notifyRejectedRows(notifier(mailer, logged), outcome())).toEqual({ sent: 'm1' });
    expect(sent.map((m) => [m.subject, m.to])).toEqual([
      ['1 row rejected in rosters/spring.csv', ['admin@example.org']],
    ]);
    expect(sent[0]?.text).toContain('receipts/rosters/spring.csv.json');
  });

  it('sends nothing for a withdrawal or a clean file', async () => {
    const mailer: Mailer = {
      send: async () => {
        throw new Error('should not send');
      },
    };
    expect(await notifyRejectedRows(notifier(mailer, []), outcome({ change: 'withdrawn' }))).toBe('not needed');
    const clean = { ...receipt, rejected: 0, errors: [] };
    expect(await notifyRejectedRows(notifier(mailer, []), outcome({ receipt: clean }))).toBe('not needed');
  });

  it('never throws when sending fails, and logs the error name without the provider message (it may quote addresses)', async () => {
    const logged: [string, Record<string, unknown> | undefined][] = [];
    const failing: Mailer = {
      send: async () => {
        throw Object.assign(new Error('Email address is not verified: admin@example.org'), {
          name: 'MessageRejected',
        });
      },
    };
    expect(await notifyRejectedRows(notifier(failing, logged), outcome())).toBe('failed');
    expect(logged).toEqual([
      ['rejected-rows email NOT sent; the receipt is written', { key: 'rosters/spring.csv', error: 'MessageRejected' }],
    ]);
  });
});

describe('standingBefore', () => {
  const mark = {
    run: 'r2',
    now: { eligible: true, atRisk: false },
    before: { eligible: false, atRisk: false },
  };
  it("is the mark's standing now when its run's digest was sent, else what that run compared with", () => {
    expect(standingBefore(mark, { run: 'r2', asOf: '2026-06-30', sentAt: '' })).toEqual(mark.now);
    // r2's email never went out: the next digest compares with what r2 compared with.
    expect(standingBefore(mark, { run: 'r1', asOf: '2026-06-23', sentAt: '' })).toEqual(mark.before);
    expect(standingBefore(undefined, { run: 'r1', asOf: '2026-06-23', sentAt: '' })).toEqual({
      eligible: false,
      atRisk: false,
    });
  });
});
