/**
 * AWS list prices Herald's cost model uses (USD, us-east-1, on-demand), and the itemized fixed
 * monthly cost of each stage at idle. The one source: the bench's cost section, the `cost`
 * command and infra/README.md's table (checked against it by infra/test/cost-readme.test.ts).
 * Prices change: update `date` and `source` with the figures.
 */
export const PRICES = {
  date: '2026-12-01',
  source:
    'aws.amazon.com/sqs/pricing, /dynamodb/pricing/on-demand, /sns/pricing, /cloudwatch/pricing, /fargate/pricing (us-east-1 list prices, as in issue 12)',
  sqs: {
    perMillionRequests: 0.4,
    /** Each 64 KiB chunk of a request's payload is billed as one request. */
    billedChunkBytes: 64 * 1024,
  },
  dynamodb: {
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    /** One write unit per 1 KB of item, rounded up; one read unit per 4 KB (strongly consistent). */
    writeUnitBytes: 1024,
    readUnitBytes: 4096,
  },
  sns: { perMillionPublishes: 0.5, perHundredThousandEmails: 2 },
  cloudwatchLogs: { perGbIngested: 0.5 },
  fargate: {
    perVcpuHour: 0.04048,
    perGbHour: 0.004445,
    /** Fargate Spot is about 70 % cheaper. */
    spotDiscount: 0.7,
  },
} as const;

/** One line of the idle cost table: USD per month in dev and prod (`undefined`: not deployed). */
export interface FixedCostItem {
  readonly item: string;
  readonly dev: number | undefined;
  readonly prod: number | undefined;
  /** `~`: an estimate, not a list-price product. */
  readonly approximate: boolean;
  readonly assumption: string;
}

/** us-east-1 on-demand (730 h/month), minimum task counts, no traffic, no free tier. */
export const FIXED_MONTHLY_COSTS: readonly FixedCostItem[] = [
  {
    item: 'NAT gateways',
    dev: 32.85,
    prod: 98.55,
    approximate: false,
    assumption: '$0.045/h each (1 / 3); data $0.045/GB extra',
  },
  {
    item: 'public IPv4',
    dev: 10.95,
    prod: 21.9,
    approximate: false,
    assumption: '$0.005/h per address: NAT EIPs + one per ALB AZ (3 / 6)',
  },
  {
    item: 'ALB',
    dev: 16.43,
    prod: 16.43,
    approximate: false,
    assumption: '$0.0225/h; ~0 LCU at idle',
  },
  {
    item: 'RDS instance',
    dev: 11.68,
    prod: 94.9,
    approximate: false,
    assumption: 't4g.micro single-AZ $0.016/h; t4g.medium Multi-AZ $0.130/h',
  },
  {
    item: 'RDS storage',
    dev: 2.3,
    prod: 11.5,
    approximate: false,
    assumption:
      'gp3 $0.115/GB (20 GB); Multi-AZ $0.23/GB (50 GB); backups within the free allowance; PI 7 days free',
  },
  {
    item: 'Fargate ingest',
    dev: 9.01,
    prod: 36.04,
    approximate: false,
    assumption: '$0.04048/vCPU-h + $0.004445/GB-h; 1 × 0.25/0.5 GB; 2 × 0.5/1 GB',
  },
  {
    item: 'Fargate worker',
    dev: 9.01,
    prod: 23.43,
    approximate: false,
    assumption: 'dev: 1 on-demand (the base); prod: 1 on-demand + 1 Spot at ~70 % off',
  },
  {
    item: 'interface endpoints',
    dev: undefined,
    prod: 131.4,
    approximate: false,
    assumption: '6 endpoints × 3 AZs × $0.01/h',
  },
  {
    item: 'Secrets Manager',
    dev: 1.2,
    prod: 1.2,
    approximate: false,
    assumption: '3 secrets (owner, writer, reader) × $0.40; 3 rotation Lambdas ~free',
  },
  {
    item: 'KMS',
    dev: 1,
    prod: 1,
    approximate: false,
    assumption: '1 key (rotation adds up to $2 in the first two years)',
  },
  {
    item: 'CloudWatch',
    dev: 10,
    prod: 15,
    approximate: true,
    assumption:
      "Container Insights ~$5–8, 7 alarms ~$0.90, dashboard $3 (free if among the account's first 3), 2 log-metric metrics $0.60, logs + flow logs ~$1–3",
  },
  {
    item: 'DynamoDB, SQS, SNS, S3',
    dev: 0,
    prod: 0,
    approximate: true,
    assumption: 'on-demand/per request; idle long polling stays in the 1 M free requests',
  },
];

/** Sum of a stage's fixed monthly items. */
export function fixedMonthlyTotal(stage: 'dev' | 'prod'): number {
  return FIXED_MONTHLY_COSTS.reduce((sum, item) => sum + (item[stage] ?? 0), 0);
}
