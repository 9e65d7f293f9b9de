import type { MessageStatusResponse } from '@herald/contracts';
import { Command } from 'commander';
import {
  commonOptions,
  createClient,
  defaultDeps,
  withApiOptions,
  writeLine,
  type ProducerDeps,
} from './producer-deps';

/** `herald status <id>`: a message's status and, once stored, the message. */
export function statusCommand(deps: ProducerDeps = defaultDeps()): Command {
  return withApiOptions(new Command('status'))
    .description("show a message's status (stored, rejected, dead_lettered) and the message")
    .argument('<id>', 'the message id that `herald send` printed')
    .addHelpText(
      'after',
      '\nA message the worker has not settled yet answers not_found (exit 1); so does an id of another tenant.',
    )
    .action(async function runStatus(id: string, _options: unknown, command: Command) {
      const common = commonOptions(command);
      const status = await createClient(deps, common).get(id);
      if (common.json === true) writeLine(deps.stdout, JSON.stringify(status));
      else for (const line of describeStatus(status)) writeLine(deps.stdout, line);
    });
}

/** Aligned `field  value` lines for a terminal. */
export function describeStatus(status: MessageStatusResponse): string[] {
  const rows: [string, string | undefined][] = [
    ['id', status.id],
    ['status', status.status],
    ['reason', status.reason],
    ['alerted', status.alerted === undefined ? undefined : String(status.alerted)],
  ];
  const { message } = status;
  if (message) {
    rows.push(
      ['channel', message.channel],
      ['priority', message.priority],
      ['sender', message.sender ?? undefined],
      ['accepted', message.acceptedAt],
      ['stored', message.storedAt],
      [
        'attributes',
        Object.keys(message.attributes).length ? JSON.stringify(message.attributes) : undefined,
      ],
      ['body', typeof message.body === 'string' ? message.body : JSON.stringify(message.body)],
    );
  }
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([field, value]) => `${field.padEnd(10)} ${value}`);
}
