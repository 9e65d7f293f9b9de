import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_THRESHOLDS, type AlarmName, type AlarmThreshold } from '@herald/config';
import { stageName } from '../config/naming';
import type { StageConfig } from '../config/types';

export interface HeraldAlarmsProps {
  readonly config: StageConfig;
  readonly opsTopic: sns.ITopic;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly database: rds.IDatabaseInstance;
  readonly loadBalancer: elbv2.IApplicationLoadBalancerMetrics;
  readonly targetGroup: elbv2.IApplicationTargetGroupMetrics;
  /** Sum of worker log lines at pino level ≥ 50 (error, fatal). */
  readonly workerErrors: cloudwatch.Metric;
}

type AlarmMetric = cloudwatch.Metric | cloudwatch.MathExpression;

/** What each alarm watches and tells the operator (thresholds come from ALARM_THRESHOLDS). */
const describeAlarm = (stage: string): Readonly<Record<AlarmName, string>> => ({
  rdsCpuPercent: 'PostgreSQL CPU above the threshold: slow queries or an undersized instance.',
  queueDepth:
    'Messages are piling up in the queue: the workers are not keeping up (or not running).',
  dlqDepth: 'A poison message reached the dead-letter queue: inspect it, fix, then redrive.',
  oldestMessageAgeSeconds:
    'The oldest queued message is getting old: workers are stuck or far behind.',
  alb5xxPercent: 'Share of requests answered 5xx (by the ALB or ingest) is above the threshold.',
  albP99LatencySeconds: 'Ingest p99 response time is above the threshold.',
  workerErrors: `The worker logs errors (level >= 50): see /herald/${stage}/worker.`,
});

/**
 * One alarm per `ALARM_THRESHOLDS` entry (the type forces the two to stay in step), each
 * `value > threshold` for `evaluationPeriods` periods, notifying the ops topic on ALARM and OK.
 * Missing data is "not breaching": an idle queue or ALB publishes nothing.
 */
export class HeraldAlarms extends Construct {
  readonly alarms: Readonly<Record<AlarmName, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: HeraldAlarmsProps) {
    super(scope, id);
    const { queue, deadLetterQueue } = props;
    const metrics: Record<AlarmName, AlarmMetric> = {
      rdsCpuPercent: props.database.metricCPUUtilization({ statistic: cloudwatch.Stats.AVERAGE }),
      queueDepth: queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      dlqDepth: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      oldestMessageAgeSeconds: queue.metricApproximateAgeOfOldestMessage({
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      alb5xxPercent: this.alb5xxPercent(props),
      albP99LatencySeconds: props.targetGroup.targetResponseTime({
        statistic: cloudwatch.Stats.p(99),
      }),
      workerErrors: props.workerErrors,
    };
    const entries = (Object.keys(metrics) as AlarmName[]).map(
      (name) => [name, this.alarm(props, name, metrics[name])] as const,
    );
    this.alarms = Object.fromEntries(entries) as Record<AlarmName, cloudwatch.Alarm>;
  }

  private alarm(props: HeraldAlarmsProps, name: AlarmName, metric: AlarmMetric): cloudwatch.Alarm {
    const threshold: AlarmThreshold = ALARM_THRESHOLDS[name];
    const period = Duration.seconds(threshold.periodSeconds);
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: stageName(props.config.stage, kebab(name)),
      alarmDescription: describeAlarm(props.config.stage)[name],
      metric: metric.with({ period }),
      threshold: threshold.threshold,
      evaluationPeriods: threshold.evaluationPeriods,
      datapointsToAlarm: threshold.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const notify = new actions.SnsAction(props.opsTopic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    return alarm;
  }

  /** 100 × (ALB 5xx + target 5xx) / requests; no requests means no data, not 0 %. */
  private alb5xxPercent({ loadBalancer }: HeraldAlarmsProps): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      label: 'ALB 5xx %',
      expression: '100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests',
      usingMetrics: {
        elb5xx: loadBalancer.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
          statistic: cloudwatch.Stats.SUM,
        }),
        target5xx: loadBalancer.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
          statistic: cloudwatch.Stats.SUM,
        }),
        requests: loadBalancer.requestCount({ statistic: cloudwatch.Stats.SUM }),
      },
    });
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
