import type { Message } from '@aws-sdk/client-sqs';
import { type Envelope, newMessageId } from '@herald/contracts';
import { createLogger, type Logger } from '@herald/observability';
import { Writable } from 'node:stream';
import type { AlertPublisher, AlertRequest, PublishResult } from '../src/alerts/alert-publisher';
import type { ChannelSync, ChannelTotals } from '../src/store/channel-sync';
import type { MessageStore, StoreResult } from '../src/store/message-store';
import type {
  MetadataStore,
  RejectedStatus,
  StatusKey,
  StatusWriteResult,
  StoredStatus,
} from '../src/metadata/metadata-store';

export const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    v: 1,
    id: newMessageId(),
    tenant: 'acme',
    channel: 'orders',
    body: { total: 1 },
    attributes: {},
    priority: 'normal',
    acceptedAt: '2026-11-25T10:00:00.000Z',
    trace: { traceparent: TRACEPARENT },
    ...overrides,
  };
}

let sequence = 0;

/** An SQS message as sqs-consumer hands it over; each call is a new delivery (new receipt). */
export function delivery(body: Envelope | string, overrides: Partial<Message> = {}): Message {
  sequence += 1;
  return {
    MessageId: `sqs-${sequence}`,
    ReceiptHandle: `receipt-${sequence}`,
    Body: typeof body === 'string' ? body : JSON.stringify(body),
    Attributes: { ApproximateReceiveCount: '1' },
    ...overrides,
  };
}

/** A later delivery of the same SQS message (same MessageId, new receipt handle). */
export function redelivery(message: Message): Message {
  sequence += 1;
  return { ...message, ReceiptHandle: `receipt-${sequence}` };
}

/**
 * PostgreSQL in memory, with the same semantics: insert-if-absent, counters by real inserts, and
 * `synced_count` beside each counter for the channel flusher.
 */
export class FakeMessageStore implements MessageStore, ChannelSync {
  readonly rows = new Map<string, Envelope>();
  readonly storedAt = new Map<string, Date>();
  readonly totals = new Map<string, ChannelTotals>();
  readonly synced = new Map<string, number>();
  down = false;
  /** Returns true for a row the database refuses (a data error such as a NUL in JSON). */
  refuse: (envelope: Envelope) => boolean = () => false;
  calls = 0;

  store(envelopes: readonly Envelope[]): Promise<StoreResult> {
    this.calls += 1;
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const insertedIds = new Set<string>();
    const storedAt = new Map<string, Date>();
    const rejected = new Map<string, string>();
    for (const envelope of envelopes) {
      if (this.refuse(envelope)) {
        rejected.set(envelope.id, 'PostgreSQL 22P05: unsupported Unicode escape sequence');
        continue;
      }
      storedAt.set(envelope.id, this.storedAt.get(envelope.id) ?? new Date());
      if (this.rows.has(envelope.id)) continue;
      this.storedAt.set(envelope.id, storedAt.get(envelope.id) ?? new Date());
      this.rows.set(envelope.id, envelope);
      insertedIds.add(envelope.id);
      const key = `${envelope.tenant}/${envelope.channel}`;
      const current = this.totals.get(key);
      const at = new Date(envelope.acceptedAt);
      this.totals.set(key, {
        tenant: envelope.tenant,
        channel: envelope.channel,
        messageCount: (current?.messageCount ?? 0) + 1,
        lastMessageAt: current && current.lastMessageAt > at ? current.lastMessageAt : at,
      });
    }
    return Promise.resolve({ insertedIds, storedAt, rejected });
  }

  unsynced(limit: number): Promise<ChannelTotals[]> {
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const ahead = [...this.totals.entries()]
      .filter(([key, totals]) => totals.messageCount > (this.synced.get(key) ?? 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([, totals]) => ({ ...totals }));
    return Promise.resolve(ahead);
  }

  markSynced(totals: readonly ChannelTotals[]): Promise<void> {
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    for (const { tenant, channel, messageCount } of totals) {
      const key = `${tenant}/${channel}`;
      this.synced.set(key, Math.max(this.synced.get(key) ?? 0, messageCount));
    }
    return Promise.resolve();
  }
}

export interface StatusRecord {
  status: 'stored' | 'rejected' | 'dead_lettered';
  channel?: string;
  reason?: string;
  alerted?: boolean;
}

type Operation =
  | 'markStored'
  | 'putStored'
  | 'markRejected'
  | 'markDeadLettered'
  | 'markAlerted'
  | 'putChannelTotals';

/** The metadata table in memory, with the adapter's conditions; failures injected per call. */
export class FakeMetadataStore implements MetadataStore {
  readonly statuses = new Map<string, StatusRecord>();
  readonly channels = new Map<string, ChannelTotals>();
  /** Returns true to make that call throw (a throttled or unreachable DynamoDB). */
  failWhen: (operation: Operation, key: string) => boolean = () => false;
  writes = 0;

