import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DEPLOYMENT_CONTEXT_KEY, DEPLOYMENT_ENV_VAR, loadConfig } from './config.js';
import { PipelineStack } from './stack.js';

// The deployment is chosen once: `cdk synth -c deployment=prod`, else IECMH_DEPLOYMENT, else dev.
const app = new App();
const deployment =
  (app.node.tryGetContext(DEPLOYMENT_CONTEXT_KEY) as string | undefined) ?? process.env[DEPLOYMENT_ENV_VAR] ?? 'dev';
const config = loadConfig(deployment, process.env.ALARM_EMAIL ? { alarmEmail: process.env.ALARM_EMAIL } : {});

new PipelineStack(app, config.stackName, {
  config,
  description: `IECMH Endorsement data pipeline (${config.deployment})`,
  ...(config.account || config.region ? { env: { account: config.account, region: config.region } } : {}),
  tags: { project: 'iecmh-endorsement-pipeline', deployment: config.deployment },
});

// Synth fails on any AwsSolutions or NIST 800-53 rev 5 finding that is not acknowledged next to the
// resource it concerns.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
