/**
 * Names and tunables that the CDK app, the local stack and both services must agree on.
 * Change them here and every side follows.
 */
export const RESOURCE_NAMES = {
  /** The main message queue (standard SQS). */
  messageQueue: 'herald-messages',
  /** Where messages land after `QUEUE_SETTINGS.maxReceiveCount` failed receives. */
  deadLetterQueue: 'herald-messages-dlq',
  /** Alerts for critical messages (subscribers: on-call, integrations). */
  alertsTopic: 'herald-alerts',
  /** CloudWatch alarm notifications for operators. */
  opsTopic: 'herald-ops',
  /** Single-table DynamoDB design: message status, channel stats, idempotency claims. */
  metadataTable: 'herald-metadata',
  /** PostgreSQL database name. */
  database: 'herald',
} as const;

export const QUEUE_SETTINGS = {
  /** Receives before SQS moves a message to the DLQ (docs/invariants.md#5). */
  maxReceiveCount: 5,
  /** Must exceed the worker's worst batch time; the worker heartbeats while it works. */
  visibilityTimeoutSeconds: 60,
  /** 4 days on the main queue (SQS default). */
  retentionSeconds: 4 * 24 * 3600,
  /** 14 days on the DLQ (the SQS maximum) so operators have time to redrive. */
  dlqRetentionSeconds: 14 * 24 * 3600,
  /** SQS hard limit for one message and one batch request. */
  maxMessageBytes: 1024 * 1024,
  /** Long polling on every receive. */
  receiveWaitTimeSeconds: 20,
} as const;

/** Both services must drain inside the ECS stop timeout (Fargate Spot gives two minutes). */
export const SHUTDOWN = {
  /** ECS `stopTimeout` for both containers. */
  stopTimeoutSeconds: 120,
  /** What each service allows itself before it exits anyway (after the ingest's delay below). */
  drainBudgetSeconds: 25,
  /**
   * The ALB target group's deregistration delay, and the ingest's default SHUTDOWN_DELAY_MS: it
   * keeps answering (with `Connection: close`) that long after SIGTERM, then drains.
   */
  loadBalancerDeregistrationSeconds: 30,
} as const;

/** The public ALB in front of the ingest (infra sets it, the ingest outlasts it). */
export const LOAD_BALANCER = {
  /** Seconds the ALB keeps an idle connection to a target open (the AWS default). */
  idleTimeoutSeconds: 60,
  /**
   * Seconds the ingest keeps an idle keep-alive socket open: above the ALB's idle timeout, so the
   * ALB always closes first and never reuses a socket the task has closed (sporadic 502s).
   */
  targetKeepAliveSeconds: 65,
} as const;

/** DynamoDB key attribute names of the metadata table. */
export const METADATA_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes lazily, so readers also filter on it. */
  ttlAttribute: 'expiresAt',
  /**
   * Partition-key prefix of each item type. IAM scopes each service's writes to its prefixes
   * (`dynamodb:LeadingKeys`), so a new item type needs a new prefix here and a grant in infra.
   */
  prefixes: {
    messageStatus: 'MSG#',
    channelStats: 'CHANNEL#',
    idempotencyClaim: 'IDEM#',
    /** Operators' DLQ redrives (the `herald` CLI; no service writes them). */
    redrive: 'REDRIVE#',
  },
} as const;

/**
 * CloudFormation outputs the `herald` CLI reads to find a deployed stage's resources
 * (`--stage dev|prod`): the stack part (stack `herald-<stage>-<part>`) and the output key.
 */
export const STACK_OUTPUTS = {
  queueUrl: { stack: 'data', key: 'QueueUrl' },
  deadLetterQueueUrl: { stack: 'data', key: 'DeadLetterQueueUrl' },
  deadLetterQueueArn: { stack: 'data', key: 'DeadLetterQueueArn' },
  metadataTable: { stack: 'data', key: 'MetadataTableName' },
  alertsTopicArn: { stack: 'data', key: 'AlertsTopicArn' },
  opsTopicArn: { stack: 'data', key: 'OpsTopicArn' },
  /** Comma-separated names of every CloudWatch alarm of the stage. */
  alarmNames: { stack: 'monitoring', key: 'AlarmNames' },
  ingestUrl: { stack: 'services', key: 'IngestUrl' },
} as const satisfies Record<string, { stack: string; key: string }>;