  markStored(status: StoredStatus, _now: Date): Promise<StatusWriteResult> {
    const key = `${status.tenant}/${status.id}`;
    if (this.failWhen('markStored', key)) return Promise.reject(throttled());
    this.writes += 1;
    const old = this.statuses.get(key);
    const { reason: _reason, ...kept } = old ?? {};
    this.statuses.set(key, { ...kept, status: 'stored', channel: status.channel });
    return Promise.resolve({ written: true, alreadyAlerted: old?.alerted === true });
  }

  putStored(statuses: readonly StoredStatus[], _now: Date): Promise<ReadonlyMap<string, string>> {
    const failed = new Map<string, string>();
    for (const status of statuses) {
      const key = `${status.tenant}/${status.id}`;
      if (this.failWhen('putStored', key)) {
        failed.set(status.id, 'ThrottlingException: injected');
        continue;
      }
      this.writes += 1;
      // A whole-item put: nothing of the old item survives.
      this.statuses.set(key, { status: 'stored', channel: status.channel });
    }
    return Promise.resolve(failed);
  }

  markRejected(status: RejectedStatus, now: Date): Promise<StatusWriteResult> {
    return this.#markUnsettled('markRejected', 'rejected', status, now);
  }

  markDeadLettered(status: RejectedStatus, now: Date): Promise<StatusWriteResult> {
    return this.#markUnsettled('markDeadLettered', 'dead_lettered', status, now);
  }

  markAlerted(status: StatusKey, _now: Date): Promise<void> {
    const key = `${status.tenant}/${status.id}`;
    if (this.failWhen('markAlerted', key)) return Promise.reject(throttled());
    this.writes += 1;
    const old = this.statuses.get(key);
    if (!old) return Promise.reject(new Error('ConditionalCheckFailedException'));
    this.statuses.set(key, { ...old, alerted: true });
    return Promise.resolve();
  }

  putChannelTotals(totals: ChannelTotals, _now: Date): Promise<'written' | 'stale'> {
    const key = `${totals.tenant}/${totals.channel}`;
    if (this.failWhen('putChannelTotals', key)) return Promise.reject(throttled());
    this.writes += 1;
    const old = this.channels.get(key);
    if (old && old.messageCount > totals.messageCount) return Promise.resolve('stale');
    this.channels.set(key, { ...totals });
    return Promise.resolve('written');
  }

  #markUnsettled(
    operation: Operation,
    status: 'rejected' | 'dead_lettered',
    entry: RejectedStatus,
    _now: Date,
  ): Promise<StatusWriteResult> {
    const key = `${entry.tenant}/${entry.id}`;
    if (this.failWhen(operation, key)) return Promise.reject(throttled());
    this.writes += 1;
    const old = this.statuses.get(key);
    if (old?.status === 'stored') return Promise.resolve({ written: false, alreadyAlerted: false });
    this.statuses.set(key, {
      ...old,
      status,
      reason: entry.reason,
      ...(entry.channel ? { channel: entry.channel } : {}),
    });
    return Promise.resolve({ written: true, alreadyAlerted: old?.alerted === true });
  }
}

/** The alerts topic in memory: every published alert, in order. */
export class FakeAlertPublisher implements AlertPublisher {
  readonly published: AlertRequest[] = [];
  /** Returns true to fail that entry. */
  failWhen: (alert: AlertRequest) => boolean = () => false;
  down = false;

  publish(alerts: readonly AlertRequest[]): Promise<PublishResult> {
    const published = new Set<string>();
    const failed = new Map<string, string>();
    for (const alert of alerts) {
      if (this.down || this.failWhen(alert)) {
        failed.set(alert.key, 'InternalError: injected');
      } else {
        this.published.push(alert);
        published.add(alert.key);
      }
    }
    return Promise.resolve({ published, failed });
  }

  countFor(messageId: string): number {
    return this.published.filter((alert) => alert.payload.messageId === messageId).length;
  }
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
}

/** A JSON logger whose lines the test can read. */
export function captureLogger(level: 'debug' | 'info' | 'warn' = 'debug'): {
  logger: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ service: 'worker', level, destination }), lines };
}
