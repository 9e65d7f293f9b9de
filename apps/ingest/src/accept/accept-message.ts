import {
  idempotentMessageId,
  newMessageId,
  type AcceptedMessage,
  type MessageInput,
} from '@herald/contracts';
import { ApiError } from '../errors/api-error';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency/idempotency-store';
import { requestHash } from '../idempotency/request-hash';
import type { MessageQueue, SendOutcome } from '../queue/message-queue';
import {
  fitsInQueue,
  TOO_LARGE_FOR_QUEUE,
  toOutgoingMessage,
  type OutgoingMessage,
} from '../queue/outgoing-message';
import { buildEnvelope, type AcceptContext } from './envelope';

export interface AcceptMessageDeps {
  readonly queue: MessageQueue;
  readonly idempotency: IdempotencyStore;
  readonly retryAfterSeconds: number;
}

/**
 * Accepts one validated message: 202 only once SQS has accepted it (docs/invariants.md#1). With an
 * Idempotency-Key the key is claimed first (state `pending`), then the message is enqueued,
 * then the claim is marked `accepted`; a retry that finds the claim still `pending` enqueues
 * again, which the id derived from (tenant, key) makes harmless downstream.
 */
export async function acceptMessage(
  deps: AcceptMessageDeps,
  input: MessageInput,
  context: AcceptContext,
  idempotencyKey?: string,
): Promise<AcceptedMessage> {
  if (idempotencyKey === undefined) {
    const id = newMessageId();
    await send(deps, prepare(input, context, id));
    return {
      id,
      status: 'accepted',
      channel: input.channel,
      acceptedAt: context.acceptedAt,
      replayed: false,
    };
  }
  const claim: IdempotencyClaim = {
    tenant: context.tenant,
    key: idempotencyKey,
    messageId: idempotentMessageId(context.tenant, idempotencyKey),
    requestHash: requestHash(input),
    acceptedAt: context.acceptedAt,
  };
  // Checked before claiming, so a message that can never be enqueued leaves no claim behind.
  const message = prepare(input, context, claim.messageId, idempotencyKey);
  const result = await deps.idempotency.claim(claim);
  if (result.outcome === 'existing') {
    if (result.claim.requestHash !== claim.requestHash) {
      throw new ApiError(
        'idempotency_conflict',
        'this Idempotency-Key was already used with a different payload',
      );
    }
    if (result.claim.state === 'pending') {
      // The first attempt may have failed after its claim: finish its work with its timestamp.
      await send(
        deps,
        prepare(
          input,
          { ...context, acceptedAt: result.claim.acceptedAt },
          claim.messageId,
          idempotencyKey,
        ),
      );
      await deps.idempotency.markAccepted(result.claim).catch(() => undefined);
    }
    return {
      id: result.claim.messageId,
      status: 'accepted',
      channel: input.channel,
      acceptedAt: result.claim.acceptedAt,
      replayed: true,
    };
  }
  await send(deps, message);
  // Best effort: a claim left pending only costs a harmless re-enqueue on the next replay.
  await deps.idempotency.markAccepted(claim).catch(() => undefined);
  return {
    id: claim.messageId,
    status: 'accepted',
    channel: input.channel,
    acceptedAt: context.acceptedAt,
    replayed: false,
  };
}

function prepare(
  input: MessageInput,
  context: AcceptContext,
  id: string,
  key?: string,
): OutgoingMessage {
  const message = toOutgoingMessage(buildEnvelope(input, context, id, key));
  if (!fitsInQueue(message)) {
    throw new ApiError('validation_failed', 'the message is too large', {
      errors: [{ path: '/body', message: TOO_LARGE_FOR_QUEUE }],
    });
  }
  return message;
}

async function send(deps: AcceptMessageDeps, message: OutgoingMessage): Promise<void> {
  const [outcome] = await deps.queue.send([message]);
  if (!outcome?.ok) throw enqueueFailed(outcome, deps.retryAfterSeconds);
}

/** 503 with Retry-After: nothing was acknowledged, the producer should send again. */
export function enqueueFailed(
  outcome: SendOutcome | undefined,
  retryAfterSeconds: number,
): ApiError {
  const reason = outcome && !outcome.ok ? outcome.reason : 'no answer from the queue';
  return new ApiError(
    'service_unavailable',
    `the message was not enqueued (${reason}); retry later`,
    {
      headers: { 'retry-after': String(retryAfterSeconds) },
    },
  );
}
