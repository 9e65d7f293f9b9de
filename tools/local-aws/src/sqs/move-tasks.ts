import { newId } from '../ids';
import type { SqsContext } from './context';
import { SqsError } from './errors';
import { optionalInteger, optionalString, requiredString, type JsonObject } from './input';
import type { Queue } from './queue';
import type { SqsStore } from './sqs-store';

type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  readonly taskId: string;
  readonly handle: string;
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxPerSecond?: number;
  readonly startedAt: number;
  readonly toMove: number;
  status: MoveTaskStatus;
  moved: number;
  failureReason?: string;
  timer?: NodeJS.Timeout;
}

/** How often a running task moves its next share of messages. */
const TICK_MS = 100;
/** Without MaxNumberOfMessagesPerSecond SQS picks a rate; the emulator moves this many per second. */
const DEFAULT_RATE = 500;
/** Tasks kept per source queue for ListMessageMoveTasks (it shows at most 10). */
const TASKS_KEPT = 10;
/** How long a message being moved stays invisible in the source, should the move fail midway. */
const MOVE_VISIBILITY_SECONDS = 30;

/** The move tasks of one emulator, by source ARN (newest first) and by handle. */
interface MoveTaskRegistry {
  readonly bySource: Map<string, MoveTask[]>;
  readonly byHandle: Map<string, MoveTask>;
}

// Keyed by store so the move tasks live and die with the emulator that owns the queues, without
// widening SqsContext or SqsStore (shared with the query-protocol work).
const registries = new WeakMap<SqsStore, MoveTaskRegistry>();

function registryOf(store: SqsStore): MoveTaskRegistry {
  let registry = registries.get(store);
  if (!registry) {
    registry = { bySource: new Map(), byHandle: new Map() };
    registries.set(store, registry);
  }
  return registry;
}

/** The source queue of a move task: it must exist and be some queue's dead-letter target. */
function deadLetterSource(store: SqsStore, sourceArn: string): Queue {
  const source = store.findByArn(sourceArn);
  if (!source || source.isDeleted) {
    throw new SqsError(
      'ResourceNotFoundException',
      'The resource that you specified for the SourceArn parameter doesn’t exist.',
    );
  }
  const isDeadLetterQueue = store
    .list()
    .some((queue) => queue.settings.redrivePolicy?.deadLetterTargetArn === source.arn);
  if (!isDeadLetterQueue) {
    throw new SqsError(
      'InvalidParameterValue',
      'Source queue must be configured as a Dead Letter Queue.',
    );
  }
  return source;
}

function finish(task: MoveTask, status: MoveTaskStatus, failureReason?: string): void {
  task.status = status;
  if (failureReason !== undefined) task.failureReason = failureReason;
  clearInterval(task.timer);
  task.timer = undefined;
}

/**
 * Moves one visible message from the source to its destination: sent first, deleted from the
 * source only after, so a failure leaves it in the source.
 */
function moveOne(store: SqsStore, task: MoveTask, source: Queue): 'moved' | 'empty' | 'failed' {
  const [received] = source.receive(1, MOVE_VISIBILITY_SECONDS);
  if (!received) return 'empty';
  const { message, receiptHandle } = received;
  const destinationArn = task.destinationArn ?? message.deadLetterSourceArn;
  const destination = destinationArn === undefined ? undefined : store.findByArn(destinationArn);
  if (!destination || destination.isDeleted) {
    source.changeVisibility(receiptHandle, 0);
    finish(task, 'FAILED', `Destination queue ${destinationArn ?? '(unknown)'} does not exist.`);
    return 'failed';
  }
  // A moved message is a new message in the destination: new id, receive count from zero.
  destination.send({
    id: newId(),
    body: message.body,
    md5OfBody: message.md5OfBody,
    attributes: message.attributes,
    systemAttributes: message.systemAttributes,
    senderId: message.senderId,
  });
  source.deleteMessage(receiptHandle);
  task.moved += 1;
  return 'moved';
}

