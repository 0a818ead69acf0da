/** The renewal job: run daily by EventBridge Scheduler (`{}` or `{ "asOf": "YYYY-MM-DD" }`). */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { type RenewalDeps, type RenewalSummary, renewalsAll } from '../../shared/services/renewals-all.js';
import { todayIn } from '../commons/dates.js';
import { logger } from '../commons/logger.js';

const Event = z.object({ asOf: z.iso.date().optional() }).loose();

export function makeRenewalsHandler(deps: RenewalDeps) {
  return middy<unknown, RenewalSummary, Error, Context>().handler(async (event) => {
    const asOf = Event.parse(event ?? {}).asOf ?? todayIn();
    const summary = await renewalsAll(deps, asOf);
    logger.info('renewals computed', { ...summary });
    return summary;
  });
}
