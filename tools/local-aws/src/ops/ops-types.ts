/** Counters of one queue at one instant. */
export interface QueueReading {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** Age of the oldest message, in seconds (0 when empty). */
  readonly oldestAgeSeconds: number;
}

/** One alarm as the page shows it. */
export interface OpsAlarm {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
  readonly threshold?: number;
}

/** One mailbox entry (an alert or an alarm notification) or, on AWS, one recent alert. */
export interface OpsMailEntry {
  readonly at: string;
  readonly subject: string;
  readonly to: string;
}

/** A message the worker settled: when it was accepted (from its UUIDv7 id) and stored. */
export interface SettledMessage {
  readonly id: string;
  /** Epoch ms of acceptance, from the id's UUIDv7 timestamp; absent for idempotency-derived ids. */
  readonly acceptedAt?: number;
  readonly storedAt: number;
}

/** What a source reads on each tick. */
export interface OpsReading {
  readonly at: number;
  readonly queue: QueueReading;
  readonly dlq: QueueReading;
  readonly alarms: readonly OpsAlarm[];
  readonly mailbox: readonly OpsMailEntry[];
  /** Messages stored since the previous reading (duplicates are harmless: keyed by id). */
  readonly settled: readonly SettledMessage[];
}

/** Where the ops page's numbers come from: the local edge, or a deployed stage. */
export interface OpsSource {
  /** `local`, `dev` or `prod`. */
  readonly label: string;
  read(): Promise<OpsReading>;
}

/** One point of the 15-minute charts. */
export interface OpsPoint {
  /** Epoch seconds. */
  readonly t: number;
  readonly depth: number;
  readonly inFlight: number;
  readonly dlqDepth: number;
  readonly acceptedPerSecond: number;
  readonly storedPerSecond: number;
}

/** What `GET /_herald/ops.json` answers. */
export interface OpsSnapshot {
  readonly label: string;
  readonly at: string;
  readonly queue: QueueReading;
  readonly dlq: QueueReading;
  readonly acceptedPerSecond: number;
  readonly storedPerSecond: number;
  /** End-to-end latency (accepted → stored) of messages stored in the last minute. */
  readonly latency: {
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly count: number;
  };
  readonly storedLast15Minutes: number;
  readonly alarms: readonly OpsAlarm[];
  readonly mailbox: readonly OpsMailEntry[];
  readonly history: readonly OpsPoint[];
  /** The last read error, if the latest tick failed (the numbers are then the previous ones). */
  readonly error?: string;
}
