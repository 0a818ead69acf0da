/** Lambda entry point of the web API's people routes (administrators only). */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { RESOURCE_NAME, readEnv } from '../commons/env.js';
import type { EraseResponse } from '../erase/erase-handler.js';
import { erasureSummary, makeWebPeopleHandler } from './people-routes.js';

const env = readEnv({ TABLE_NAME: RESOURCE_NAME, ERASE_FUNCTION_NAME: z.string().min(1) });
const lambda = new LambdaClient({});

export const handler = makeWebPeopleHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  // The erasure function does the work with its own permissions; this one may only invoke it.
  erase: async (personIds) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: env.ERASE_FUNCTION_NAME,
        Payload: new TextEncoder().encode(JSON.stringify({ personIds })),
      }),
    );
    const text = new TextDecoder().decode(out.Payload ?? new Uint8Array());
    if (out.FunctionError) throw new Error(`the erasure function failed: ${out.FunctionError}`);
    return erasureSummary(JSON.parse(text) as EraseResponse);
  },
});
