import { Command, InvalidArgumentError } from 'commander';
import { contextOf, emit, type CliContext, type CliDeps } from '../context';
import { CliError } from '../errors';
import { formatTable } from '../io';
import {
  DLQ_SCAN_MAX,
  peekDlq,
  readHistory,
  readStatus,
  sentAt,
  type DlqMessage,
} from '../dlq-messages';
import { redriveCommand } from './dlq-redrive';

/** One row of `herald dlq list`. */
export interface DlqRow {
  readonly id: string | null;
  readonly sqsMessageId: string;
  readonly tenant: string | null;
  readonly channel: string | null;
  readonly receiveCount: number;
  /** When the worker recorded it dead-lettered (else when SQS first received it). */
  readonly deadLetteredAt: string | null;
  readonly reason: string | null;
  readonly sentAt: string | null;
}

async function row(context: CliContext, table: string, message: DlqMessage): Promise<DlqRow> {
  const status =
    message.tenant && message.id
      ? await readStatus(await context.dynamo(), table, message.tenant, message.id)
      : undefined;
  const first = message.sqs.Attributes?.ApproximateFirstReceiveTimestamp;
  const deadLettered = status?.status === 'dead_lettered' ? status.updatedAt : undefined;
  return {
    id: message.id ?? null,
    sqsMessageId: message.sqs.MessageId ?? '',
    tenant: message.tenant ?? null,
    channel: message.channel ?? null,
    // The peek itself is one receive: report the count the worker's receives reached.
    receiveCount: Math.max(0, Number(message.sqs.Attributes?.ApproximateReceiveCount ?? 1) - 1),
    deadLetteredAt:
      deadLettered ?? (first === undefined ? null : new Date(Number(first)).toISOString()),
    reason: status?.reason ?? (message.envelope ? null : 'not a Herald envelope'),
    sentAt: sentAt(message) ?? null,
  };
}

/** Every message in the DLQ, with what the worker recorded about it. */
export async function listDlq(context: CliContext, max: number): Promise<DlqRow[]> {
  const target = await context.target();
  const peek = await peekDlq(await context.sqs(), target.dlqUrl, max);
  try {
    return await Promise.all(
      peek.messages.map((message) => row(context, target.metadataTable, message)),
    );
  } finally {
    await peek.release();
  }
}

function listCommand(deps: CliDeps): Command {
  return new Command('list')
    .description('messages in the dead-letter queue: id, tenant, channel, receives, when, why')
    .option(
      '--max <n>',
      'look at most at this many messages',
      (value) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1)
          throw new InvalidArgumentError('expected a whole number ≥ 1');
        return n;
      },
      DLQ_SCAN_MAX,
    )
    .action(async (options: { max: number }, command: Command) => {
      const context = contextOf(deps, command);
      try {
        const rows = await listDlq(context, options.max);
        emit(context, rows, (list) =>
          list.length === 0
            ? 'the dead-letter queue is empty'
            : formatTable(
                ['id', 'tenant', 'channel', 'receives', 'dead-lettered', 'reason'],
                list.map((r) => [
                  r.id ?? r.sqsMessageId,
                  r.tenant ?? undefined,
                  r.channel ?? undefined,
                  r.receiveCount,
                  r.deadLetteredAt ?? undefined,
                  r.reason ?? undefined,
                ]),
              ),
        );
      } finally {
        context.close();
      }
    });
}

/** `herald dlq inspect <id>` as JSON. */
export interface DlqInspection {
  readonly id: string | null;
  readonly sqsMessageId: string;
  readonly envelope: unknown;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, unknown>;
  readonly history: Record<string, unknown>[];
}

async function inspect(context: CliContext, id: string): Promise<DlqInspection> {
  const target = await context.target();
  const peek = await peekDlq(await context.sqs(), target.dlqUrl, DLQ_SCAN_MAX);
  try {
    const found = peek.messages.find((m) => m.id === id || m.sqs.MessageId === id);
    if (!found) throw new CliError(`no message ${id} in the dead-letter queue`);
    const history =
      found.tenant && found.id
        ? await readHistory(await context.dynamo(), target.metadataTable, found.tenant, found.id)
        : [];
    return {
      id: found.id ?? null,
      sqsMessageId: found.sqs.MessageId ?? '',
      envelope: found.envelope ?? found.sqs.Body,
      attributes: found.sqs.Attributes ?? {},
      messageAttributes: found.sqs.MessageAttributes ?? {},
      history,
    };
  } finally {
    await peek.release();
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function renderInspection(found: DlqInspection): string {
  const history = found.history.map((item) => {
    const sk = typeof item.sk === 'string' ? item.sk : '';
    const when = text(item.at ?? item.updatedAt ?? '');
    const what = sk === 'STATUS' ? `status ${text(item.status)}` : text(item.kind ?? sk);
    const why = item.reason ?? item.detail;
    return `  ${when}  ${what}${why === undefined ? '' : `: ${text(why)}`}`;
  });
  return [
    `message ${found.id ?? '(not a Herald envelope)'} (SQS ${found.sqsMessageId})`,
    'envelope:',
    JSON.stringify(found.envelope, null, 2).replace(/^/gm, '  '),
    'attributes:',
    ...Object.entries(found.attributes).map(([name, value]) => `  ${name}: ${value}`),
    ...Object.entries(found.messageAttributes).map(
      ([name, value]) => `  ${name}: ${JSON.stringify(value)}`,
    ),
    'status history:',
    ...(history.length > 0 ? history : ['  (none recorded)']),
  ].join('\n');
}

function inspectCommand(deps: CliDeps): Command {
  return new Command('inspect')
    .description('one DLQ message: envelope, attributes, status history')
    .argument('<id>', 'the Herald message id (or the SQS MessageId)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(deps, command);
      try {
        emit(context, await inspect(context, id), renderInspection);
      } finally {
        context.close();
      }
    });
}

/** `herald dlq list|inspect|redrive`. */
export function dlqCommand(deps: CliDeps): Command {
  return new Command('dlq')
    .description('the dead-letter queue')
    .addCommand(listCommand(deps))
    .addCommand(inspectCommand(deps))
    .addCommand(redriveCommand(deps));
}
