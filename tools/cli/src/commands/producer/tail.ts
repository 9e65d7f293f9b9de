import { HeraldApiError } from '@herald/client';
import type { StoredMessage } from '@herald/contracts';
import { Command, InvalidArgumentError } from 'commander';
import {
  commonOptions,
  createClient,
  defaultDeps,
  withApiOptions,
  writeLine,
  type ProducerDeps,
} from './producer-deps';
import { TailFollower } from './tail-follower';

interface TailOptions {
  readonly lines: number;
  readonly interval: number;
  readonly lag: number;
  readonly count?: number;
}

function integer(min: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min)
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return number;
  };
}

/** `herald tail <channel>`: prints a channel's new messages as they are stored, until Ctrl-C. */
export function tailCommand(deps: ProducerDeps = defaultDeps()): Command {
  return withApiOptions(new Command('tail'))
    .description("follow a channel's stored messages, oldest first, until Ctrl-C")
    .argument('<channel>', 'the channel to follow')
    .option('-n, --lines <n>', 'print the newest n messages already stored first', integer(0), 10)
    .option('--interval <ms>', 'poll the history this often', integer(100), 1_000)
    .option(
      '--lag <ms>',
      'look back this far for messages stored late (the worker may store out of order)',
      integer(0),
      30_000,
    )
    .option('--count <n>', 'stop after n new messages (for scripts)', integer(1))
    .addHelpText(
      'after',
      '\nEach line: acceptedAt, id, priority, body. With --json: one StoredMessage per line.',
    )
    .action(async function runTail(channel: string, _options: unknown, command: Command) {
      const options = command.opts<TailOptions>();
      const json = commonOptions(command).json === true;
      const client = createClient(deps, commonOptions(command));
      const controller = new AbortController();
      const stop = () => {
        controller.abort();
      };
      // A function, so the checks after each await read the signal anew.
      const stopped = () => controller.signal.aborted;
      deps.stop?.addEventListener('abort', stop, { once: true });
      process.once('SIGINT', stop);
      const print = (message: StoredMessage) => {
        writeLine(deps.stdout, json ? JSON.stringify(message) : describeMessage(message));
      };
      try {
        const follower = new TailFollower(client, channel, { lagMs: options.lag });
        for (const message of await follower.start(options.lines, controller.signal))
          print(message);
        let printed = 0;
        while (!stopped()) {
          await pause(options.interval, controller.signal);
          if (stopped()) break;
          for (const message of await follower.poll(controller.signal)) {
            print(message);
            printed += 1;
            if (options.count !== undefined && printed >= options.count) return;
          }
        }
      } catch (error) {
        // Ctrl-C while a request is in flight: a clean stop, not an error.
        if (error instanceof HeraldApiError && error.code === 'aborted') return;
        throw error;
      } finally {
        process.removeListener('SIGINT', stop);
        deps.stop?.removeEventListener('abort', stop);
      }
    });
}

/** `acceptedAt  id  priority  body` for a terminal. */
export function describeMessage(message: StoredMessage): string {
  const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
  return `${message.acceptedAt}  ${message.id}  ${message.priority.padEnd(8)}  ${body}`;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
