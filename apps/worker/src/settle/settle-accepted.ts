import type { Message } from '@aws-sdk/client-sqs';
import type { Envelope } from '@herald/contracts';
import { criticalAlert } from '../alerts/alerts';
import type { AcceptedMessage, TraceFields } from '../consume/decode';
import { describeError } from '../errors';
import { groupBy } from '../consume/group-by';
import type { MessageStore, StoreResult } from '../store/message-store';
import type { StatusWriteResult, StoredStatus } from '../metadata/metadata-store';
import { type AlertDeps, sendAlerts } from '../alerts/send-alerts';

export interface AcceptedDeps extends AlertDeps {
  readonly store: MessageStore;
}

export interface AcceptedOutcome {
  /** Messages to delete: stored, their metadata synced, their alert (if any) sent and recorded. */
  readonly done: Message[];
  /** Rows this batch inserted. */
  readonly stored: number;
  /** Valid messages that were already stored (redeliveries, repeated ids). */
  readonly duplicates: number;
  readonly alerted: number;
  /** acceptedAt of every settled message, for the latency metric. */
  readonly acceptedAt: number[];
  /** PostgreSQL or DynamoDB failed for the whole batch: polling should slow down. */
  readonly unavailable: boolean;
}

/** One envelope id and every SQS copy of it in the batch. */
interface Group {
  readonly envelope: Envelope;
  readonly trace: TraceFields;
  readonly copies: readonly Message[];
}

function nothingDone(unavailable: boolean): AcceptedOutcome {
  return { done: [], stored: 0, duplicates: 0, alerted: 0, acceptedAt: [], unavailable };
}

/**
 * Stores valid envelopes in PostgreSQL, then writes the `stored` status of EVERY one of them
 * (new or redelivered: a crash between the two stores heals on redelivery), then alerts critical
 * ones not yet alerted. Returns only what went through every step. Channel totals are not the
 * batch's to write: the PostgreSQL commit leaves them ahead, and the channel flusher copies them
 * (`metadata/channel-flusher.ts`, docs/invariants.md#3).
 */
export async function settleAccepted(
  deps: AcceptedDeps,
  batch: readonly AcceptedMessage[],
): Promise<AcceptedOutcome> {
  if (batch.length === 0) return nothingDone(false);
  const groups = groupCopies(batch);
  const result = await store(deps, groups);
  if (!result) return nothingDone(true);
  const storable = withoutRefused(deps, groups, result);
  const synced = await writeStatuses(deps, storable, result, new Date(deps.clock()));
  const alerted = await alertCritical(deps, storable, synced, result);
  const done: Message[] = [];
  const acceptedAt: number[] = [];
  for (const group of storable) {
    const { id, priority } = group.envelope;
    const write = synced.get(id);
    const alertDone = priority !== 'critical' || write?.alreadyAlerted === true || alerted.has(id);
    if (!write || !alertDone) continue;
    done.push(...group.copies);
    acceptedAt.push(...group.copies.map(() => Date.parse(group.envelope.acceptedAt)));
    logSettled(deps, group, result.insertedIds.has(id), write.alreadyAlerted || alerted.has(id));
  }
  const refused = batch.filter((message) => result.rejected.has(message.envelope.id)).length;
  return {
    done,
    stored: result.insertedIds.size,
    duplicates: batch.length - result.insertedIds.size - refused,
    alerted: alerted.size,
    acceptedAt,
    unavailable: storable.length > 0 && synced.size === 0,
  };
}

/** One group per envelope id, with every SQS copy of it. */
function groupCopies(batch: readonly AcceptedMessage[]): Group[] {
  return [...groupBy(batch, (message) => message.envelope.id).values()].map((copies) => ({
    envelope: copies[0].envelope,
    trace: copies[0].trace,
    copies: copies.map((copy) => copy.sqs),
  }));
}

/** The PostgreSQL step; undefined when the store is unavailable (nothing was committed). */
async function store(
  deps: AcceptedDeps,
  groups: readonly Group[],
): Promise<StoreResult | undefined> {
  try {
    return await deps.store.store(groups.map((group) => group.envelope));
  } catch (error) {
    const messageIds = groups.map((group) => group.envelope.id);
    deps.logger.error(
      { err: describeError(error), messageIds },
      'message store failed; leaving the batch for redelivery',
    );
    return undefined;
  }
}

