/**
 * The CDK app (`cdk.json` → `npx tsx bin/herald.ts`). Synthesizes every stage, or one with
 * `-c stage=dev|prod`, and runs cdk-nag's AwsSolutions checks over all of it.
 */
import { App } from 'aws-cdk-lib';
import { addNagChecks, addStage } from '../src/app';
import { STAGES } from '../src/config/stages';
import type { StageName } from '../src/config/types';

const app = new App();
const only: unknown = app.node.tryGetContext('stage');
const names = Object.keys(STAGES) as StageName[];
if (only !== undefined && !names.includes(only as StageName)) {
  throw new Error(`-c stage=${JSON.stringify(only)}: expected one of ${names.join(', ')}`);
}
for (const name of names.filter((stage) => only === undefined || stage === only))
  addStage(app, STAGES[name]);
addNagChecks(app);
app.synth();
