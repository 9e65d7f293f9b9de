import type { Clock } from '../clock';
import { newReceiptHandle } from '../ids';
import { SqsError } from './errors';
import { FifoList } from './fifo-list';
import { MinHeap } from './min-heap';
import type { NewMessage, QueueCounts, QueueMessage, ReceivedMessage } from './queue-message';
import type { QueueSettings } from './queue-settings';

/** Finds the queue a RedrivePolicy names. */
export type DeadLetterResolver = (arn: string) => Queue | undefined;

type SlotState = 'delayed' | 'visible' | 'inflight';

interface Slot {
  message: QueueMessage;
  state: SlotState;
  /** Bumped on every transition: ready-list and timeline entries of an older generation are stale. */
  generation: number;
  receiptHandle?: string;
}

interface SlotRef {
  readonly slot: Slot;
  readonly generation: number;
}

interface TimelineEntry extends SlotRef {
  readonly at: number;
}

// Deleting again with the last handle of a deleted message succeeds on SQS; remember that many.
const RETIRED_HANDLES_KEPT = 10_000;
const PURGE_INTERVAL_MS = 60_000;

function invalidHandle(handle: string): SqsError {
  return new SqsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );
}

/**
 * One standard SQS queue: a state machine over its messages (delayed → visible → in flight →
 * visible again or deleted), driven by an injected clock. It owns no timers: time-based changes
 * (delays, visibility timeouts, retention) are applied lazily by every operation, and
 * {@link Queue.nextDueAt} tells a long poll when to look again.
 */
export class Queue {
  readonly createdAt: number;
  readonly tags = new Map<string, string>();
  private modifiedAt: number;
  private current: QueueSettings;
  private deleted = false;
  private readonly slots = new Map<string, Slot>();
  private readonly ready = new FifoList<SlotRef>();
  private readonly timeline = new MinHeap<TimelineEntry>((entry) => entry.at);
  private readonly handles = new Map<string, Slot>();
  private readonly retiredHandles = new Set<string>();
  private readonly tally = { visible: 0, inflight: 0, delayed: 0 };
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;
  private purgedAt: number | undefined;

  constructor(
    readonly name: string,
    readonly arn: string,
    settings: QueueSettings,
    private readonly clock: Clock,
    private readonly resolveDeadLetter: DeadLetterResolver,
  ) {
    this.current = settings;
    this.createdAt = clock.now();
    this.modifiedAt = this.createdAt;
  }

  get settings(): QueueSettings {
    return this.current;
  }

  get lastModifiedAt(): number {
    return this.modifiedAt;
  }

  get isDeleted(): boolean {
    return this.deleted;
  }

  updateSettings(settings: QueueSettings): void {
    this.current = settings;
    this.modifiedAt = this.clock.now();
    this.notify();
  }

  /** Marks the queue deleted and wakes its long polls so they answer empty. */
  markDeleted(): void {
    this.deleted = true;
    this.purge();
  }

  /** Enqueues a message, delayed by its own or the queue's DelaySeconds. */
  send(input: NewMessage): QueueMessage {
    const now = this.clock.now();
    const { delaySeconds, ...fields } = input;
    const message: QueueMessage = { ...fields, sentAt: now, receiveCount: 0 };
    const delayMs = (delaySeconds ?? this.current.delaySeconds) * 1000;
    this.insert(message, delayMs > 0 ? 'delayed' : 'visible', now + delayMs);
    this.notify();
    return message;
  }

  /** Takes a message redriven from another queue, keeping its id, body, attributes and counts. */
  acceptDeadLetter(message: QueueMessage, sourceArn: string): void {
    this.insert({ ...message, deadLetterSourceArn: sourceArn }, 'visible', this.clock.now());
    this.notify();
  }

  /**
   * Receives up to `maxMessages` visible messages, making them invisible for the visibility
   * timeout and issuing new receipt handles. A message already received `maxReceiveCount` times
   * moves to the dead-letter queue instead of being returned.
   */
  receive(maxMessages: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    this.refresh();
    const now = this.clock.now();
    const visibilityMs = (visibilityTimeoutSeconds ?? this.current.visibilityTimeout) * 1000;
    const received: ReceivedMessage[] = [];
    while (received.length < maxMessages) {
      const ref = this.ready.shift();
      if (!ref) break;
      if (ref.generation !== ref.slot.generation || this.redriveIfExhausted(ref.slot)) continue;
      received.push(this.checkOut(ref.slot, now, visibilityMs));
    }
    if (received.length > 0) this.notify();
    return received;
  }

  /**
   * Deletes the message a receipt handle belongs to. An older handle of a message received again
   * (or of a deleted one) succeeds without effect, as on SQS; an unknown handle is rejected.
   */
  deleteMessage(receiptHandle: string): void {
    this.refresh();
    const slot = this.handles.get(receiptHandle);
    if (!slot) {
      if (this.retiredHandles.has(receiptHandle)) return;
      throw invalidHandle(receiptHandle);
    }
    this.remove(slot);
    this.retire(receiptHandle);
  }

