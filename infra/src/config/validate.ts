import type { ServiceSizing, StageConfig } from './types';

/** Thrown when a stage's configuration cannot be deployed as written. */
export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';

  constructor(
    readonly stage: string,
    readonly issues: readonly string[],
  ) {
    super(
      `stage ${stage}: invalid configuration\n${issues.map((issue) => `  - ${issue}`).join('\n')}`,
    );
  }
}

/** Fargate's valid memory sizes (MiB) per CPU setting. */
const FARGATE_MEMORY: Readonly<Record<number, readonly [number, number, number]>> = {
  256: [512, 2048, 1024],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16_384, 1024],
  4096: [8192, 30_720, 1024],
};

const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks what the type system cannot: counts that must agree, Fargate size pairs, ARNs.
 * @returns the same config, so stage tables can be validated inline.
 */
export function validateStageConfig(config: StageConfig): StageConfig {
  const issues = [
    ...networkIssues(config),
    ...sizingIssues('ingest', config.ingest),
    ...sizingIssues('worker', config.worker),
    ...workerIssues(config),
    ...databaseIssues(config),
    ...edgeIssues(config),
  ];
  if (issues.length > 0) throw new StageConfigError(config.stage, issues);
  return config;
}

function networkIssues(config: StageConfig): string[] {
  const issues: string[] = [];
  const azs = config.availabilityZones;
  if (azs.length < 2)
    issues.push('availabilityZones: expected at least 2 (ALB and Multi-AZ RDS need two)');
  if (azs.some((az) => !az.startsWith(config.region))) {
    issues.push(`availabilityZones: expected zones of ${config.region}, got ${azs.join(', ')}`);
  }
  if (config.natGateways < 1 || config.natGateways > azs.length) {
    issues.push(
      `natGateways: expected 1 to ${azs.length} (one per AZ at most), got ${config.natGateways}`,
    );
  }
  return issues;
}

function sizingIssues(service: string, sizing: ServiceSizing): string[] {
  const issues: string[] = [];
  const range = FARGATE_MEMORY[sizing.cpu];
  if (range) {
    const [min, max, step] = range;
    if (
      sizing.memoryMiB < min ||
      sizing.memoryMiB > max ||
      (sizing.memoryMiB !== 512 && sizing.memoryMiB % step !== 0)
    ) {
      issues.push(
        `${service}.memoryMiB: ${sizing.memoryMiB} is not a Fargate size for cpu ${sizing.cpu} (${min}–${max})`,
      );
    }
  }
  if (sizing.minTasks < 1)
    issues.push(`${service}.minTasks: expected at least 1, got ${sizing.minTasks}`);
  if (sizing.maxTasks < sizing.minTasks) {
    issues.push(
      `${service}.maxTasks: expected at least minTasks (${sizing.minTasks}), got ${sizing.maxTasks}`,
    );
  }
  return issues;
}

function workerIssues(config: StageConfig): string[] {
  const { capacity, backlogPerTask, minTasks } = config.worker;
  const issues: string[] = [];
  if (capacity.onDemandBase < 1) {
    issues.push(
      'worker.capacity.onDemandBase: expected at least 1 on-demand task (Spot can vanish together)',
    );
  }
  if (capacity.onDemandBase > minTasks) {
    issues.push(`worker.capacity.onDemandBase: expected at most minTasks (${minTasks})`);
  }
  if (capacity.spotWeight < 1) issues.push('worker.capacity.spotWeight: expected at least 1');
  if (backlogPerTask < 1) issues.push('worker.backlogPerTask: expected at least 1');
  return issues;
}

function databaseIssues(config: StageConfig): string[] {
  const db = config.database;
  const issues: string[] = [];
  if (!/^[a-z0-9]+\.[a-z0-9]+$/.test(db.instanceType)) {
    issues.push(
      `database.instanceType: expected e.g. t4g.micro (no "db." prefix), got ${db.instanceType}`,
    );
  }
  if (db.maxAllocatedStorageGiB < db.allocatedStorageGiB) {
    issues.push('database.maxAllocatedStorageGiB: expected at least allocatedStorageGiB');
  }
  if (db.backupRetentionDays < 1 || db.backupRetentionDays > 35) {
    issues.push('database.backupRetentionDays: expected 1 to 35 (0 would disable backups)');
  }
  if (db.rotationDays < 1 || db.rotationDays > 365)
    issues.push('database.rotationDays: expected 1 to 365');
  if (config.protectData && !db.multiAz)
    issues.push('database.multiAz: a protected (production) stage must be Multi-AZ');
  return issues;
}

function edgeIssues(config: StageConfig): string[] {
  const issues: string[] = [];
  if (!EMAIL.test(config.alarmEmail))
    issues.push(`alarmEmail: expected an email address, got ${config.alarmEmail}`);
  if (config.alertsEmail !== undefined && !EMAIL.test(config.alertsEmail)) {
    issues.push(`alertsEmail: expected an email address, got ${config.alertsEmail}`);
  }
  if (
    config.certificateArn !== undefined &&
    !/^arn:aws[\w-]*:acm:[\w-]+:\d{12}:certificate\/[\w-]+$/.test(config.certificateArn)
  ) {
    issues.push('certificateArn: expected arn:aws:acm:<region>:<account>:certificate/<id>');
  }
  if (config.domain && !config.domain.name.endsWith(config.domain.zoneName)) {
    issues.push(
      `domain.name: ${config.domain.name} is not inside the hosted zone ${config.domain.zoneName}`,
    );
  }
  if (!GITHUB_REPOSITORY.test(config.github.repository)) {
    issues.push(`github.repository: expected owner/name, got ${config.github.repository}`);
  }
  return issues;
}
