import type {
  AcceptedMessage,
  BatchResponse,
  BatchResult,
  HistoryPage,
  MessageInputRaw,
  MessageStatusResponse,
  StoredMessage,
} from '@herald/contracts';
import { chunkBatch, type BatchChunk } from './batch-chunks';
import { resolveClientOptions, type HeraldClientOptions } from './client-options';
import { HeraldApiError } from './herald-api-error';
import { requestJson, type Transport } from './transport';

export interface SendOptions {
  /** Makes the send safe to repeat for 24 h: the same key and payload give the same id. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface HistoryOptions {
  /** Items per request (the API allows up to `LIMITS.historyPageMax`). */
  readonly pageSize?: number;
  /** Start after this `nextCursor` of an earlier page. */
  readonly cursor?: string;
  readonly signal?: AbortSignal;
}

/** One result per input message, in input order (`index` is the position in the input). */
export interface BatchSendResult extends BatchResponse {
  /**
   * The failure that stopped the batch, if one request failed as a whole: its entries and every
   * later one are `rejected` with its code; the entries before it keep their answers.
   */
  readonly failure?: HeraldApiError;
}

/**
 * A typed client of the Herald ingest API, on `fetch` only (Node ≥ 20, browsers, workers).
 * Retries 429 and 503 (after `Retry-After`), and network failures only where repeating is safe.
 *
 * @example
 * const herald = new HeraldClient({ baseUrl: 'http://127.0.0.1:3000', apiKey });
 * const { id } = await herald.send({ channel: 'orders', body: { orderId: 42 } });
 */
export class HeraldClient {
  readonly #transport: Transport;

