import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SHUTDOWN } from '@herald/config';
import { INGEST_PORT, METADATA_WRITE_PREFIXES, READINESS_PATH } from '../config/runtime';
import type { StageConfig } from '../config/types';
import { commonEnvironment, databaseSecrets, type RuntimeResources } from './runtime-env';
import { ServiceTask } from './service-task';

export interface IngestServiceProps {
  readonly config: StageConfig;
  readonly cluster: ecs.ICluster;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly resources: RuntimeResources;
}

/**
 * The public HTTP API: Fargate tasks in the private subnets behind the ALB's target group
 * (`/readyz`, 30 s deregistration), rolled with a circuit breaker, scaled on CPU and on
 * requests per target. Its role may send to the queue, read metadata and write idempotency
 * claims only; it connects to PostgreSQL with the read-only login.
 */
export class IngestService extends Construct {
  readonly service: ecs.FargateService;
  readonly task: ServiceTask;
  readonly targetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: IngestServiceProps) {
    super(scope, id);
    const { config, resources } = props;

    this.task = new ServiceTask(this, 'Task', {
      config,
      app: 'ingest',
      sizing: config.ingest,
      environment: {
        ...commonEnvironment(this, config, resources),
        PORT: String(INGEST_PORT),
        HOST: '0.0.0.0',
        // Answer through the target group's deregistration delay, then drain (defect 5, issue 9).
        SHUTDOWN_DELAY_MS: String(SHUTDOWN.loadBalancerDeregistrationSeconds * 1000),
        // The ALB appends the client's address to X-Forwarded-For: the auth budget is per client.
        TRUSTED_PROXY_HOPS: '1',
        // A client dripping its headers or body holds a connection seconds, not minutes.
        HEADERS_TIMEOUT_MS: '10000',
        REQUEST_TIMEOUT_MS: '30000',
      },
      secrets: databaseSecrets(resources.readerSecret),
      healthPort: INGEST_PORT,
      portMappings: [{ containerPort: INGEST_PORT, name: 'http', protocol: ecs.Protocol.TCP }],
    });
    this.grantRuntimeAccess(resources);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.task.taskDefinition,
      securityGroups: [props.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.cluster.vpc,
      port: INGEST_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [
        this.service.loadBalancerTarget({ containerName: 'ingest', containerPort: INGEST_PORT }),
      ],
      // The ingest keeps answering this long after SIGTERM (SHUTDOWN_DELAY_MS), then drains
      // inside its budget: together well under the ECS stop timeout.
      deregistrationDelay: Duration.seconds(SHUTDOWN.loadBalancerDeregistrationSeconds),
      healthCheck: {
        path: READINESS_PATH,
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
  }

  /** Target tracking on CPU and on ALB requests per target; call once the ALB routes to the group. */
  addAutoScaling(config: StageConfig): void {
    const scaling = this.service.autoScaleTaskCount({
      minCapacity: config.ingest.minTasks,
      maxCapacity: config.ingest.maxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: config.ingest.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: config.ingest.requestsPerTargetPerMinute,
      targetGroup: this.targetGroup,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
  }

  private grantRuntimeAccess(resources: RuntimeResources): void {
    const role = this.task.taskDefinition.taskRole;
    resources.queue.grantSendMessages(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadMetadata',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [resources.table.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteIdempotencyClaimsOnly',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [resources.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': METADATA_WRITE_PREFIXES.ingest.map((prefix) => `${prefix}*`),
          },
        },
      }),
    );
  }
}
