import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { stageStacks } from '../src/app';
import { STAGES } from '../src/config/stages';
import { synthStage } from './support/synth';

// Both stages with cdk-nag's AwsSolutions pack and CloudFormation validation, as `cdk synth` runs.
// An unacknowledged nag error would make synthStage throw right here.
const dev = synthStage(STAGES.dev, { validate: true });
const prod = synthStage(STAGES.prod, { validate: true });
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

interface Violation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs: { constructPath: string }[];
}

interface Report {
  readonly pluginReports: { pluginName: string; violations: Violation[] }[];
}

/**
 * Messages of one level that synthesis (cdk-nag's aspects included) left on a stack's
 * constructs, as `path: message`. Read from the construct tree, which keeps them after synth:
 * `Annotations.fromStack` would synthesize the whole app again on every call (seconds each with
 * cdk-nag; the per-stack loop timed out at vitest's 5 s on a loaded CI machine).
 */
function annotationsOf(stack: Stack, level: 'error' | 'warning'): string[] {
  return stack.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === `aws:cdk:${level}`)
        .map((entry) => `${construct.node.path}: ${String(entry.data)}`),
    );
}

/** Every acknowledgment in the app: rule id, where, and the reason given. */
function acknowledgments(app: App): { id: string; path: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^\w+::/, ''),
          path: construct.node.path,
          reason,
        })),
      ),
  );
}

describe.each([
  ['dev', dev],
  ['prod', prod],
] as const)('%s with cdk-nag AwsSolutions', (_name, synth) => {
  it('synthesizes with no unacknowledged AwsSolutions error or warning', () => {
    const report = JSON.parse(
      readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8'),
    ) as Report;
    const nag = report.pluginReports
      .filter((plugin) => plugin.pluginName.startsWith('AwsSolutions'))
      .flatMap((plugin) => plugin.violations);
    expect(
      nag.map(
        (violation) =>
          `${violation.ruleName} at ${violation.violatingConstructs.map((c) => c.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    const anyNag = report.pluginReports
      .flatMap((plugin) => plugin.violations)
      .filter((violation) => /AwsSolutions/.test(violation.ruleName));
    expect(anyNag).toEqual([]);
  });

  it('finds nothing when the pack re-checks the tree directly (errors and warnings)', () => {
    expect(new AwsSolutionsChecks().validateScope(synth.app).violations).toEqual([]);
  });

  it('leaves no AwsSolutions annotation on any stack', () => {
    const nag = stageStacks(synth.stage).flatMap((stack) => [
      ...annotationsOf(stack, 'error'),
      ...annotationsOf(stack, 'warning'),
    ]);
    expect(nag.filter((message) => message.includes('AwsSolutions-'))).toEqual([]);
  });

  it('gives every acknowledgment a reason', () => {
    const nagAcks = acknowledgments(synth.app).filter((ack) => ack.id.startsWith('AwsSolutions-'));
    expect(nagAcks.length).toBeGreaterThan(0);
    for (const ack of nagAcks)
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(40);
  });
});

it('warns at synth while prod has no certificate (and only then)', () => {
  // Also proves annotationsOf sees what synthesis annotated.
  expect(annotationsOf(prod.stage.services, 'warning')).toEqual([
    expect.stringContaining('prod serves plain HTTP'),
  ]);
  expect(
    annotationsOf(dev.stage.services, 'warning').filter((m) => m.includes('plain HTTP')),
  ).toEqual([]);
});

it('acknowledges exactly the documented findings (see infra/README.md)', () => {
  const ids = (synth: typeof dev) =>
    [
      ...new Set(
        acknowledgments(synth.app)
          .filter((ack) => ack.id.startsWith('AwsSolutions-'))
          .map((ack) => ack.id.replace(/herald-(dev|prod)-/, 'herald-<stage>-')),
      ),
    ].sort();
  const common = [
    'AwsSolutions-EC23',
    'AwsSolutions-ECS2',
    'AwsSolutions-IAM5[Resource::*]',
    'AwsSolutions-IAM5[Resource::arn:aws:ecs:us-east-1:<AWS::AccountId>:task/herald-<stage>-cluster/*]',
    'AwsSolutions-RDS11',
    'AwsSolutions-S1',
  ];
  expect(ids(prod)).toEqual(common);
  expect(ids(dev)).toEqual([...common, 'AwsSolutions-RDS10', 'AwsSolutions-RDS3'].sort());
});

it('reports violations in this setup (so an empty report means something)', () => {
  const app = new App();
  const stack = new Stack(app, 'Canary');
  new s3.Bucket(stack, 'UnloggedBucket');
  const violations = new AwsSolutionsChecks()
    .validateScope(app)
    .violations.map((violation) => violation.ruleName);
  expect(violations).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
});
