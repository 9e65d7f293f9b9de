/**
 * Typed configuration of every deployment stage. One CDK app synthesizes all of them; the stack
 * names carry the stage (`herald-dev-data`, `herald-prod-services`, …).
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { GithubConfig, StageConfig, StageName } from './types';
import { validateStageConfig } from './validate';

/** Change this when the repository moves: the OIDC trust condition is built from it. */
export const GITHUB: GithubConfig = {
  repository: 'herald-messaging/herald',
  branch: 'main',
  bootstrapQualifier: 'hnb659fds',
};

const REGION = 'us-east-1';

export const DEV: StageConfig = {
  stage: 'dev',
  region: REGION,
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  vpcCidr: '10.20.0.0/16',
  natGateways: 1,
  // At dev traffic a single NAT ($33/month) is cheaper than any interface endpoint set.
  interfaceEndpoints: [],
  flowLogTraffic: 'REJECT',
  database: {
    instanceType: 't4g.micro',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: false,
    backupRetentionDays: 1,
    performanceInsights: false,
    rotationDays: 30,
  },
  ingest: {
    cpu: 256,
    memoryMiB: 512,
    minTasks: 1,
    maxTasks: 3,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 3000,
  },
  worker: {
    cpu: 256,
    memoryMiB: 512,
    minTasks: 1,
    maxTasks: 4,
    backlogPerTask: 500,
    capacity: { onDemandBase: 1, onDemandWeight: 0, spotWeight: 1 },
  },
  alarmEmail: 'herald-ops-dev@example.com',
  logLevel: 'debug',
  logRetentionDays: RetentionDays.TWO_WEEKS,
  protectData: false,
  github: GITHUB,
};

export const PROD: StageConfig = {
  stage: 'prod',
  region: REGION,
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  vpcCidr: '10.30.0.0/16',
  natGateways: 3,
  interfaceEndpoints: ['sqs', 'sns', 'secretsmanager', 'ecr', 'ecr-docker', 'logs'],
  flowLogTraffic: 'ALL',
  database: {
    instanceType: 't4g.medium',
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 500,
    multiAz: true,
    backupRetentionDays: 14,
    performanceInsights: true,
    rotationDays: 30,
  },
  ingest: {
    cpu: 512,
    memoryMiB: 1024,
    minTasks: 2,
    maxTasks: 12,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 6000,
  },
  worker: {
    cpu: 512,
    memoryMiB: 1024,
    minTasks: 2,
    maxTasks: 20,
    backlogPerTask: 1000,
    // One task always on demand; beyond it three of every four tasks run on Spot.
    capacity: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 },
  },
  alarmEmail: 'herald-ops@example.com',
  logLevel: 'info',
  logRetentionDays: RetentionDays.THREE_MONTHS,
  protectData: true,
  github: GITHUB,
};

/** Every stage, validated once at import so a bad edit fails `cdk synth` with a clear message. */
export const STAGES: Readonly<Record<StageName, StageConfig>> = {
  dev: validateStageConfig(DEV),
  prod: validateStageConfig(PROD),
};
