import { afterAll, describe, expect, it } from 'vitest';
import { STAGES } from '../src/config/stages';
import {
  type CfnTemplate,
  render,
  resourcesOfType,
  type SynthesizedStage,
  synthStage,
} from './support/synth';

const dev = synthStage(STAGES.dev);
const prod = synthStage(STAGES.prod);
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

interface Grant {
  /** `<stack part>/<role logical id>` */
  readonly role: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: Record<string, Record<string, unknown>>;
}

/** Actions AWS only authorizes on `Resource: "*"` (no resource-level permissions exist). */
const STAR_RESOURCE_ALLOWED = new Set(['ecr:GetAuthorizationToken']);

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every identity-policy statement of every role in the stage, attributed to its role. */
function grants(synth: SynthesizedStage): Grant[] {
  return synth
    .all()
    .flatMap(([part, template]) => [
      ...resourcesOfType(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
        (policy.Properties?.Roles as unknown[]).flatMap((role) =>
          statements(policy.Properties?.PolicyDocument).map((statement) =>
            toGrant(`${part}/${render(role).replace(/^\$\{(\w+)\}$/, '$1')}`, statement),
          ),
        ),
      ),
      ...resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id, role]) =>
        ((role.Properties?.Policies ?? []) as { PolicyDocument: unknown }[]).flatMap((inline) =>
          statements(inline.PolicyDocument).map((statement) => toGrant(`${part}/${id}`, statement)),
        ),
      ),
    ]);
}

function statements(document: unknown): Statement[] {
  return (document as { Statement: Statement[] }).Statement;
}

function toGrant(role: string, statement: Statement): Grant {
  expect(statement.Effect).toBe('Allow');
  return {
    role,
    actions: list(statement.Action),
    resources: list(statement.Resource).map(render),
    condition: statement.Condition,
  };
}

