/** Lambda entry point of the web API's people routes (administrators only). */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { RESOURCE_NAME, readEnv } from '../commons/env.js';
import { makeWebPeopleHandler } from './people-routes.js';

const env = readEnv({ TABLE_NAME: RESOURCE_NAME, ERASE_FUNCTION_NAME: z.string().min(1) });
const lambda = new LambdaClient({});

export const handler = makeWebPeopleHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  // The erasure function does the work with its own permissions; this one may only invoke it. It
  // runs on its own (an Event invocation): an erasure can take minutes, the API answers within 30 s.
  erase: async (personIds) => {
    await lambda.send(
      new InvokeCommand({
        FunctionName: env.ERASE_FUNCTION_NAME,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ personIds })),
      }),
    );
    return 'started' as const;
  },
});
