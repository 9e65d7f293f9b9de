import { z } from 'zod';
import { attributesSchema, channelSchema, messageBodySchema, prioritySchema } from './message';
import { LIMITS } from './limits';

export const acceptedMessageSchema = z
  .object({
    id: z.uuid(),
    status: z.literal('accepted'),
    channel: channelSchema,
    acceptedAt: z.iso.datetime(),
    /** True when this answer replays an earlier request with the same Idempotency-Key. */
    replayed: z.boolean(),
  })
  .meta({ id: 'AcceptedMessage' });
export type AcceptedMessage = z.infer<typeof acceptedMessageSchema>;

export const batchResultSchema = z
  .discriminatedUnion('status', [
    acceptedMessageSchema.extend({ index: z.int().min(0) }),
    z.object({
      index: z.int().min(0),
      status: z.literal('rejected'),
      /** Stable problem code, e.g. `validation_failed` (fix the message) or `enqueue_failed` (retry it). */
      code: z.string(),
      detail: z.string(),
      retryable: z.boolean(),
    }),
  ])
  .meta({ id: 'BatchResult' });
export type BatchResult = z.infer<typeof batchResultSchema>;

export const batchResponseSchema = z
  .object({ accepted: z.int(), rejected: z.int(), results: z.array(batchResultSchema) })
  .meta({ id: 'BatchResponse' });
export type BatchResponse = z.infer<typeof batchResponseSchema>;

export const messageStatusSchema = z
  .enum(['stored', 'rejected', 'dead_lettered'])
  .meta({ id: 'MessageStatus' });
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const storedMessageSchema = z
  .object({
    id: z.uuid(),
    channel: channelSchema,
    body: messageBodySchema,
    sender: z.string().nullable(),
    attributes: attributesSchema,
    priority: prioritySchema,
    acceptedAt: z.iso.datetime(),
    storedAt: z.iso.datetime(),
  })
  .meta({ id: 'StoredMessage' });
export type StoredMessage = z.infer<typeof storedMessageSchema>;

export const messageStatusResponseSchema = z
  .object({
    id: z.uuid(),
    status: messageStatusSchema,
    reason: z.string().optional(),
    alerted: z.boolean().optional(),
    message: storedMessageSchema.optional(),
  })
  .meta({ id: 'MessageStatusResponse' });
export type MessageStatusResponse = z.infer<typeof messageStatusResponseSchema>;

export const historyQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.historyPageMax)
    .default(LIMITS.historyPageDefault),
  cursor: z.string().max(200).optional(),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyPageSchema = z
  .object({ items: z.array(storedMessageSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'HistoryPage' });
export type HistoryPage = z.infer<typeof historyPageSchema>;