  constructor(options: HeraldClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#transport = {
      baseUrl: resolved.baseUrl,
      apiKey: resolved.apiKey,
      timeoutMs: resolved.timeoutMs,
      retry: resolved.retry,
      // Bound: some runtimes' fetch throws "Illegal invocation" when called as a method.
      fetch: resolved.fetch ?? globalThis.fetch.bind(globalThis),
      ...(resolved.random ? { random: resolved.random } : {}),
    };
  }

  /** `POST /v1/messages`: resolves once the message is durably enqueued. */
  async send(message: MessageInputRaw, options: SendOptions = {}): Promise<AcceptedMessage> {
    const { idempotencyKey, signal } = options;
    return (await requestJson(this.#transport, {
      method: 'POST',
      path: 'v1/messages',
      body: JSON.stringify(message),
      headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
      idempotent: idempotencyKey !== undefined,
      signal,
    })) as AcceptedMessage;
  }

  /**
   * `POST /v1/messages/batch` as many times as the API's limits need, one request after the
   * other; the per-entry results are merged back in input order. Never rejects: a request that
   * fails as a whole is reported in `failure` and as rejected entries.
   */
  async sendBatch(
    messages: readonly MessageInputRaw[],
    options: { signal?: AbortSignal } = {},
  ): Promise<BatchSendResult> {
    const { chunks, oversized } = chunkBatch(messages);
    const results = new Map<number, BatchResult>();
    for (const entry of oversized) {
      results.set(entry.index, {
        index: entry.index,
        status: 'rejected',
        code: 'payload_too_large',
        detail: `the message is ${entry.bytes} bytes of JSON: more than one request may carry`,
        retryable: false,
      });
    }
    let failure: HeraldApiError | undefined;
    for (const chunk of chunks) {
      if (failure) {
        rejectAll(results, chunk.indexes, failure, 'not sent: an earlier request failed', true);
        continue;
      }
      try {
        for (const result of await this.#sendChunk(chunk, options.signal))
          results.set(result.index, result);
      } catch (error) {
        if (!(error instanceof HeraldApiError)) throw error;
        if (error.code === 'validation_failed') {
          rejectInvalid(results, chunk.indexes, error);
          continue;
        }
        failure = error;
        // 4xx and 503 mean nothing was enqueued; no answer, a 5xx or an unreadable one mean "maybe".
        const known = (error.status >= 400 && error.status < 500) || error.status === 503;
        rejectAll(
          results,
          chunk.indexes,
          error,
          known ? error.detail : `outcome unknown (${error.detail}): it may have been enqueued`,
          error.status === 429 || error.status === 503,
        );
      }
    }
    const ordered = messages.map((_, index) => results.get(index)).filter((r) => r !== undefined);
    const accepted = ordered.filter((result) => result.status === 'accepted').length;
    return {
      accepted,
      rejected: ordered.length - accepted,
      results: ordered,
      ...(failure ? { failure } : {}),
    };
  }

  /** `GET /v1/messages/{id}`: the status, and the message once stored. 404 until settled. */
  async get(id: string, options: { signal?: AbortSignal } = {}): Promise<MessageStatusResponse> {
    return (await requestJson(this.#transport, {
      method: 'GET',
      path: `v1/messages/${encodeURIComponent(id)}`,
      idempotent: true,
      signal: options.signal,
    })) as MessageStatusResponse;
  }

  /** One page of a channel's stored messages, newest first. */
  async historyPage(channel: string, options: HistoryOptions = {}): Promise<HistoryPage> {
    const query = new URLSearchParams();
    if (options.pageSize !== undefined) query.set('limit', String(options.pageSize));
    if (options.cursor !== undefined) query.set('cursor', options.cursor);
    const search = query.size > 0 ? `?${query.toString()}` : '';
    return (await requestJson(this.#transport, {
      method: 'GET',
      path: `v1/channels/${encodeURIComponent(channel)}/messages${search}`,
      idempotent: true,
      signal: options.signal,
    })) as HistoryPage;
  }

  /**
   * Every stored message of a channel, newest first, fetching the next page (through its
   * cursor) only when the previous one is consumed.
   *
   * @example
   * for await (const message of herald.history('orders', { pageSize: 100 })) console.log(message.id);
   */
  async *history(channel: string, options: HistoryOptions = {}): AsyncGenerator<StoredMessage> {
    let cursor = options.cursor;
    do {
      const page = await this.historyPage(channel, { ...options, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  async #sendChunk(chunk: BatchChunk, signal?: AbortSignal): Promise<BatchResult[]> {
    const response = (await requestJson(this.#transport, {
      method: 'POST',
      path: 'v1/messages/batch',
      body: chunk.body,
      // A batch takes no Idempotency-Key: after an unknown outcome it is not repeated.
      idempotent: false,
      signal,
    })) as BatchResponse;
    return response.results.map((result) => {
      const index = chunk.indexes[result.index];
      if (index === undefined) throw invalidBatchAnswer(result.index);
      return { ...result, index };
    });
  }
}

function rejectAll(
  results: Map<number, BatchResult>,
  indexes: readonly number[],
  error: HeraldApiError,
  detail: string,
  retryable: boolean,
): void {
  for (const index of indexes)
    results.set(index, { index, status: 'rejected', code: error.code, detail, retryable });
}

/** A 422 for the whole request: no entry was valid; each gets its own field errors. */
function rejectInvalid(
  results: Map<number, BatchResult>,
  indexes: readonly number[],
  error: HeraldApiError,
): void {
  indexes.forEach((index, position) => {
    const prefix = `/messages/${position}`;
    const own = (error.errors ?? []).filter(
      (field) => field.path === prefix || field.path.startsWith(`${prefix}/`),
    );
    const detail = own.length
      ? own.map((field) => `${field.path.slice(prefix.length) || '/'}: ${field.message}`).join('; ')
      : error.detail;
    results.set(index, {
      index,
      status: 'rejected',
      code: 'validation_failed',
      detail,
      retryable: false,
    });
  });
}

function invalidBatchAnswer(index: number): HeraldApiError {
  return new HeraldApiError({
    code: 'invalid_response',
    status: 202,
    title: 'Invalid response',
    detail: `the batch answer names entry ${index}, which the request did not have`,
  });
}
