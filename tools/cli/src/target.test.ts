import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runHerald } from '../test/run-herald';
import { resolveStageTarget } from './target';

const cfn = mockClient(CloudFormationClient);
const cloudWatch = mockClient(CloudWatchClient);
const sqs = mockClient(SQSClient);

afterEach(() => {
  cfn.reset();
  cloudWatch.reset();
  sqs.reset();
});

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/herald-dev-messages';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/herald-dev-messages-dlq';
const ALARMS = [
  'rds-cpu-percent',
  'queue-depth',
  'dlq-depth',
  'oldest-message-age-seconds',
  'alb5xx-percent',
  'alb-p99-latency-seconds',
  'worker-errors',
].map((name) => `herald-dev-${name}`);

function deployedStage(): void {
  const outputs = (pairs: Record<string, string>) => ({
    Stacks: [
      {
        StackName: 'x',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE' as const,
        Outputs: Object.entries(pairs).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
      },
    ],
  });
  cfn
    .on(DescribeStacksCommand, { StackName: 'herald-dev-data' })
    .resolves(
      outputs({
        QueueUrl: QUEUE,
        DeadLetterQueueUrl: DLQ,
        DeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:herald-dev-messages-dlq',
        MetadataTableName: 'herald-dev-metadata',
        AlertsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:herald-dev-alerts',
        OpsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:herald-dev-ops',
      }),
    )
    .on(DescribeStacksCommand, { StackName: 'herald-dev-monitoring' })
    .resolves(outputs({ AlarmNames: ALARMS.join(',') }))
    .on(DescribeStacksCommand, { StackName: 'herald-dev-services' })
    .resolves(outputs({ IngestUrl: 'https://api.example.com' }));
}

const client = () => new CloudFormationClient({ region: 'eu-west-1' });

describe('--stage resolution from CloudFormation outputs', () => {
  it('finds the queues, table, topics and alarm names of the stage', async () => {
    deployedStage();
    const target = await resolveStageTarget('dev', client());
    expect(target).toEqual({
      kind: 'aws',
      label: 'dev',
      region: 'eu-west-1',
      queueUrl: QUEUE,
      dlqUrl: DLQ,
      dlqArn: 'arn:aws:sqs:eu-west-1:123456789012:herald-dev-messages-dlq',
      metadataTable: 'herald-dev-metadata',
      opsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:herald-dev-ops',
      alarmNames: ALARMS,
    });
  });

  it('says which stack is missing', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: 'Stack with id herald-prod-data does not exist',
      }),
    );
    await expect(resolveStageTarget('prod', client())).rejects.toThrow(
      /stack herald-prod-(data|monitoring|services) does not exist: is the stage deployed in this region\?/,
    );
  });

  it('says which output is missing', async () => {
    deployedStage();
    cfn.on(DescribeStacksCommand, { StackName: 'herald-dev-monitoring' }).resolves({ Stacks: [] });
    await expect(resolveStageTarget('dev', client())).rejects.toThrow(
      'stack herald-dev-monitoring has no output AlarmNames',
    );
  });
});

describe('herald --stage dev', () => {
  const deps = { cloudFormation: client };

  it('alarms: DescribeAlarms for exactly the stage alarms, with state, reason and threshold', async () => {
    deployedStage();
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'herald-dev-dlq-depth',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          Period: 60,
        },
      ],
    });
    const run = await runHerald(['--stage', 'dev', '--json', 'alarms'], { deps });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual([
      {
        name: 'herald-dev-dlq-depth',
        state: 'ALARM',
        reason: 'Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).',
        threshold: '> 0 for 1 × 60 s',
        updatedAt: null,
      },
    ]);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual(
      ALARMS,
    );
  });

  it('queue stats: SQS counters plus age, sent and received from CloudWatch', async () => {
    deployedStage();
    sqs.on(GetQueueAttributesCommand, { QueueUrl: QUEUE }).resolves({
      Attributes: {
        ApproximateNumberOfMessages: '12',
        ApproximateNumberOfMessagesNotVisible: '3',
        ApproximateNumberOfMessagesDelayed: '1',
      },
    });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: DLQ }).resolves({
      Attributes: { ApproximateNumberOfMessages: '2' },
    });
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'age', Values: [41, 17] },
        { Id: 'sent', Values: [120, 30] },
        { Id: 'received', Values: [] },
      ],
    });
    const run = await runHerald(['--stage', 'dev', '--json', 'queue', 'stats', '--minutes', '10'], {
      deps,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({
      target: 'dev',
      queue: 'herald-dev-messages',
      deadLetterQueue: 'herald-dev-messages-dlq',
      visible: 12,
      inFlight: 3,
      delayed: 1,
      dlqDepth: 2,
      oldestMessageAgeSeconds: 41,
      windowMinutes: 10,
      sent: 150,
      received: null,
    });
    const query = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(query?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'QueueName', Value: 'herald-dev-messages' },
    ]);
  });

  it('keys needs DATABASE_URL on a stage', async () => {
    const run = await runHerald(['--stage', 'dev', 'keys', 'list'], { deps });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      'herald: keys --stage dev needs DATABASE_URL (a role that may write api_keys)',
    );
  });
});