function runTask(store: SqsStore, task: MoveTask): void {
  const rate = task.maxPerSecond ?? DEFAULT_RATE;
  let allowance = 0;
  let last = Date.now();
  const tick = () => {
    const now = Date.now();
    // Capped so a stalled event loop does not turn into a burst above the rate.
    allowance = Math.min(allowance + (rate * (now - last)) / 1000, Math.max(rate, 1));
    last = now;
    const source = store.findByArn(task.sourceArn);
    if (!source || source.isDeleted) {
      finish(task, 'FAILED', 'Source queue was deleted.');
      return;
    }
    for (; allowance >= 1; allowance -= 1) {
      const outcome = task.moved >= task.toMove ? 'empty' : moveOne(store, task, source);
      if (outcome === 'failed') return;
      if (outcome === 'empty') {
        finish(task, 'COMPLETED');
        return;
      }
    }
  };
  task.timer = setInterval(tick, TICK_MS);
  // The edge's own shutdown must not wait for a move task.
  task.timer.unref();
}

/** StartMessageMoveTask: one active task per source DLQ; answers the task handle. */
export function startMessageMoveTask(input: JsonObject, context: SqsContext): JsonObject {
  const { store } = context;
  const sourceArn = requiredString(input, 'SourceArn');
  const source = deadLetterSource(store, sourceArn);
  const destinationArn = optionalString(input, 'DestinationArn');
  if (destinationArn !== undefined) {
    const destination = store.findByArn(destinationArn);
    if (!destination || destination.isDeleted) {
      throw new SqsError(
        'ResourceNotFoundException',
        'The resource that you specified for the DestinationArn parameter doesn’t exist.',
      );
    }
    if (destination === source) {
      throw new SqsError(
        'InvalidParameterValue',
        'Source queue arn and destination queue arn cannot be the same.',
      );
    }
  }
  const maxPerSecond = optionalInteger(input, 'MaxNumberOfMessagesPerSecond', 1, 500);
  const registry = registryOf(store);
  const tasks = registry.bySource.get(source.arn) ?? [];
  if (tasks.some((task) => task.status === 'RUNNING')) {
    throw new SqsError(
      'UnsupportedOperation',
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
  }
  const taskId = newId();
  const handle = Buffer.from(JSON.stringify({ taskId, sourceArn: source.arn })).toString('base64');
  const task: MoveTask = {
    taskId,
    handle,
    sourceArn: source.arn,
    ...(destinationArn === undefined ? {} : { destinationArn }),
    ...(maxPerSecond === undefined ? {} : { maxPerSecond }),
    startedAt: Date.now(),
    toMove: source.counts().visible,
    status: 'RUNNING',
    moved: 0,
  };
  for (const old of tasks.splice(TASKS_KEPT - 1)) registry.byHandle.delete(old.handle);
  registry.bySource.set(source.arn, [task, ...tasks]);
  registry.byHandle.set(handle, task);
  runTask(store, task);
  return { TaskHandle: handle };
}

function describeTask(task: MoveTask): JsonObject {
  return {
    ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
    Status: task.status,
    SourceArn: task.sourceArn,
    ...(task.destinationArn === undefined ? {} : { DestinationArn: task.destinationArn }),
    ...(task.maxPerSecond === undefined ? {} : { MaxNumberOfMessagesPerSecond: task.maxPerSecond }),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.failureReason === undefined ? {} : { FailureReason: task.failureReason }),
    StartedTimestamp: task.startedAt,
  };
}

/** ListMessageMoveTasks: the most recent tasks of a source DLQ, newest first (MaxResults 1–10). */
export function listMessageMoveTasks(input: JsonObject, context: SqsContext): JsonObject {
  const source = deadLetterSource(context.store, requiredString(input, 'SourceArn'));
  const maxResults = optionalInteger(input, 'MaxResults', 1, 10) ?? 1;
  const tasks = registryOf(context.store).bySource.get(source.arn) ?? [];
  return { Results: tasks.slice(0, maxResults).map(describeTask) };
}

/** CancelMessageMoveTask: only a RUNNING task can be cancelled; moved messages stay moved. */
export function cancelMessageMoveTask(input: JsonObject, context: SqsContext): JsonObject {
  const handle = requiredString(input, 'TaskHandle');
  const task = registryOf(context.store).byHandle.get(handle);
  if (!task) throw new SqsError('ResourceNotFoundException', 'Task does not exist.');
  if (task.status !== 'RUNNING') {
    throw new SqsError(
      'UnsupportedOperation',
      `Only RUNNING tasks can be cancelled; this one is ${task.status}.`,
    );
  }
  finish(task, 'CANCELLED');
  return { ApproximateNumberOfMessagesMoved: task.moved };
}
