/**
 * The shape of one deployment stage's configuration (values live in `stages.ts`).
 */
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type StageName = 'dev' | 'prod';

/** Interface endpoints the VPC can get (gateway endpoints for S3 and DynamoDB are always on). */
export type InterfaceEndpointName =
  'sqs' | 'sns' | 'secretsmanager' | 'ecr' | 'ecr-docker' | 'logs';

/** Size and scaling bounds of one Fargate service. */
export interface ServiceSizing {
  /** Fargate CPU units (256 = 0.25 vCPU). */
  readonly cpu: 256 | 512 | 1024 | 2048 | 4096;
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

export interface IngestSizing extends ServiceSizing {
  /** Target-tracking goal for average CPU, percent. */
  readonly cpuTargetPercent: number;
  /** Target-tracking goal for ALBRequestCountPerTarget (requests per target per minute). */
  readonly requestsPerTargetPerMinute: number;
}

export interface WorkerSizing extends ServiceSizing {
  /** Visible messages one task may have waiting before the service scales out. */
  readonly backlogPerTask: number;
  /** Capacity provider strategy: `base` tasks on FARGATE, the rest split by weight. */
  readonly capacity: {
    readonly onDemandBase: number;
    readonly onDemandWeight: number;
    readonly spotWeight: number;
  };
}

export interface DatabaseSizing {
  /** RDS instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly instanceType: string;
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling. */
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly performanceInsights: boolean;
  /** Days between automatic rotations of the three database secrets. */
  readonly rotationDays: number;
}

/** A public DNS name served by the ALB; the certificate is issued for it when none is given. */
export interface DomainConfig {
  readonly name: string;
  readonly hostedZoneId: string;
  readonly zoneName: string;
}

export interface GithubConfig {
  /** `owner/name` of this repository. */
  readonly repository: string;
  /** The only branch whose workflows may assume the deploy role. */
  readonly branch: string;
  /** Import an existing `token.actions.githubusercontent.com` provider (one per account). */
  readonly oidcProviderArn?: string;
  /** `cdk bootstrap --qualifier`; the deploy role may assume only these bootstrap roles. */
  readonly bootstrapQualifier: string;
}

export interface StageConfig {
  readonly stage: StageName;
  readonly region: string;
  /**
   * Explicit AZs keep synth offline: stacks are account-agnostic, so no AZ lookup (and no
   * credentials) is ever needed.
   */
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  /** 1 for dev (one shared NAT), one per AZ for prod (an AZ outage keeps egress). */
  readonly natGateways: number;
  readonly interfaceEndpoints: readonly InterfaceEndpointName[];
  readonly flowLogTraffic: 'ALL' | 'REJECT';
  readonly database: DatabaseSizing;
  readonly ingest: IngestSizing;
  readonly worker: WorkerSizing;
  /** Receives ops alarms (CloudWatch → SNS ops topic). */
  readonly alarmEmail: string;
  /** Optional human subscriber of the alerts topic (critical messages). */
  readonly alertsEmail?: string;
  readonly certificateArn?: string;
  readonly domain?: DomainConfig;
  readonly logLevel: 'debug' | 'info' | 'warn';
  /** CloudWatch Logs retention of every log group (services, migrations, flow logs, RDS). */
  readonly logRetentionDays: RetentionDays;
  /** Stateful resources survive stack deletion; stacks get termination protection. */
  readonly protectData: boolean;
  readonly github: GithubConfig;
}
