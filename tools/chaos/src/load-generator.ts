import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { Ledger } from './producer';

interface SentSeq {
  readonly seq: string;
  readonly channel: string;
  readonly critical: boolean;
}

export interface LoadOptions {
  readonly ingestUrl: string;
  /** Keys to spread requests over (the rate limit is per key). */
  readonly keys: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  readonly overallRate?: number;
  readonly timeoutSeconds: number;
}

export interface LoadOutcome {
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly achievedRate: number;
  /** 429/503 answers by `<status> <problem code> <retry-after|no retry-after>`. */
  readonly shed: Readonly<Record<string, number>>;
}

/**
 * POST /v1/messages on loopback with autocannon, one message per request (5 % critical, a
 * unique seq each), recording every 202's id in the ledger so the stores can be checked.
 */
export async function runLoad(ledger: Ledger, options: LoadOptions): Promise<LoadOutcome> {
  const { hostname } = new URL(options.ingestUrl);
  if (hostname !== '127.0.0.1') throw new Error(`load stays on loopback, not ${hostname}`);
  const run = randomBytes(3).toString('hex');
  let count = 0;
  const shed: Record<string, number> = {};
  const result = await autocannon({
    url: options.ingestUrl,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds,
    ...(options.overallRate ? { overallRate: Math.max(1, Math.round(options.overallRate)) } : {}),
    requests: [
      {
        method: 'POST',
        path: '/v1/messages',
        setupRequest: (request, context) => {
          const index = count++;
          const critical = index % 20 === 0;
          const message = { seq: `${run}-${index}`, channel: `c${index % 5}`, critical };
          (context as { message?: SentSeq }).message = message;
          return {
            ...request,
            headers: {
              authorization: `Bearer ${options.keys[index % options.keys.length] ?? ''}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              channel: message.channel,
              body: { seq: message.seq },
              priority: critical ? 'critical' : 'normal',
            }),
          };
        },
        onResponse: (status, body, context, headers) => {
          if (status === 429 || status === 503) {
            const shape = shedShape(status, body, headers);
            shed[shape] = (shed[shape] ?? 0) + 1;
          }
          if (status !== 202) return;
          const { message } = context as { message?: SentSeq };
          if (message) ledger.accept({ ...message, id: (JSON.parse(body) as { id: string }).id });
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {}))
    statuses[status] = Number((stats as { count: number | string }).count);
  const requests = result.requests.total;
  ledger.sent += requests + result.errors;
  for (const [status, n] of Object.entries(statuses))
    if (status !== '202') ledger.refuse(status, n);
  if (result.timeouts > 0) ledger.refuse('timeout', result.timeouts);
  if (result.errors - result.timeouts > 0) ledger.refuse('error', result.errors - result.timeouts);
  return {
    requests,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    achievedRate: requests / options.durationSeconds,
    shed,
  };
}

/** What a refusal looked like: its status, problem code and whether it said when to retry. */
function shedShape(status: number, body: string, headers: object | undefined): string {
  let code = 'no-problem-code';
  try {
    const parsed = (JSON.parse(body) as { code?: unknown }).code;
    if (typeof parsed === 'string') code = parsed;
  } catch {
    // Not JSON: keep the placeholder, the verdict names it.
  }
  const retryAfter = Object.keys(headers ?? {}).some(
    (name) => name.toLowerCase() === 'retry-after',
  );
  return `${String(status)} ${code} ${retryAfter ? 'retry-after' : 'no retry-after'}`;
}
