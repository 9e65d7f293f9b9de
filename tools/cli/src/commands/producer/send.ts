import { createInterface } from 'node:readline';
import type { HeraldApiError, HeraldClient } from '@herald/client';
import { LIMITS, prioritySchema, type MessageInputRaw } from '@herald/contracts';
import { Command, Option } from 'commander';
import { createProgress, type Progress } from '../../progress';
import {
  commonOptions,
  createClient,
  defaultDeps,
  withApiOptions,
  writeLine,
  type ProducerDeps,
} from './producer-deps';
import {
  messageFromArguments,
  messageFromLine,
  SendInputError,
  type MessageFlags,
} from './send-input';

interface SendOptions extends MessageFlags {
  readonly idempotencyKey?: string;
}

/** One NDJSON line: the message it holds, or why it holds none. */
interface LineEntry {
  readonly line: number;
  readonly message?: MessageInputRaw;
  readonly error?: string;
}

const EXAMPLES = `
Examples:
  $ herald send orders '{"orderId":42}' --priority critical
  $ herald send orders 'plain text' --idempotency-key order-42
  $ cat messages.ndjson | herald send            # one {"channel":…,"body":…} per line
  $ printf '%s\\n' '{"body":1}' '{"body":2}' | herald send --channel orders --json

Prints one id per accepted message (stdout); each rejected line goes to stderr as
"line N: code: detail", and the exit status is 1 if any message was not accepted.`;

/** `herald send`: one message from arguments, or NDJSON lines from stdin in batches. */
export function sendCommand(deps: ProducerDeps = defaultDeps()): Command {
  return withApiOptions(new Command('send'))
    .description('send one message, or NDJSON messages from stdin, and print their ids')
    .argument('[channel]', 'channel of the one message (omit both arguments to read stdin)')
    .argument('[body]', 'its body: JSON when it parses as JSON, text otherwise')
    .option('-c, --channel <name>', 'channel of the stdin lines that name none')
    .addOption(
      new Option('-p, --priority <priority>', 'priority (default normal)').choices(
        prioritySchema.options,
      ),
    )
    .option('--sender <name>', 'sender of the message(s)')
    .option(
      '-a, --attr <key=value>',
      'an attribute (repeat for more)',
      (pair: string, pairs: string[]) => [...pairs, pair],
      [],
    )
    .option('--text', 'send the body argument as text even when it parses as JSON')
    .option(
      '-k, --idempotency-key <key>',
      'makes a retry of the one message safe (not for stdin: batches take none)',
    )
    .addHelpText('after', EXAMPLES)
    .action(async function runSend(
      channel: string | undefined,
      body: string | undefined,
      _options: unknown,
      command: Command,
    ) {
      const options = command.opts<SendOptions>();
      const common = commonOptions(command);
      const json = common.json === true;
      if (channel !== undefined) {
        if (body === undefined) throw new SendInputError('missing <body> after the channel');
        const client = createClient(deps, common);
        const message = messageFromArguments(channel, body, options);
        const accepted = await client.send(
          message,
          options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey },
        );
        writeLine(deps.stdout, json ? JSON.stringify(accepted) : accepted.id);
        return;
      }
      if (deps.stdin.isTTY === true)
        throw new SendInputError(
          'nothing to send: give <channel> <body>, or pipe NDJSON lines on stdin (see --help)',
        );
      if (options.idempotencyKey !== undefined)
        throw new SendInputError(
          '--idempotency-key needs <channel> <body>: batches from stdin take none',
        );
      await sendLines(deps, createClient(deps, common), options, json);
    });
}

async function sendLines(
  deps: ProducerDeps,
  client: HeraldClient,
  flags: MessageFlags,
  json: boolean,
): Promise<void> {
  const progress = createProgress(deps.stderr, deps.stdout.isTTY === true, 'sending');
  const totals = { read: 0, accepted: 0, rejected: 0 };
  let group: LineEntry[] = [];
  const flush = async () => {
    const entries = group;
    group = [];
    await sendGroup(deps, client, entries, totals, json, progress);
  };
  try {
    for await (const text of createInterface({ input: deps.stdin, crlfDelay: Infinity })) {
      totals.read += 1;
      if (text.trim() === '') continue;
      group.push(parseLine(totals.read, text, flags));
      // One full batch request at a time keeps memory flat on an endless stdin.
      if (group.length >= LIMITS.batchMaxMessages) await flush();
    }
    await flush();
  } finally {
    progress.stop();
  }
  const total = totals.accepted + totals.rejected;
  if (total === 0) throw new SendInputError('nothing to send: stdin held no message');
  if (totals.rejected > 0)
    throw new Error(`${totals.rejected} of ${total} messages were not accepted`);
}

function parseLine(line: number, text: string, flags: MessageFlags): LineEntry {
  try {
    return { line, message: messageFromLine(text, flags) };
  } catch (error) {
    if (error instanceof SendInputError) return { line, error: error.message };
    throw error;
  }
}

async function sendGroup(
  deps: ProducerDeps,
  client: HeraldClient,
  entries: readonly LineEntry[],
  totals: { read: number; accepted: number; rejected: number },
  json: boolean,
  progress: Progress,
): Promise<void> {
  if (entries.length === 0) return;
  const sendable = entries.filter((entry) => entry.message !== undefined);
  const batch = sendable.length
    ? await client.sendBatch(sendable.map((entry) => entry.message as MessageInputRaw))
    : undefined;
  if (batch?.failure && totals.accepted + batch.accepted === 0) throw batch.failure;
  const results = new Map(sendable.map((entry, index) => [entry, batch?.results[index]]));
  progress.clear();
  for (const entry of entries) {
    const result = results.get(entry);
    if (result?.status === 'accepted') {
      totals.accepted += 1;
      writeLine(
        deps.stdout,
        json ? JSON.stringify({ line: entry.line, ...result, index: undefined }) : result.id,
      );
      continue;
    }
    totals.rejected += 1;
    const code = result?.code ?? 'invalid_line';
    const detail = result?.detail ?? entry.error ?? '';
    if (json) {
      writeLine(
        deps.stdout,
        JSON.stringify({
          line: entry.line,
          status: 'rejected',
          code,
          detail,
          retryable: result?.retryable ?? false,
        }),
      );
    } else {
      writeLine(deps.stderr, `line ${entry.line}: ${code}: ${detail}`);
    }
  }
  progress.update(totals.accepted + totals.rejected, totals.read);
  if (batch?.failure) throw stoppedEarly(batch.failure, totals.accepted);
}

function stoppedEarly(failure: HeraldApiError, accepted: number): Error {
  return new Error(`stopped after ${accepted} accepted messages: ${failure.message}`, {
    cause: failure,
  });
}
