/**
 * Alarm thresholds: the single place the CDK alarms and the local stack's queue-depth
 * watcher read from, so what operators see locally matches production.
 */
export interface AlarmThreshold {
  /** Alarm when the statistic is above this value (`>` comparison). */
  readonly threshold: number;
  /** Metric period in seconds. */
  readonly periodSeconds: number;
  /** Consecutive periods above the threshold before the alarm fires. */
  readonly evaluationPeriods: number;
}

export const ALARM_THRESHOLDS = {
  /** Seed alarm 1: RDS CPU > 80 % for 5 minutes. */
  rdsCpuPercent: { threshold: 80, periodSeconds: 60, evaluationPeriods: 5 },
  /** Seed alarm 2: ApproximateNumberOfMessagesVisible > 100 for 10 minutes. */
  queueDepth: { threshold: 100, periodSeconds: 60, evaluationPeriods: 10 },
  /** Any message in the DLQ is a poison message someone must look at. */
  dlqDepth: { threshold: 0, periodSeconds: 60, evaluationPeriods: 1 },
  /** The oldest message waiting longer than 5 minutes means the worker is behind or stuck. */
  oldestMessageAgeSeconds: { threshold: 300, periodSeconds: 60, evaluationPeriods: 5 },
  /** ALB 5xx responses above 1 % of requests for 5 minutes. */
  alb5xxPercent: { threshold: 1, periodSeconds: 60, evaluationPeriods: 5 },
  /** ALB target response time p99 above 1 s for 5 minutes. */
  albP99LatencySeconds: { threshold: 1, periodSeconds: 60, evaluationPeriods: 5 },
  /** Worker ERROR log lines (metric filter) in 5 minutes. */
  workerErrors: { threshold: 5, periodSeconds: 300, evaluationPeriods: 1 },
} as const satisfies Record<string, AlarmThreshold>;

export type AlarmName = keyof typeof ALARM_THRESHOLDS;