  /** Changes how long an in-flight message stays invisible, counted from now. */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    this.refresh();
    const slot = this.handles.get(receiptHandle);
    if (!slot) throw invalidHandle(receiptHandle);
    if (slot.state !== 'inflight') {
      throw new SqsError(
        'MessageNotInflight',
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    const now = this.clock.now();
    this.leave(slot);
    if (visibilityTimeoutSeconds === 0) this.enter(slot, 'visible', now);
    else this.enter(slot, 'inflight', now + visibilityTimeoutSeconds * 1000);
    this.notify();
  }

  /**
   * PurgeQueue: deletes every message, but at most once every 60 seconds, as SQS allows; a purge
   * sooner is PurgeQueueInProgress.
   */
  requestPurge(): void {
    const now = this.clock.now();
    if (this.purgedAt !== undefined && now - this.purgedAt < PURGE_INTERVAL_MS) {
      throw new SqsError(
        'PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${this.name} is allowed every 60 seconds.`,
      );
    }
    this.purgedAt = now;
    this.purge();
  }

  /** Deletes every message, in flight or not. */
  purge(): void {
    this.slots.clear();
    this.ready.clear();
    this.timeline.clear();
    this.handles.clear();
    this.tally.visible = 0;
    this.tally.inflight = 0;
    this.tally.delayed = 0;
    this.notify();
  }

  counts(): QueueCounts {
    this.refresh();
    return { ...this.tally };
  }

  /** Epoch ms of the oldest message's send (any state), or undefined when the queue is empty. */
  oldestSentAt(): number | undefined {
    this.refresh();
    let oldest: number | undefined;
    for (const { message } of this.slots.values())
      if (oldest === undefined || message.sentAt < oldest) oldest = message.sentAt;
    return oldest;
  }

  /** Epoch ms at which the next delayed or in-flight message becomes visible, if any. */
  nextDueAt(): number | undefined {
    for (let top = this.timeline.peek(); top; top = this.timeline.peek()) {
      if (top.generation === top.slot.generation) return top.at;
      this.timeline.pop();
    }
    return undefined;
  }

  /** Calls `listener` (once per tick at most) after any change that may make messages receivable. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    // Deferred so a batch of sends wakes a long poll once, with every message of the batch.
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }

  private insert(message: QueueMessage, state: SlotState, visibleAt: number): void {
    const slot: Slot = { message, state, generation: 0 };
    this.slots.set(message.id, slot);
    this.enter(slot, state, visibleAt);
  }

  private enter(slot: Slot, state: SlotState, visibleAt: number): void {
    slot.state = state;
    this.tally[state] += 1;
    const ref = { slot, generation: slot.generation };
    if (state === 'visible') this.ready.push(ref);
    else this.timeline.push({ ...ref, at: visibleAt });
  }

  private leave(slot: Slot): void {
    this.tally[slot.state] -= 1;
    slot.generation += 1;
  }

  private remove(slot: Slot): void {
    this.leave(slot);
    this.slots.delete(slot.message.id);
    if (slot.receiptHandle !== undefined) this.handles.delete(slot.receiptHandle);
  }

  private retire(receiptHandle: string): void {
    this.retiredHandles.add(receiptHandle);
    if (this.retiredHandles.size > RETIRED_HANDLES_KEPT) {
      const oldest = this.retiredHandles.values().next();
      if (oldest.done !== true) this.retiredHandles.delete(oldest.value);
    }
  }

  private checkOut(slot: Slot, now: number, visibilityMs: number): ReceivedMessage {
    // A new receive makes the previous receipt handle of the message stale: deleting with it
    // then succeeds but leaves the message, as SQS answers.
    if (slot.receiptHandle !== undefined) {
      this.handles.delete(slot.receiptHandle);
      this.retire(slot.receiptHandle);
    }
    const receiptHandle = newReceiptHandle();
    slot.receiptHandle = receiptHandle;
    this.handles.set(receiptHandle, slot);
    slot.message = {
      ...slot.message,
      receiveCount: slot.message.receiveCount + 1,
      firstReceivedAt: slot.message.firstReceivedAt ?? now,
    };
    this.leave(slot);
    this.enter(slot, 'inflight', now + visibilityMs);
    return { message: slot.message, receiptHandle };
  }

  private redriveIfExhausted(slot: Slot): boolean {
    const policy = this.current.redrivePolicy;
    if (!policy || slot.message.receiveCount < policy.maxReceiveCount) return false;
    const target = this.resolveDeadLetter(policy.deadLetterTargetArn);
    if (!target || target === this || target.isDeleted) return false;
    this.remove(slot);
    target.acceptDeadLetter(slot.message, this.arn);
    return true;
  }

  /** Applies what time has done: expires old messages, makes due ones visible. */
  private refresh(): void {
    const now = this.clock.now();
    const cutoff = now - this.current.messageRetentionPeriod * 1000;
    // Slots are in enqueue order, so expired messages form a prefix.
    for (const slot of this.slots.values()) {
      if (slot.message.sentAt > cutoff) break;
      this.remove(slot);
    }
    for (let top = this.timeline.peek(); top && top.at <= now; top = this.timeline.peek()) {
      this.timeline.pop();
      if (top.generation !== top.slot.generation) continue;
      this.leave(top.slot);
      this.enter(top.slot, 'visible', now);
    }
  }
}
