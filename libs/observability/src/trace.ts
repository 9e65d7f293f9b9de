import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/**
 * Continues the caller's W3C trace (a new span id under its trace id) or starts a new one.
 * Malformed or all-zero headers start a new trace, as the spec requires.
 */
export function continueTrace(
  traceparent?: string | null,
  tracestate?: string | null,
): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  const traceId = match?.[1];
  const valid = traceId !== undefined && !/^0+$/.test(traceId) && !/^0+$/.test(match?.[2] ?? '0');
  const spanId = randomBytes(8).toString('hex');
  if (!valid) return { traceparent: `00-${randomBytes(16).toString('hex')}-${spanId}-01` };
  const context: TraceContext = { traceparent: `00-${traceId}-${spanId}-${match?.[3] ?? '01'}` };
  if (tracestate) context.tracestate = tracestate.slice(0, 512);
  return context;
}

/** The trace id of a traceparent, for log correlation. */
export function traceIdOf(traceparent: string): string | undefined {
  return TRACEPARENT.exec(traceparent)?.[1];
}
