import { afterAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS, type AlarmName } from '@herald/config';
import { STAGES } from '../src/config/stages';
import { onlyResource, render, resourcesOfType, synthStage } from './support/synth';

const prod = synthStage(STAGES.prod);
afterAll(() => {
  prod.cleanup();
});

const monitoring = prod.json('monitoring');
const alarms = new Map(
  resourcesOfType(monitoring, 'AWS::CloudWatch::Alarm').map(([, alarm]) => [
    String(alarm.Properties?.AlarmName),
    alarm.Properties ?? {},
  ]),
);

interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    Metric: { MetricName: string; Namespace: string };
    Period: number;
    Stat: string;
  };
}

/** What each alarm must watch: namespace, metric, statistic, and the dimension that names the resource. */
const WATCHES: Readonly<
  Record<Exclude<AlarmName, 'alb5xxPercent'>, [string, string, string, RegExp]>
> = {
  rdsCpuPercent: ['AWS/RDS', 'CPUUtilization', 'Average', /DatabasePostgres/],
  queueDepth: [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    'Maximum',
    /MessagingQueue\w+QueueName/,
  ],
  dlqDepth: [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    'Maximum',
    /MessagingDeadLetterQueue\w+QueueName/,
  ],
  oldestMessageAgeSeconds: [
    'AWS/SQS',
    'ApproximateAgeOfOldestMessage',
    'Maximum',
    /MessagingQueue\w+QueueName/,
  ],
  albP99LatencySeconds: ['AWS/ApplicationELB', 'TargetResponseTime', 'p99', /IngestTargets/],
  workerErrors: ['Herald/prod', 'WorkerErrors', 'Sum', /^$/],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

describe('alarms', () => {
  it('exist once per ALARM_THRESHOLDS entry, and no more', () => {
    expect([...alarms.keys()].sort()).toEqual(
      Object.keys(ALARM_THRESHOLDS)
        .map((name) => `herald-prod-${kebab(name)}`)
        .sort(),
    );
  });

  describe.each(
    Object.entries(ALARM_THRESHOLDS) as [AlarmName, (typeof ALARM_THRESHOLDS)[AlarmName]][],
  )('%s', (name, threshold) => {
    const alarm = alarms.get(`herald-prod-${kebab(name)}`) ?? {};

    it(`fires when > ${threshold.threshold} for ${threshold.evaluationPeriods} × ${threshold.periodSeconds} s`, () => {
      expect(alarm).toMatchObject({
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: threshold.threshold,
        EvaluationPeriods: threshold.evaluationPeriods,
        DatapointsToAlarm: threshold.evaluationPeriods,
        TreatMissingData: 'notBreaching',
      });
      const period =
        alarm.Period ??
        (alarm.Metrics as MetricQuery[] | undefined)?.find((query) => query.MetricStat)?.MetricStat
          ?.Period;
      expect(period).toBe(threshold.periodSeconds);
    });

    it('notifies the ops topic on ALARM and on OK', () => {
      for (const actions of [alarm.AlarmActions, alarm.OKActions]) {
        expect((actions as unknown[]).map(render)).toEqual([
          expect.stringMatching(/^\$\{herald-prod-data:PublishOutputRefMessagingOpsTopic\w+\}$/),
        ]);
      }
    });

    if (name !== 'alb5xxPercent') {
      it('watches the right metric of the right resource', () => {
        const [namespace, metric, statistic, dimension] = WATCHES[name];
        expect([
          alarm.Namespace,
          alarm.MetricName,
          alarm.Statistic ?? alarm.ExtendedStatistic,
        ]).toEqual([namespace, metric, statistic]);
        const dimensions = ((alarm.Dimensions ?? []) as { Value: unknown }[])
          .map((d) => render(d.Value))
          .join(' ');
        expect(dimensions).toMatch(dimension);
      });
    }
  });

  it('computes the ALB 5xx rate as a percentage of requests', () => {
    const queries = alarms.get('herald-prod-alb5xx-percent')?.Metrics as MetricQuery[];
    expect(queries.find((query) => query.Expression)?.Expression).toBe(
      '100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests',
    );
    expect(
      queries
        .filter((query) => query.MetricStat)
        .map((query) => [query.Id, query.MetricStat?.Metric.MetricName, query.MetricStat?.Stat])
        .sort(),
    ).toEqual([
      ['elb5xx', 'HTTPCode_ELB_5XX_Count', 'Sum'],
      ['requests', 'RequestCount', 'Sum'],
      ['target5xx', 'HTTPCode_Target_5XX_Count', 'Sum'],
    ]);
  });
});

describe('error-log metrics', () => {
  it('count worker (and ingest) JSON log lines at pino level >= 50', () => {
    const filters = resourcesOfType(monitoring, 'AWS::Logs::MetricFilter').map(
      ([, filter]) => filter.Properties ?? {},
    );
    const worker = filters.find((filter) => render(filter.LogGroupName).includes('WorkerTaskLogs'));
    expect(worker).toMatchObject({
      FilterPattern: '{ $.level >= 50 }',
      MetricTransformations: [
        {
          MetricName: 'WorkerErrors',
          MetricNamespace: 'Herald/prod',
          MetricValue: '1',
          DefaultValue: 0,
          Unit: 'Count',
        },
      ],
    });
    expect(
      filters.find((filter) => render(filter.LogGroupName).includes('IngestTaskLogs'))
        ?.FilterPattern,
    ).toBe('{ $.level >= 50 }');
  });
});

describe('dashboard', () => {
  it('shows alarms, queue depth, throughput, latency, errors, database and tasks', () => {
    const [, dashboard] = onlyResource(monitoring, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties?.DashboardName).toBe('herald-prod-overview');
    // The body is a Fn::Join of JSON and tokens: read the widget titles out of the text.
    const body = render(dashboard.Properties?.DashboardBody);
    expect([...body.matchAll(/"title":"([^"]+)"/g)].map((match) => match[1])).toEqual([
      'Alarms',
      'Queue depth',
      'Oldest message age (s)',
      'Throughput (per minute)',
      'Ingest latency (s)',
      'Errors',
      'PostgreSQL',
      'Tasks: CPU and memory (%)',
      'Running tasks',
    ]);
  });
});
