import { randomFillSync } from 'node:crypto';

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
  const spanId = randomHex(8);
  if (!valid) return { traceparent: `00-${randomHex(16)}-${spanId}-01` };
  const context: TraceContext = { traceparent: `00-${traceId}-${spanId}-${match?.[3] ?? '01'}` };
  if (tracestate) context.tracestate = tracestate.slice(0, 512);
  return context;
}

// Random bytes drawn from one pool refilled 4 KiB at a time: randomBytes() per id cost a Buffer
// and a call into OpenSSL for 8 or 16 bytes, twice per request.
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

/** `bytes` random bytes as lowercase hex, from the pool. */
function randomHex(bytes: number): string {
  if (poolOffset + bytes > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const hex = POOL.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** The trace id of a traceparent, for log correlation. */
export function traceIdOf(traceparent: string): string | undefined {
  return TRACEPARENT.exec(traceparent)?.[1];
}