function roleId(template: CfnTemplate, prefix: string): string {
  const ids = resourcesOfType(template, 'AWS::IAM::Role')
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

const actionsOf = (all: Grant[], role: string) =>
  all
    .filter((grant) => grant.role === role)
    .flatMap((grant) => grant.actions)
    .sort();

describe.each([
  ['dev', dev],
  ['prod', prod],
] as const)('%s IAM', (_name, synth) => {
  const all = grants(synth);
  const services = synth.json('services');
  const platform = synth.json('platform');
  const role = (part: 'services' | 'platform', template: CfnTemplate, prefix: string) =>
    `${part}/${roleId(template, prefix)}`;

  it('grants no wildcard action anywhere', () => {
    expect(all.length).toBeGreaterThan(10);
    expect(all.flatMap((grant) => grant.actions).filter((action) => action.includes('*'))).toEqual(
      [],
    );
  });

  it('uses Resource "*" only for ecr:GetAuthorizationToken, which has no resource-level permissions', () => {
    const star = all.filter((grant) => grant.resources.includes('*'));
    expect(star.length).toBeGreaterThan(0);
    for (const grant of star)
      expect(grant.actions.every((action) => STAR_RESOURCE_ALLOWED.has(action))).toBe(true);
  });

  it('attaches no managed policy except the one on the CDK default-security-group cleaner', () => {
    const managed = synth
      .all()
      .flatMap(([part, template]) =>
        resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id, r]) =>
          ((r.Properties?.ManagedPolicyArns ?? []) as unknown[]).map(
            (arn) => `${part}/${id} ${render(arn)}`,
          ),
        ),
      );
    expect(managed).toEqual([
      expect.stringMatching(
        /^network\/CustomVpcRestrictDefaultSGCustomResourceProviderRole\w+ .*AWSLambdaBasicExecutionRole$/,
      ),
    ]);
  });

  it('lets ingest send to the queue, read metadata and write only idempotency claims', () => {
    const ingest = role('services', services, 'IngestTaskTaskDefinitionTaskRole');
    expect(actionsOf(all, ingest)).toEqual(
      [
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    const writes = all.find(
      (grant) => grant.role === ingest && grant.actions.includes('dynamodb:PutItem'),
    );
    expect(writes?.condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IDEM#*'] },
    });
    for (const grant of all.filter((g) => g.role === ingest)) {
      expect(grant.resources).toHaveLength(1);
      expect(grant.resources[0]).toMatch(
        grant.actions[0]!.startsWith('sqs') ? /MessagingQueue\w+Arn/ : /MetadataTable\w+Arn/,
      );
    }
  });

  it('lets the worker consume, peek at the DLQ, publish alerts and write statuses and stats', () => {
    const worker = role('services', services, 'WorkerTaskTaskDefinitionTaskRole');
    const byResource = (pattern: RegExp) =>
      all
        .filter((g) => g.role === worker && g.resources.some((r) => pattern.test(r)))
        .flatMap((g) => g.actions)
        .sort();
    expect(byResource(/MessagingQueue\w+Arn/)).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    expect(byResource(/MessagingDeadLetterQueue/)).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    expect(byResource(/MessagingAlertsTopic/)).toEqual(['sns:Publish']);
    expect(byResource(/MessagingTopicKey/)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(byResource(/MetadataTable/)).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const writes = all.find((g) => g.role === worker && g.actions.includes('dynamodb:PutItem'));
    expect(writes?.condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MSG#*', 'CHANNEL#*'] },
    });
    const kms = all.find((g) => g.role === worker && g.actions.includes('kms:Decrypt'));
    expect(kms?.condition).toEqual({
      StringEquals: { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' },
    });
  });

  it('keeps secrets away from the task roles: only execution roles read them, each only its own', () => {
    const readers = all.filter((g) => g.actions.includes('secretsmanager:GetSecretValue'));
    expect(readers.every((g) => /ExecutionRole/.test(g.role))).toBe(true);
    const secretsOf = (prefix: string, template: CfnTemplate, part: 'services' | 'platform') =>
      readers
        .filter((g) => g.role === role(part, template, prefix))
        .flatMap((g) => g.resources)
        .map((r) => r.replace(/^.*(Owner|Writer|Reader)SecretAttachment.*$/, '$1'));
    expect(secretsOf('IngestTaskTaskDefinitionExecutionRole', services, 'services')).toEqual([
      'Reader',
    ]);
    expect(secretsOf('WorkerTaskTaskDefinitionExecutionRole', services, 'services')).toEqual([
      'Writer',
    ]);
    expect(secretsOf('MigrationTaskDefinitionExecutionRole', platform, 'platform').sort()).toEqual([
      'Owner',
      'Reader',
      'Writer',
    ]);
    // Each secret is read whole (ECS picks the JSON keys), with exactly the two actions ECS needs.
    for (const grant of readers)
      expect([...grant.actions].sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
    for (const prefix of ['IngestTaskTaskDefinitionTaskRole', 'WorkerTaskTaskDefinitionTaskRole']) {
      expect(
        actionsOf(all, role('services', services, prefix)).filter((a) =>
          a.startsWith('secretsmanager:'),
        ),
      ).toEqual([]);
    }
  });

  it("lets the worker reach no database secret but the writer's: not the owner's, not the reader's", () => {
    const workerRoles = [
      role('services', services, 'WorkerTaskTaskDefinitionTaskRole'),
      role('services', services, 'WorkerTaskTaskDefinitionExecutionRole'),
    ];
    const workerGrants = all.filter((g) => workerRoles.includes(g.role));
    const secretGrants = workerGrants.filter((g) =>
      g.actions.some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretGrants.flatMap((g) => g.resources)).toEqual([
      expect.stringMatching(/DatabaseWriterSecretAttachment\w+\}$/),
    ]);
    expect(secretGrants.every((g) => g.role === workerRoles[1])).toBe(true);
    const everyResource = workerGrants.flatMap((g) => g.resources).join('\n');
    expect(everyResource).not.toMatch(
      /DatabaseOwnerSecret|DatabaseReaderSecret|db-owner|db-reader/,
    );
  });

  it('lets execution roles pull only the CDK asset repository and write only their log group', () => {
    for (const prefix of [
      'IngestTaskTaskDefinitionExecutionRole',
      'WorkerTaskTaskDefinitionExecutionRole',
    ]) {
      const execution = all.filter((g) => g.role === role('services', services, prefix));
      const pull = execution.find((g) => g.actions.includes('ecr:BatchGetImage'));
      expect(pull?.resources).toEqual([
        expect.stringMatching(/:repository\/cdk-hnb659fds-container-assets-/),
      ]);
      const logs = execution.find((g) => g.actions.includes('logs:PutLogEvents'));
      expect(logs?.resources).toEqual([
        expect.stringMatching(/^\$\{(Ingest|Worker)TaskLogs\w+\.Arn\}$/),
      ]);
    }
  });

  it('lets the pipeline run exactly the migration task in its cluster, and nothing else', () => {
    const runner = role('platform', platform, 'MigrationGithubRunnerRole');
    const runnerGrants = all.filter((g) => g.role === runner);
    expect(runnerGrants.flatMap((g) => g.actions).sort()).toEqual([
      'ecs:DescribeTasks',
      'ecs:RunTask',
      'iam:PassRole',
      'logs:GetLogEvents',
    ]);
    const run = runnerGrants.find((g) => g.actions.includes('ecs:RunTask'));
    expect(run?.resources).toEqual([expect.stringMatching(/^\$\{MigrationTaskDefinition\w+\}$/)]);
    expect(run?.condition).toEqual({
      ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] } },
    });
    const pass = runnerGrants.find((g) => g.actions.includes('iam:PassRole'));
    expect(pass?.condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    expect(
      pass?.resources.every((r) => /MigrationTaskDefinition(Task|Execution)Role/.test(r)),
    ).toBe(true);
    const describe = runnerGrants.find((g) => g.actions.includes('ecs:DescribeTasks'));
    expect(describe?.resources).toEqual([
      `arn:aws:ecs:us-east-1:\${AWS::AccountId}:task/herald-${synth.stage.config.stage}-cluster/*`,
    ]);
  });
});
