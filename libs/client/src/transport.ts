import { PROBLEM_STATUS, problemSchema, type ProblemCode } from '@herald/contracts';
import { HeraldApiError } from './herald-api-error';
import { backoffDelayMs, parseRetryAfter, sleep, type RetryOptions } from './retry-policy';

/** What every request of one client shares. */
export interface Transport {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly fetch: typeof globalThis.fetch;
  readonly random?: () => number;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  /** Path and query relative to the base URL, already encoded, e.g. `v1/messages/…`. */
  readonly path: string;
  /** JSON text of the request body. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Whether repeating the request after an unknown outcome (network failure, timeout, 5xx other
   * than 503) is harmless: a GET, or a POST with an Idempotency-Key. 429 and 503 are retried
   * either way: the ingest answers them only when it enqueued nothing.
   */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** Statuses after which nothing was acknowledged: always safe to send again. */
const NOTHING_DONE = new Set([429, 503]);
/** Statuses whose outcome is unknown: safe to repeat only when the request is idempotent. */
const UNKNOWN_OUTCOME = new Set([500, 502, 504]);

/**
 * Sends one request, retrying as {@link RetryOptions} allow, and resolves with the parsed JSON
 * of a 2xx answer. Every failure is a {@link HeraldApiError}. The whole call, waits included,
 * ends within `retry.maxElapsedMs`.
 */
export async function requestJson(transport: Transport, spec: RequestSpec): Promise<unknown> {
  const requestId = crypto.randomUUID();
  const started = Date.now();
  const { maxAttempts, maxElapsedMs } = transport.retry;
  for (let attempt = 1; ; attempt += 1) {
    const remaining = maxElapsedMs - (Date.now() - started);
    let failure: HeraldApiError;
    try {
      return await attemptOnce(
        transport,
        spec,
        requestId,
        Math.min(transport.timeoutMs, remaining),
      );
    } catch (error) {
      if (!(error instanceof HeraldApiError)) throw error;
      failure = error;
    }
    if (attempt >= maxAttempts || !isRetryable(failure, spec.idempotent))
      throw failure.withAttempts(attempt);
    const wait = failure.retryAfterMs ?? backoffDelayMs(attempt, transport.retry, transport.random);
    // A wait that would end past the deadline cannot lead to an answer in time: give up now.
    if (Date.now() - started + wait >= maxElapsedMs) throw failure.withAttempts(attempt);
    try {
      await sleep(wait, spec.signal);
    } catch (error) {
      throw abortedError(requestId, error).withAttempts(attempt);
    }
  }
}

function isRetryable(error: HeraldApiError, idempotent: boolean): boolean {
  if (NOTHING_DONE.has(error.status)) return true;
  if (!idempotent) return false;
  return (
    error.code === 'network_error' || error.code === 'timeout' || UNKNOWN_OUTCOME.has(error.status)
  );
}

async function attemptOnce(
  transport: Transport,
  spec: RequestSpec,
  requestId: string,
  timeoutMs: number,
): Promise<unknown> {
  if (spec.signal?.aborted) throw abortedError(requestId, spec.signal.reason);
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
  const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    authorization: `Bearer ${transport.apiKey}`,
    'x-request-id': requestId,
    ...spec.headers,
  };
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await transport.fetch(new URL(spec.path, transport.baseUrl), {
      method: spec.method,
      headers,
      ...(spec.body === undefined ? {} : { body: spec.body }),
      signal,
    });
    const text = await response.text();
    const answeredId = response.headers.get('x-request-id') ?? requestId;
    if (response.ok) return parseJson(text, response.status, answeredId);
    throw problemError(response, text, answeredId);
  } catch (error) {
    if (error instanceof HeraldApiError) throw error;
    if (spec.signal?.aborted) throw abortedError(requestId, error);
    if (timeout.aborted) {
      throw new HeraldApiError({
        code: 'timeout',
        status: 0,
        title: 'Request timed out',
        detail: `no complete answer within ${timeoutMs} ms from ${spec.method} ${spec.path}`,
        requestId,
        cause: error,
      });
    }
    throw new HeraldApiError({
      code: 'network_error',
      status: 0,
      title: 'Network error',
      detail: `${spec.method} ${spec.path} failed: ${describeCause(error)}`,
      requestId,
      cause: error,
    });
  }
}

function parseJson(text: string, status: number, requestId: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HeraldApiError({
      code: 'invalid_response',
      status,
      title: 'Invalid response',
      detail: `the answer is not JSON: ${text.slice(0, 80)}`,
      requestId,
      cause: error,
    });
  }
}

/** The problem document of an error answer; one built from the status when there is none. */
function problemError(response: Response, text: string, requestId: string): HeraldApiError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const problem = problemSchema.safeParse(json);
  if (problem.success) {
    return new HeraldApiError({
      code: problem.data.code,
      status: response.status,
      title: problem.data.title,
      detail: problem.data.detail,
      requestId: problem.data.requestId,
      errors: problem.data.errors,
      retryAfterMs,
    });
  }
  // Not a Herald problem document (a proxy or load balancer answered): keep what is known.
  return new HeraldApiError({
    code: codeOfStatus(response.status),
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
    detail: text.trim().slice(0, 200) || `HTTP ${response.status} without a problem document`,
    requestId,
    retryAfterMs,
  });
}

function codeOfStatus(status: number): ProblemCode | 'invalid_response' {
  const entry = Object.entries(PROBLEM_STATUS).find(([, known]) => known === status);
  return entry ? (entry[0] as ProblemCode) : 'invalid_response';
}

function abortedError(requestId: string, cause: unknown): HeraldApiError {
  return new HeraldApiError({
    code: 'aborted',
    status: 0,
    title: 'Aborted',
    detail: 'the caller aborted the request',
    requestId,
    cause,
  });
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
