import { Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { METADATA_WRITE_PREFIXES, WORKER_HEALTH_PORT } from '../config/runtime';
import type { StageConfig } from '../config/types';
import { commonEnvironment, databaseSecrets, type RuntimeResources } from './runtime-env';
import { ServiceTask } from './service-task';

export interface WorkerServiceProps {
  readonly config: StageConfig;
  readonly cluster: ecs.ICluster;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly resources: RuntimeResources;
}

/**
 * The queue consumer: no inbound traffic at all, an on-demand base plus Fargate Spot beyond it,
 * scaled on queue backlog per task (and nothing else, so no second policy fights it). Its role
 * may consume the queue, peek at the DLQ, publish alerts and write statuses and stats; it logs in
 * to PostgreSQL as the DML-only writer.
 */
export class WorkerService extends Construct {
  readonly service: ecs.FargateService;
  readonly task: ServiceTask;
  readonly scalingPolicy: appscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    const { config, resources } = props;
    const { capacity } = config.worker;

    this.task = new ServiceTask(this, 'Task', {
      config,
      app: 'worker',
      sizing: config.worker,
      environment: {
        ...commonEnvironment(this, config, resources),
        ALERTS_TOPIC_ARN: resources.alertsTopic.topicArn,
        DLQ_URL: resources.deadLetterQueue.queueUrl,
        HEALTH_PORT: String(WORKER_HEALTH_PORT),
      },
      // The DML-only login: the worker cannot change the schema or read the owner's secret.
      secrets: databaseSecrets(resources.writerSecret),
      healthPort: WORKER_HEALTH_PORT,
    });
    this.grantRuntimeAccess(resources);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.task.taskDefinition,
      securityGroups: [props.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      capacityProviderStrategies: [
        {
          capacityProvider: 'FARGATE',
          base: capacity.onDemandBase,
          weight: capacity.onDemandWeight,
        },
        { capacityProvider: 'FARGATE_SPOT', weight: capacity.spotWeight },
      ],
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    this.scalingPolicy = this.addBacklogScaling(props);
  }

  /**
   * Target tracking on `ApproximateNumberOfMessagesVisible / RunningTaskCount` (AWS's "backlog
   * per instance" pattern). The L2 policy takes only a plain metric, so this is the L1 policy
   * with a metric-math query; the scalable target is the usual ECS one.
   */
  private addBacklogScaling({
    config,
    cluster,
    resources,
  }: WorkerServiceProps): appscaling.CfnScalingPolicy {
    const target = new appscaling.ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      // The service-linked role, as FargateService.autoScaleTaskCount uses (no extra IAM role).
      role: iam.Role.fromRoleArn(
        this,
        'ScalingRole',
        Stack.of(this).formatArn({
          service: 'iam',
          region: '',
          resource: 'role/aws-service-role/ecs.application-autoscaling.amazonaws.com',
          resourceName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
        }),
      ),
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${cluster.clusterName}/${this.service.serviceName}`,
      minCapacity: config.worker.minTasks,
      maxCapacity: config.worker.maxTasks,
    });
    target.node.addDependency(this.service);
    return new appscaling.CfnScalingPolicy(this, 'BacklogPerTask', {
      policyName: `${config.stage}-worker-backlog-per-task`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: config.worker.backlogPerTask,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'visible',
              returnData: false,
              metricStat: {
                stat: 'Sum',
                metric: {
                  namespace: 'AWS/SQS',
                  metricName: 'ApproximateNumberOfMessagesVisible',
                  dimensions: [{ name: 'QueueName', value: resources.queue.queueName }],
                },
              },
            },
            {
              id: 'running',
              returnData: false,
              metricStat: {
                stat: 'Average',
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [
                    { name: 'ClusterName', value: cluster.clusterName },
                    { name: 'ServiceName', value: this.service.serviceName },
                  ],
                },
              },
            },
            {
              id: 'backlogPerTask',
              label: 'Visible messages per running task',
              expression: 'visible / running',
              returnData: true,
            },
          ],
        },
      },
    });
  }

  private grantRuntimeAccess(resources: RuntimeResources): void {
    const role = this.task.taskDefinition.taskRole;
    resources.queue.grantConsumeMessages(role);
    // The DLQ observer samples poison messages to record `dead_lettered`; it never deletes them.
    resources.deadLetterQueue.grant(
      role,
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    );
    // grantPublish would add kms:GenerateDataKey*; SNS needs exactly these two, and only via SNS.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [resources.alertsTopic.topicArn],
      }),
    );
    const topicKey = resources.alertsTopic.masterKey;
    if (topicKey) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'EncryptAlertsThroughSns',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [topicKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadMetadata',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [resources.table.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteStatusesAndStatsOnly',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [resources.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': METADATA_WRITE_PREFIXES.worker.map((prefix) => `${prefix}*`),
          },
        },
      }),
    );
  }
}
