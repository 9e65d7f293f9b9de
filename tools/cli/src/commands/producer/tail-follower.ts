import type { HeraldClient } from '@herald/client';
import { LIMITS, type StoredMessage } from '@herald/contracts';

export interface TailFollowerOptions {
  /**
   * How far before the newest message seen a newly stored one may still appear: history is
   * ordered by acceptedAt, and the worker stores some messages later than newer ones.
   */
  readonly lagMs: number;
}

/**
 * Follows a channel through its history (newest first, paged by cursor): each poll walks the
 * pages back to `lagMs` before the newest message seen and returns the ones not seen yet,
 * oldest first. Memory stays bounded by what was stored in one lag window.
 */
export class TailFollower {
  readonly #seen = new Map<string, number>();
  #newest = Number.NEGATIVE_INFINITY;
  #started = false;

  constructor(
    private readonly client: HeraldClient,
    private readonly channel: string,
    private readonly options: TailFollowerOptions,
  ) {}

  /** Marks what is already there as seen and returns its newest `last` messages, oldest first. */
  async start(last: number, signal?: AbortSignal): Promise<StoredMessage[]> {
    const fresh = await this.poll(signal);
    return last > 0 ? fresh.slice(-last) : [];
  }

  /** The messages stored since the previous poll, oldest first. */
  async poll(signal?: AbortSignal): Promise<StoredMessage[]> {
    const fresh: StoredMessage[] = [];
    // Later polls look back from the newest message seen before; the first from what it finds.
    let horizon = this.#newest - this.options.lagMs;
    let cursor: string | undefined;
    let first = true;
    do {
      const page = await this.client.historyPage(this.channel, {
        pageSize: LIMITS.historyPageMax,
        ...(cursor === undefined ? {} : { cursor }),
        ...(signal ? { signal } : {}),
      });
      if (first && !this.#started && page.items[0])
        horizon = Date.parse(page.items[0].acceptedAt) - this.options.lagMs;
      first = false;
      for (const message of page.items)
        if (!this.#seen.has(message.id) && Date.parse(message.acceptedAt) >= horizon)
          fresh.push(message);
      const oldest = page.items.at(-1);
      const past = oldest !== undefined && Date.parse(oldest.acceptedAt) < horizon;
      cursor = past ? undefined : (page.nextCursor ?? undefined);
    } while (cursor !== undefined);
    this.#started = true;
    for (const message of fresh) {
      const at = Date.parse(message.acceptedAt);
      this.#seen.set(message.id, at);
      this.#newest = Math.max(this.#newest, at);
    }
    this.#forget(this.#newest - this.options.lagMs);
    return fresh.sort(
      (a, b) => Date.parse(a.acceptedAt) - Date.parse(b.acceptedAt) || a.id.localeCompare(b.id),
    );
  }

  #forget(before: number): void {
    for (const [id, at] of this.#seen) if (at < before) this.#seen.delete(id);
  }
}
