/** What a long poll watches: a queue, seen through the parts a waiter needs. */
export interface PollSource {
  readonly isDeleted: boolean;
  nextDueAt(): number | undefined;
  subscribe(listener: () => void): () => void;
}

/** How long to wait and when to give up early. */
export interface LongPollOptions {
  readonly waitMs: number;
  /** Aborted when the client goes away or the emulator shuts down: answer empty at once. */
  readonly signal: AbortSignal;
}

/** One parked ReceiveMessage: retries `take` on every wake-up until it yields or time is up. */
class Waiter<T> {
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly deadline: number;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly source: PollSource,
    private readonly take: () => T[],
    private readonly options: LongPollOptions,
    private readonly resolve: (result: T[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.deadline = Date.now() + options.waitMs;
    this.unsubscribe = source.subscribe(this.attempt);
    options.signal.addEventListener('abort', this.onAbort, { once: true });
    this.schedule();
  }

  private readonly onAbort = (): void => {
    this.finish([]);
  };

  // Runs from timers and queue notifications: it must never throw.
  private readonly attempt = (): void => {
    if (this.done) return;
    if (this.source.isDeleted) {
      this.finish([]);
      return;
    }
    let taken: T[];
    try {
      taken = this.take();
    } catch (error) {
      this.settle();
      this.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (taken.length > 0 || Date.now() >= this.deadline) this.finish(taken);
    else this.schedule();
  };

  /** Wakes at the deadline, or earlier when a delayed or in-flight message becomes visible. */
  private schedule(): void {
    clearTimeout(this.timer);
    const due = this.source.nextDueAt();
    const at = due === undefined ? this.deadline : Math.min(due, this.deadline);
    this.timer = setTimeout(this.attempt, Math.max(0, at - Date.now()));
  }

  private settle(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.unsubscribe();
    this.options.signal.removeEventListener('abort', this.onAbort);
  }

  private finish(result: T[]): void {
    this.settle();
    this.resolve(result);
  }
}

/**
 * Runs `take` until it yields something or the wait ends, like ReceiveMessage with
 * WaitTimeSeconds: it returns as soon as a message is sent to the queue or becomes visible
 * again (woken by the queue's change notifications, or by a timer set to the queue's next due
 * time), and answers empty when the wait expires, the queue is deleted or `signal` aborts.
 */
export function pollUntilAvailable<T>(
  source: PollSource,
  take: () => T[],
  options: LongPollOptions,
): Promise<T[]> {
  const first = take();
  if (first.length > 0 || options.waitMs <= 0 || options.signal.aborted) {
    return Promise.resolve(first);
  }
  return new Promise((resolve, reject) => {
    new Waiter(source, take, options, resolve, reject);
  });
}
