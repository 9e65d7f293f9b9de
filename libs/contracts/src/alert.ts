import { z } from 'zod';
import { tenantSchema } from './envelope';
import { prioritySchema } from './message';

export const ALERT_PREVIEW_MAX = 280;

/** What the worker publishes to the alerts SNS topic (JSON message). */
export const alertPayloadSchema = z.strictObject({
  v: z.literal(1),
  kind: z.enum(['critical_message', 'message_rejected']),
  messageId: z.string(),
  tenant: tenantSchema.optional(),
  channel: z.string().optional(),
  priority: prioritySchema.optional(),
  sender: z.string().optional(),
  acceptedAt: z.string().optional(),
  storedAt: z.string().optional(),
  /** The start of the body, for humans reading the alert; never the whole body. */
  preview: z.string().max(ALERT_PREVIEW_MAX).optional(),
  reason: z.string().optional(),
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

/** First characters of a body for an alert preview. */
export function previewOf(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length <= ALERT_PREVIEW_MAX ? text : `${text.slice(0, ALERT_PREVIEW_MAX - 1)}…`;
}
