import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /**
   * Requests to make: the run ends when every one has its answer (none is left in flight, so
   * the client's count of 2xx is exactly what the server acknowledged). Bounded in time by the
   * per-request timeout.
   */
  readonly amount: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Requests per second over all connections; absent: as fast as the server answers. */
  readonly rate?: number;
  /**
   * Messages a 2xx answer acknowledged (a batch's `results` with `status: accepted`); absent:
   * one per 2xx. Parsing every body costs the load generator, never the server.
   */
  readonly acknowledged?: (body: string) => number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly ok: number;
  /** Messages the answers acknowledged (see `LoadOptions.acknowledged`). */
  readonly acknowledged: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** POSTs `body` `amount` times, loopback only (autocannon: load comes from outside the server). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname } = new URL(options.url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '[::1]') {
    throw new Error(`the bench only loads loopback addresses, not ${hostname}`);
  }
  let acknowledged = 0;
  const count = options.acknowledged;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    ...(count
      ? {
          requests: [
            {
              onResponse: (status: number, body: string) => {
                if (status >= 200 && status < 300) acknowledged += count(body);
              },
            },
          ],
        }
      : {}),
    connections: options.connections,
    amount: options.amount,
    timeout: 30,
    headers: options.headers,
    body: options.body,
    ...(options.rate ? { overallRate: Math.max(1, Math.round(options.rate)) } : {}),
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok: result['2xx'],
    acknowledged: count ? acknowledged : result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Requests for a load of about `seconds` at `ratePerSecond`, at least two per connection. */
export function sizedAmount(ratePerSecond: number, seconds: number, connections: number): number {
  return Math.max(2 * connections, Math.round(ratePerSecond * seconds));
}
