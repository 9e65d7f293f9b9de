/** Requests per service and operation, e.g. `{ sqs: { SendMessageBatch: 12 } }`. */
export type RequestCounts = Record<string, Record<string, number>>;

/**
 * Counts the requests the local AWS edge served, from its own `request` log lines (one per
 * answered request): the stack counts, not the services under test.
 */
export class EdgeCounter {
  readonly #counts: RequestCounts = {};

  /** The `log` option of `startStack`. */
  readonly sink = (source: string, line: string): void => {
    if (source !== 'aws' || !line.includes('"msg":"request"')) return;
    const entry = JSON.parse(line) as { service?: string; operation?: string };
    const service = (this.#counts[entry.service ?? 'unknown'] ??= {});
    const operation = entry.operation ?? 'unknown';
    service[operation] = (service[operation] ?? 0) + 1;
  };

  snapshot(): RequestCounts {
    return structuredClone(this.#counts);
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
