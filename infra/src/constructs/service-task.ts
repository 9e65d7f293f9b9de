import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SHUTDOWN } from '@herald/config';
import { logGroupName, stageName } from '../config/naming';
import { nodeHealthCheckCommand } from '../config/runtime';
import type { ServiceSizing, StageConfig } from '../config/types';
import { type AppName, appImage } from './service-image';

export interface ServiceTaskProps {
  readonly config: StageConfig;
  readonly app: AppName;
  readonly sizing: ServiceSizing;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  /** The port the container's `/healthz` listens on. */
  readonly healthPort: number;
  readonly portMappings?: ecs.PortMapping[];
}

/**
 * What both services share: a log group with retention, a Fargate task definition with one
 * hardened container (read-only root, init process, non-blocking logs, `/healthz` probe) and
 * the 120 s stop timeout the shutdown invariant is built around.
 */
export class ServiceTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceTaskProps) {
    super(scope, id);
    const { config, app, sizing } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: logGroupName(config.stage, app),
      retention: config.logRetentionDays,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: stageName(config.stage, app),
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.container = this.taskDefinition.addContainer(app, {
      image: appImage(app),
      essential: true,
      environment: props.environment,
      secrets: props.secrets,
      portMappings: props.portMappings,
      healthCheck: {
        command: nodeHealthCheckCommand(props.healthPort),
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // SIGTERM, then this long to drain before SIGKILL (Fargate Spot's notice is 2 minutes).
      stopTimeout: Duration.seconds(SHUTDOWN.stopTimeoutSeconds),
      readonlyRootFilesystem: true,
      // A tiny init as PID 1 forwards SIGTERM to node and reaps zombies.
      linuxParameters: new ecs.LinuxParameters(this, 'Linux', { initProcessEnabled: true }),
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: app,
        // A slow log pipe must never block the event loop; the buffer absorbs bursts.
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
    });
    acknowledgeTaskFindings(this.taskDefinition);
  }
}

/**
 * The two cdk-nag findings every Herald task definition carries by design, acknowledged with
 * the reason. Anything else (another wildcard, a plain secret) still fails synth.
 */
export function acknowledgeTaskFindings(taskDefinition: ecs.TaskDefinition): void {
  Validations.of(taskDefinition).acknowledge({
    id: 'AwsSolutions-ECS2',
    reason:
      'Only non-secret settings (URLs, names, ports, log level) are plain environment values; database credentials are ECS secrets from Secrets Manager.',
  });
  Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'ecr:GetAuthorizationToken has no resource-level permissions (AWS requires "*"); every other execution-role statement names its repository, log group or secret.',
  });
}
