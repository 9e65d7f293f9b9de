import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Command, InvalidArgumentError } from 'commander';
import { contextOf, emit, type CliContext, type CliDeps } from '../context';
import { CliError } from '../errors';
import { formatTable } from '../io';
import { displayQueue, type Target } from '../target';

/** `herald queue stats` as JSON. Fields a source cannot tell are null. */
export interface QueueStats {
  readonly target: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly dlqDepth: number;
  readonly oldestMessageAgeSeconds: number | null;
  readonly windowMinutes: number;
  readonly sent: number | null;
  readonly received: number | null;
}

async function counts(context: CliContext, url: string) {
  const sqs = await context.sqs();
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** Locally the edge computes the oldest message's age; it keeps no sent/received history. */
async function localExtras(target: Target) {
  const response = await fetch(`${target.endpoint ?? ''}/_herald/queues`);
  if (!response.ok)
    throw new CliError(`the edge answered ${String(response.status)} on /_herald/queues`);
  const { queues } = (await response.json()) as {
    queues: { name: string; oldestMessageAgeSeconds: number }[];
  };
  const row = queues.find((queue) => queue.name === displayQueue(target.queueUrl));
  return {
    oldestMessageAgeSeconds: row?.oldestMessageAgeSeconds ?? null,
    sent: null,
    received: null,
  };
}

/** On AWS, CloudWatch's SQS metrics over the window (they lag by a minute or so). */
async function cloudWatchExtras(context: CliContext, target: Target, minutes: number) {
  const cloudWatch = await context.cloudWatch();
  const queueName = displayQueue(target.queueUrl);
  const query = (id: string, metric: string, stat: string): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/SQS',
        MetricName: metric,
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
      },
      Period: minutes * 60,
      Stat: stat,
    },
  });
  const end = new Date();
  const { MetricDataResults = [] } = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - minutes * 60_000),
      EndTime: end,
      MetricDataQueries: [
        query('age', 'ApproximateAgeOfOldestMessage', 'Maximum'),
        query('sent', 'NumberOfMessagesSent', 'Sum'),
        query('received', 'NumberOfMessagesReceived', 'Sum'),
      ],
    }),
  );
  const value = (id: string) => {
    const values = MetricDataResults.find((result) => result.Id === id)?.Values ?? [];
    return values.length === 0
      ? null
      : values.reduce((a, b) => (id === 'age' ? Math.max(a, b) : a + b), 0);
  };
  return {
    oldestMessageAgeSeconds: value('age'),
    sent: value('sent'),
    received: value('received'),
  };
}

/** Reads every figure of `herald queue stats`. */
export async function readQueueStats(context: CliContext, minutes: number): Promise<QueueStats> {
  const target = await context.target();
  const [main, dlq, extras] = await Promise.all([
    counts(context, target.queueUrl),
    counts(context, target.dlqUrl),
    target.kind === 'local' ? localExtras(target) : cloudWatchExtras(context, target, minutes),
  ]);
  return {
    target: target.label,
    queue: displayQueue(target.queueUrl),
    deadLetterQueue: displayQueue(target.dlqUrl),
    ...main,
    dlqDepth: dlq.visible,
    windowMinutes: minutes,
    ...extras,
  };
}

function renderStats(stats: QueueStats): string {
  const shown = (value: number | null, unit = '') =>
    value === null ? 'n/a' : `${String(value)}${unit}`;
  return formatTable(
    ['', stats.queue],
    [
      ['visible', stats.visible],
      ['in flight', stats.inFlight],
      ['delayed', stats.delayed],
      [`DLQ depth (${stats.deadLetterQueue})`, stats.dlqDepth],
      ['oldest message age', shown(stats.oldestMessageAgeSeconds, ' s')],
      [`sent, last ${String(stats.windowMinutes)} min`, shown(stats.sent)],
      [`received, last ${String(stats.windowMinutes)} min`, shown(stats.received)],
    ],
  );
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1');
  return parsed;
}

/** `herald queue stats`. */
export function queueCommand(deps: CliDeps): Command {
  return new Command('queue').description('the message queue').addCommand(
    new Command('stats')
      .description(
        'visible, in flight, delayed, DLQ depth, age of the oldest message; sent/received from CloudWatch on AWS',
      )
      .option('--minutes <n>', 'window for sent/received (AWS)', positiveInteger, 5)
      .action(async (options: { minutes: number }, command: Command) => {
        const context = contextOf(deps, command);
        try {
          emit(context, await readQueueStats(context, options.minutes), renderStats);
        } finally {
          context.close();
        }
      }),
  );
}
