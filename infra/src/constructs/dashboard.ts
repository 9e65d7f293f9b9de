import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { stageName } from '../config/naming';
import type { StageConfig } from '../config/types';

export interface HeraldDashboardProps {
  readonly config: StageConfig;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly database: rds.IDatabaseInstance;
  readonly loadBalancer: elbv2.IApplicationLoadBalancerMetrics;
  readonly targetGroup: elbv2.IApplicationTargetGroupMetrics;
  readonly ingestService: ecs.IBaseService & {
    metricCpuUtilization(): cloudwatch.Metric;
    metricMemoryUtilization(): cloudwatch.Metric;
  };
  readonly workerService: ecs.IBaseService & {
    metricCpuUtilization(): cloudwatch.Metric;
    metricMemoryUtilization(): cloudwatch.Metric;
  };
  readonly clusterName: string;
  readonly workerErrors: cloudwatch.IMetric;
  readonly ingestErrors: cloudwatch.IMetric;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const MINUTE = Duration.minutes(1);
const WIDTH = 12;
const HEIGHT = 6;

/** `herald-<stage>`: queue depth, throughput, latency, errors, database and tasks on one page. */
export class HeraldDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: HeraldDashboardProps) {
    super(scope, id);
    const { queue, deadLetterQueue: dlq, loadBalancer: alb, targetGroup: tg } = props;
    const sum = { statistic: cloudwatch.Stats.SUM, period: MINUTE };
    const max = { statistic: cloudwatch.Stats.MAXIMUM, period: MINUTE };

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: stageName(props.config.stage, 'overview'),
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph('Queue depth', [
        queue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'visible' }),
        queue.metricApproximateNumberOfMessagesNotVisible({ ...max, label: 'in flight' }),
        dlq.metricApproximateNumberOfMessagesVisible({ ...max, label: 'dead-lettered' }),
      ]),
      graph('Oldest message age (s)', [
        queue.metricApproximateAgeOfOldestMessage({ ...max, label: 'oldest message' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Throughput (per minute)', [
        alb.requestCount({ ...sum, label: 'HTTP requests' }),
        queue.metricNumberOfMessagesSent({ ...sum, label: 'enqueued' }),
        queue.metricNumberOfMessagesDeleted({ ...sum, label: 'processed' }),
      ]),
      graph(
        'Ingest latency (s)',
        ['p50', 'p90', 'p99'].map((p) =>
          tg.targetResponseTime({ statistic: p, period: MINUTE, label: p }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('Errors', [
        alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { ...sum, label: 'ALB 5xx' }),
        alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { ...sum, label: 'ingest 5xx' }),
        withLabel(props.ingestErrors, 'ingest error logs'),
        withLabel(props.workerErrors, 'worker error logs'),
      ]),
      graph('PostgreSQL', [
        props.database.metricCPUUtilization({ period: MINUTE, label: 'CPU %' }),
        props.database.metricDatabaseConnections({ period: MINUTE, label: 'connections' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Tasks: CPU and memory (%)', [
        props.ingestService.metricCpuUtilization().with({ label: 'ingest CPU', period: MINUTE }),
        props.ingestService
          .metricMemoryUtilization()
          .with({ label: 'ingest memory', period: MINUTE }),
        props.workerService.metricCpuUtilization().with({ label: 'worker CPU', period: MINUTE }),
        props.workerService
          .metricMemoryUtilization()
          .with({ label: 'worker memory', period: MINUTE }),
      ]),
      graph('Running tasks', [
        runningTasks(props.clusterName, props.ingestService.serviceName, 'ingest'),
        runningTasks(props.clusterName, props.workerService.serviceName, 'worker'),
      ]),
    );
  }
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT });
}

function withLabel(metric: cloudwatch.IMetric, label: string): cloudwatch.IMetric {
  return metric instanceof cloudwatch.Metric ? metric.with({ label, period: MINUTE }) : metric;
}

function runningTasks(clusterName: string, serviceName: string, label: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
    statistic: cloudwatch.Stats.AVERAGE,
    period: MINUTE,
    label,
  });
}
