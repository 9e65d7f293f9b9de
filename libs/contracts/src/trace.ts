import { z } from 'zod';

/** W3C trace context, carried from the HTTP request into the queue and the worker's logs. */
export const traceContextSchema = z.strictObject({
  traceparent: z
    .string()
    .regex(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/,
      'must be a W3C traceparent (00-<trace>-<span>-<flags>)',
    ),
  tracestate: z.string().max(512).optional(),
});
export type TraceContext = z.infer<typeof traceContextSchema>;
