import type { SQSClient } from '@aws-sdk/client-sqs';

/** Requests per service and operation, e.g. `{ sqs: { SendMessageBatch: 12 } }`. */
export type RequestCounts = Record<string, Record<string, number>>;

/**
 * Counts the requests the local AWS edge served, from its own `request` log lines (one per
 * answered request): the stack counts, not the services under test.
 */
export class EdgeCounter {
  readonly #counts: RequestCounts = {};
  /** The bench's own requests (queue depth polls, purges): not the pipeline's, so left out. */
  readonly #own: RequestCounts = {};

  /**
   * Counts every request `client` sends as the bench's own, so snapshots leave it out. The
   * middleware runs once per attempt (after the retry step), as the edge sees each attempt.
   */
  exclude(client: SQSClient, service: string): void {
    client.middlewareStack.add(
      (next, context) => (args) => {
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const own = (this.#own[service] ??= {});
        own[operation] = (own[operation] ?? 0) + 1;
        return next(args);
      },
      { step: 'deserialize', name: 'benchOwnRequests' },
    );
  }

  /** The `log` option of `startStack`. */
  readonly sink = (source: string, line: string): void => {
    if (source !== 'aws' || !line.includes('"msg":"request"')) return;
    const entry = JSON.parse(line) as { service?: string; operation?: string };
    const service = (this.#counts[entry.service ?? 'unknown'] ??= {});
    const operation = entry.operation ?? 'unknown';
    service[operation] = (service[operation] ?? 0) + 1;
  };

  /** The pipeline's requests so far: every request the edge served but the bench's own. */
  snapshot(): RequestCounts {
    const out = structuredClone(this.#counts);
    for (const [service, operations] of Object.entries(this.#own))
      for (const [operation, count] of Object.entries(operations)) {
        const counts = (out[service] ??= {});
        counts[operation] = (counts[operation] ?? 0) - count;
      }
    return out;
  }
}

/** `after - before`, dropping operations that did not move. */
export function diffCounts(before: RequestCounts, after: RequestCounts): RequestCounts {
  const out: RequestCounts = {};
  for (const [service, operations] of Object.entries(after)) {
    for (const [operation, count] of Object.entries(operations)) {
      const delta = count - (before[service]?.[operation] ?? 0);
      if (delta > 0) (out[service] ??= {})[operation] = delta;
    }
  }
  return out;
}

/** Requests per message, by service and operation, rounded to 4 digits. */
export function perMessage(counts: RequestCounts, messages: number): RequestCounts {
  const out: RequestCounts = {};
  for (const [service, operations] of Object.entries(counts)) {
    for (const [operation, count] of Object.entries(operations)) {
      (out[service] ??= {})[operation] =
        messages === 0 ? 0 : Math.round((count / messages) * 1e4) / 1e4;
    }
  }
  return out;
}

export function total(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((sum, count) => sum + count, 0);
}

/** `SendMessageBatch 0.1, ReceiveMessage 0.2` for one service, or `0`. */
export function formatOps(counts: RequestCounts, service: string): string {
  return (
    Object.entries(counts[service] ?? {})
      .map(([operation, count]) => `${operation} ${count}`)
      .join(', ') || '0'
  );
}
