import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { STACK_OUTPUTS } from '@herald/config';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/types';
import { HeraldAlarms } from '../constructs/alarms';
import { HeraldDashboard } from '../constructs/dashboard';
import { ErrorLogMetric } from '../constructs/log-metrics';

export interface MonitoringStackProps extends StackProps {
  readonly config: StageConfig;
  readonly opsTopic: sns.ITopic;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly database: rds.IDatabaseInstance;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly cluster: ecs.ICluster;
  readonly ingestService: ecs.FargateService;
  readonly workerService: ecs.FargateService;
  readonly ingestLogGroup: logs.ILogGroup;
  readonly workerLogGroup: logs.ILogGroup;
}

/** Error-log metrics, the alarms (to the ops topic) and the dashboard. */
export class MonitoringStack extends Stack {
  readonly alarms: HeraldAlarms;
  readonly dashboard: HeraldDashboard;
  readonly workerErrors: ErrorLogMetric;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const namespace = `Herald/${props.config.stage}`;
    this.workerErrors = new ErrorLogMetric(this, 'WorkerErrors', {
      logGroup: props.workerLogGroup,
      namespace,
      metricName: 'WorkerErrors',
    });
    const ingestErrors = new ErrorLogMetric(this, 'IngestErrors', {
      logGroup: props.ingestLogGroup,
      namespace,
      metricName: 'IngestErrors',
    });

    const common = {
      config: props.config,
      queue: props.queue,
      deadLetterQueue: props.deadLetterQueue,
      database: props.database,
      loadBalancer: props.loadBalancer.metrics,
      targetGroup: props.targetGroup.metrics,
    };
    this.alarms = new HeraldAlarms(this, 'Alarms', {
      ...common,
      opsTopic: props.opsTopic,
      workerErrors: this.workerErrors.metric,
    });
    // The `herald alarms --stage` command lists exactly these.
    new CfnOutput(this, STACK_OUTPUTS.alarmNames.key, {
      value: Fn.join(
        ',',
        Object.values(this.alarms.alarms).map((alarm) => alarm.alarmName),
      ),
    });
    this.dashboard = new HeraldDashboard(this, 'Dashboard', {
      ...common,
      ingestService: props.ingestService,
      workerService: props.workerService,
      clusterName: props.cluster.clusterName,
      workerErrors: this.workerErrors.metric,
      ingestErrors: ingestErrors.metric,
      alarms: Object.values(this.alarms.alarms),
    });
  }
}