/** Drops (and reports) the rows PostgreSQL refused: they stay on the queue until the DLQ. */
function withoutRefused(
  deps: AcceptedDeps,
  groups: readonly Group[],
  result: StoreResult,
): Group[] {
  return groups.filter(({ envelope, trace }) => {
    const reason = result.rejected.get(envelope.id);
    if (reason === undefined) return true;
    deps.logger.error(
      { messageId: envelope.id, tenant: envelope.tenant, reason, ...trace },
      'PostgreSQL refused the message; leaving it to dead-letter after maxReceiveCount',
    );
    return false;
  });
}

/** Alerts the synced critical messages whose status did not say `alerted`; returns the ids done. */
function alertCritical(
  deps: AcceptedDeps,
  groups: readonly Group[],
  synced: ReadonlyMap<string, StatusWriteResult>,
  result: StoreResult,
): Promise<Set<string>> {
  const now = new Date(deps.clock());
  const due = groups.filter(
    ({ envelope }) =>
      envelope.priority === 'critical' && synced.get(envelope.id)?.alreadyAlerted === false,
  );
  return sendAlerts(
    deps,
    due.map(({ envelope }) => ({
      tenant: envelope.tenant,
      id: envelope.id,
      ...criticalAlert(envelope, result.storedAt.get(envelope.id) ?? now),
    })),
  );
}

/**
 * The `stored` status of every group: critical messages one UpdateItem each (their `alerted`
 * flag must survive, and the old item says whether it is set); every other message in one bulk
 * write (nothing of theirs to keep).
 */
async function writeStatuses(
  deps: AcceptedDeps,
  groups: readonly Group[],
  result: StoreResult,
  now: Date,
): Promise<Map<string, StatusWriteResult>> {
  const statusOf = ({ envelope }: Group): StoredStatus => ({
    tenant: envelope.tenant,
    id: envelope.id,
    channel: envelope.channel,
    storedAt: result.storedAt.get(envelope.id) ?? now,
  });
  const fail = ({ envelope, trace }: Group, reason: unknown): void => {
    deps.logger.error(
      { messageId: envelope.id, ...trace, reason },
      'status not written; leaving the message for redelivery',
    );
  };
  const written = new Map<string, StatusWriteResult>();
  const critical = groups.filter((group) => group.envelope.priority === 'critical');
  const plain = groups.filter((group) => group.envelope.priority !== 'critical');
  const writeCritical = critical.map(async (group) => {
    try {
      written.set(group.envelope.id, await deps.metadata.markStored(statusOf(group), now));
    } catch (error) {
      fail(group, describeError(error));
    }
  });
  const writePlain = async (): Promise<void> => {
    if (plain.length === 0) return;
    const failed = await deps.metadata
      .putStored(plain.map(statusOf), now)
      .catch(
        (error: unknown) =>
          new Map(plain.map((group) => [group.envelope.id, describeError(error).message])),
      );
    for (const group of plain) {
      const reason = failed.get(group.envelope.id);
      if (reason === undefined)
        written.set(group.envelope.id, { written: true, alreadyAlerted: false });
      else fail(group, reason);
    }
  };
  await Promise.all([...writeCritical, writePlain()]);
  return written;
}

/**
 * One line per settled message: at `info` for what an operator looks for (a duplicate, a
 * redelivery, an alert), at `debug` for a plain first delivery stored once: that line was 420 of
 * the 440 log bytes per message, and the DynamoDB status answers "what became of it".
 */
function logSettled(deps: AcceptedDeps, group: Group, inserted: boolean, alerted: boolean): void {
  const receiveCount = group.copies[0]?.Attributes?.ApproximateReceiveCount;
  const plain = inserted && !alerted && group.copies.length === 1 && receiveCount === '1';
  const level = plain ? 'debug' : 'info';
  if (!deps.logger.isLevelEnabled(level)) return;
  const { id, tenant, channel, priority } = group.envelope;
  deps.logger[level](
    {
      messageId: id,
      tenant,
      channel,
      priority,
      outcome: inserted ? 'stored' : 'duplicate',
      alerted,
      receiveCount,
      ...group.trace,
    },
    'message settled',
  );
}
