import type { Message } from '@aws-sdk/client-sqs';
import { rejectionAlert } from '../alerts/alerts';
import type { RejectedMessage } from '../consume/decode';
import { describeError } from '../errors';
import { groupBy } from '../consume/group-by';
import { type AlertDeps, type AlertCandidate, sendAlerts } from '../alerts/send-alerts';
import type { StatusWriteResult } from '../metadata/metadata-store';

export interface RejectedOutcome {
  /** Messages to delete: their rejection is recorded and alerted. */
  readonly done: Message[];
  readonly rejected: number;
  readonly alerted: number;
}

/**
 * Records permanent failures (bad JSON, unknown version, invalid envelope) as `rejected`, alerts
 * once, and acknowledges them: a message that can never succeed must not be retried forever.
 */
export async function settleRejected(
  deps: AlertDeps,
  batch: readonly RejectedMessage[],
): Promise<RejectedOutcome> {
  if (batch.length === 0) return { done: [], rejected: 0, alerted: 0 };
  const groups = groupBy(batch, (message) => `${message.tenant}#${message.id}`);
  const writes = await Promise.all(
    [...groups.values()].map((copies) => recordRejection(deps, copies)),
  );
  const candidates: AlertCandidate[] = [];
  for (const { first, write } of writes) {
    if (write?.written === true && !write.alreadyAlerted) {
      candidates.push({ tenant: first.tenant, id: first.id, ...rejectionAlert(first) });
    }
  }
  const alerted = await sendAlerts(deps, candidates);
  const done: Message[] = [];
  for (const { first, copies, write } of writes) {
    const settled =
      write !== undefined && (!write.written || write.alreadyAlerted || alerted.has(first.id));
    if (settled) done.push(...copies.map((copy) => copy.sqs));
  }
  return { done, rejected: batch.length, alerted: alerted.size };
}

async function recordRejection(
  deps: AlertDeps,
  copies: [RejectedMessage, ...RejectedMessage[]],
): Promise<{
  first: RejectedMessage;
  copies: RejectedMessage[];
  write: StatusWriteResult | undefined;
}> {
  const first = copies[0];
  const fields = {
    messageId: first.id,
    sqsMessageId: first.sqs.MessageId,
    tenant: first.tenant,
    code: first.code,
    reason: first.reason,
    ...first.trace,
  };
  deps.logger.warn(fields, 'envelope rejected');
  try {
    const reason = `${first.code}: ${first.reason}`.slice(0, 500);
    const status = {
      tenant: first.tenant,
      id: first.id,
      reason,
      ...(first.channel ? { channel: first.channel } : {}),
    };
    const write = await deps.metadata.markRejected(status, new Date(deps.clock()));
    if (!write.written)
      deps.logger.warn(fields, 'rejected envelope shares the id of a stored message; acknowledged');
    return { first, copies, write };
  } catch (error) {
    deps.logger.error(
      { ...fields, err: describeError(error) },
      'rejection not recorded; leaving it for redelivery',
    );
    return { first, copies, write: undefined };
  }
}
