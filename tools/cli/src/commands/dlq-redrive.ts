import {
  CancelMessageMoveTaskCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { Command, InvalidArgumentError } from 'commander';
import { contextOf, emit, type CliContext, type CliDeps } from '../context';
import { DLQ_SCAN_MAX, peekDlq, type DlqMessage } from '../dlq-messages';
import { CliError } from '../errors';
import { createProgress } from '../progress';
import { operatorIdentity, recordRedrive } from '../redrive-record';
import { displayQueue, type Target } from '../target';

interface RedriveOptions {
  readonly ids?: string[];
  readonly maxPerSecond?: number;
  readonly yes: boolean;
}

/** `herald dlq redrive` as JSON. */
export interface RedriveResult {
  readonly redriveId: string;
  readonly mode: 'task' | 'ids';
  readonly moved: number;
  readonly outcome: string;
  readonly notFound: readonly string[];
}

/** How often a running move task is polled. */
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function confirm(context: CliContext, question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!context.io.stdinIsTty)
    throw new CliError('refusing to redrive without a terminal to confirm on: pass --yes');
  if (!(await context.io.confirm(question))) throw new CliError('redrive cancelled');
}

function heraldMessages(messages: readonly DlqMessage[]) {
  return messages.flatMap((m) => (m.id && m.tenant ? [{ id: m.id, tenant: m.tenant }] : []));
}

/** Follows a move task to its end; Ctrl-C cancels it (what it moved stays moved). */
async function followTask(
  context: CliContext,
  sqs: SQSClient,
  target: Target,
  handle: string,
): Promise<ListMessageMoveTasksResultEntry> {
  const progress = createProgress(
    process.stderr,
    context.io.stdoutIsTty && !context.options.json,
    'redrive',
    { keep: true },
  );
  const interrupt = { requested: false };
  const removeInterrupt = context.io.onInterrupt(() => {
    interrupt.requested = true;
  });
  try {
    for (;;) {
      const { Results = [] } = await sqs.send(
        new ListMessageMoveTasksCommand({ SourceArn: target.dlqArn, MaxResults: 1 }),
      );
      const task = Results[0];
      if (!task) throw new CliError('the move task disappeared from ListMessageMoveTasks');
      progress.update(
        task.ApproximateNumberOfMessagesMoved ?? 0,
        task.ApproximateNumberOfMessagesToMove ?? 0,
      );
      if (task.Status !== 'RUNNING') return task;
      if (interrupt.requested) {
        await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle }));
        interrupt.requested = false;
        continue;
      }
      await sleep(POLL_MS);
    }
  } finally {
    removeInterrupt();
    progress.stop();
  }
}

async function redriveByTask(context: CliContext, options: RedriveOptions): Promise<RedriveResult> {
  const target = await context.target();
  const sqs = await context.sqs();
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: target.dlqUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  const depth = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  if (depth === 0) throw new CliError('the dead-letter queue is empty: nothing to redrive');
  await confirm(
    context,
    `Move about ${String(depth)} message(s) from ${displayQueue(target.dlqUrl)} back to ${displayQueue(target.queueUrl)}?`,
    options.yes,
  );
  // Who is about to move: each gets a `redriven` event in its status history.
  const peek = await peekDlq(sqs, target.dlqUrl, DLQ_SCAN_MAX);
  await peek.release();
  const at = new Date().toISOString();
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: target.dlqArn,
      ...(options.maxPerSecond === undefined
        ? {}
        : { MaxNumberOfMessagesPerSecond: options.maxPerSecond }),
    }),
  );
  if (!TaskHandle) throw new CliError('StartMessageMoveTask answered no task handle');
  const task = await followTask(context, sqs, target, TaskHandle);
  const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
  const outcome =
    task.Status === 'FAILED'
      ? `FAILED: ${task.FailureReason ?? 'unknown reason'}`
      : (task.Status ?? 'UNKNOWN');
  const messages = heraldMessages(peek.messages);
  const redriveId = await recordRedrive(await context.dynamo(), target.metadataTable, {
    by: await operatorIdentity(context.io.env, target),
    at,
    mode: 'task',
    sourceQueue: displayQueue(target.dlqUrl),
    destinationQueue: task.DestinationArn ?? 'original source queue',
    moved,
    outcome,
    taskHandle: TaskHandle,
    // A cancelled or failed task moved only some of them, and SQS does not say which.
    messages: task.Status === 'COMPLETED' ? messages : [],
  });
  if (task.Status === 'FAILED')
    throw new CliError(
      `the move task failed after ${String(moved)} message(s): ${task.FailureReason ?? 'no reason given'}`,
    );
  return { redriveId, mode: 'task', moved, outcome, notFound: [] };
}

