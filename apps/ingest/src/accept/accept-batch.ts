import {
  messageInputSchema,
  newMessageId,
  type BatchResponse,
  type BatchResult,
} from '@herald/contracts';
import { ApiError, type FieldError } from '../errors/api-error';
import { describeFieldErrors, fieldErrors } from '../errors/zod-issues';
import type { MessageQueue } from '../queue/message-queue';
import {
  fitsInQueue,
  TOO_LARGE_FOR_QUEUE,
  toOutgoingMessage,
  type OutgoingMessage,
} from '../queue/outgoing-message';
import { buildEnvelope, type AcceptContext } from './envelope';
import { enqueueFailed } from './accept-message';

export interface AcceptBatchDeps {
  readonly queue: MessageQueue;
  readonly retryAfterSeconds: number;
}

interface Valid {
  readonly index: number;
  readonly channel: string;
  readonly message: OutgoingMessage;
}

/**
 * Validates each entry on its own, enqueues the valid ones and answers per entry. Throws 422
 * when no entry is valid and 503 when the queue took none of the valid ones.
 */
export async function acceptBatch(
  deps: AcceptBatchDeps,
  entries: readonly unknown[],
  context: AcceptContext,
): Promise<BatchResponse> {
  const results: BatchResult[] = [];
  const valid: Valid[] = [];
  const allErrors: FieldError[] = [];
  entries.forEach((entry, index) => {
    const parsed = messageInputSchema.safeParse(entry);
    let errors: FieldError[];
    if (parsed.success) {
      const message = toOutgoingMessage(buildEnvelope(parsed.data, context, newMessageId()));
      if (fitsInQueue(message)) {
        valid.push({ index, channel: parsed.data.channel, message });
        return;
      }
      errors = [{ path: `/messages/${index}/body`, message: TOO_LARGE_FOR_QUEUE }];
    } else {
      errors = fieldErrors(parsed.error, `/messages/${index}`);
    }
    allErrors.push(...errors);
    results.push({
      index,
      status: 'rejected',
      code: 'validation_failed',
      detail: describeFieldErrors(errors),
      retryable: false,
    });
  });
  if (valid.length === 0) {
    throw new ApiError('validation_failed', 'no message of the batch is valid', {
      errors: allErrors.slice(0, 50),
    });
  }
  const outcomes = await deps.queue.send(valid.map((entry) => entry.message));
  if (outcomes.every((outcome) => !outcome.ok))
    throw enqueueFailed(outcomes[0], deps.retryAfterSeconds);
  valid.forEach((entry, position) => {
    const outcome = outcomes[position];
    if (outcome?.ok) {
      results.push({
        index: entry.index,
        status: 'accepted',
        id: entry.message.id,
        channel: entry.channel,
        acceptedAt: context.acceptedAt,
        replayed: false,
      });
    } else {
      results.push({
        index: entry.index,
        status: 'rejected',
        code: 'enqueue_failed',
        detail: `not enqueued (${outcome?.reason ?? 'no answer from the queue'})`,
        retryable: outcome?.retryable ?? true,
      });
    }
  });
  results.sort((a, b) => a.index - b.index);
  const accepted = results.filter((result) => result.status === 'accepted').length;
  return { accepted, rejected: results.length - accepted, results };
}