function stringAttributes(message: DlqMessage): Record<string, MessageAttributeValue> | undefined {
  const attributes = message.sqs.MessageAttributes;
  return attributes && Object.keys(attributes).length > 0 ? attributes : undefined;
}

/**
 * `--ids`: receive-and-resend of the chosen messages with their original body and attributes;
 * each is deleted from the DLQ only after its send succeeded.
 */
async function redriveByIds(
  context: CliContext,
  options: RedriveOptions & { ids: string[] },
): Promise<RedriveResult> {
  const target = await context.target();
  const sqs = await context.sqs();
  const wanted = new Set(options.ids);
  const peek = await peekDlq(sqs, target.dlqUrl, DLQ_SCAN_MAX);
  const chosen = peek.messages.filter(
    (m) => (m.id !== undefined && wanted.has(m.id)) || wanted.has(m.sqs.MessageId ?? ''),
  );
  await peek.release(new Set(chosen));
  const found = new Set(chosen.flatMap((m) => [m.id, m.sqs.MessageId]));
  const notFound = options.ids.filter((id) => !found.has(id));
  if (chosen.length === 0)
    throw new CliError(`none of ${options.ids.join(', ')} is in the dead-letter queue`);
  try {
    await confirm(
      context,
      `Resend ${String(chosen.length)} message(s) to ${displayQueue(target.queueUrl)}?`,
      options.yes,
    );
  } catch (error) {
    await peek.release(new Set(peek.messages.filter((m) => !chosen.includes(m))));
    throw error;
  }
  const at = new Date().toISOString();
  const progress = createProgress(
    process.stderr,
    context.io.stdoutIsTty && !context.options.json,
    'redrive',
    { keep: true },
  );
  const gap = options.maxPerSecond === undefined ? 0 : 1000 / options.maxPerSecond;
  let moved = 0;
  try {
    for (const message of chosen) {
      const attributes = stringAttributes(message);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: target.queueUrl,
          MessageBody: message.sqs.Body ?? '',
          ...(attributes ? { MessageAttributes: attributes } : {}),
        }),
      );
      await sqs.send(
        new DeleteMessageCommand({
          QueueUrl: target.dlqUrl,
          ReceiptHandle: message.sqs.ReceiptHandle ?? '',
        }),
      );
      moved += 1;
      progress.update(moved, chosen.length);
      if (gap > 0) await sleep(gap);
    }
  } finally {
    progress.stop();
  }
  const redriveId = await recordRedrive(await context.dynamo(), target.metadataTable, {
    by: await operatorIdentity(context.io.env, target),
    at,
    mode: 'ids',
    sourceQueue: displayQueue(target.dlqUrl),
    destinationQueue: displayQueue(target.queueUrl),
    moved,
    outcome: 'COMPLETED',
    messages: heraldMessages(chosen),
  });
  return { redriveId, mode: 'ids', moved, outcome: 'COMPLETED', notFound };
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new InvalidArgumentError('expected a whole number from 1 to 500');
  return n;
}

/** `herald dlq redrive [--ids …] [--max-per-second N] [--yes]`. */
export function redriveCommand(deps: CliDeps): Command {
  return new Command('redrive')
    .description(
      'move DLQ messages back: all with an SQS move task (Ctrl-C cancels it), or --ids by resending; recorded in DynamoDB',
    )
    .option(
      '--ids <ids...>',
      'only these messages (Herald ids or SQS MessageIds), received and resent',
    )
    .option('--max-per-second <n>', 'messages moved per second (1-500)', rate)
    .option('--yes', 'do not ask for confirmation (required without a terminal)', false)
    .action(async (options: RedriveOptions, command: Command) => {
      const context = contextOf(deps, command);
      try {
        const ids = options.ids;
        const result =
          ids && ids.length > 0
            ? await redriveByIds(context, { ...options, ids })
            : await redriveByTask(context, options);
        emit(context, result, (r) =>
          [
            `redrive ${r.redriveId}: ${String(r.moved)} message(s) moved back (${r.outcome})`,
            ...(r.notFound.length > 0
              ? [`not in the dead-letter queue: ${r.notFound.join(', ')}`]
              : []),
          ].join('\n'),
        );
      } finally {
        context.close();
      }
    });
}
