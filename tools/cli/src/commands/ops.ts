import { createServer, type Server } from 'node:http';
import {
  answerOps,
  isOpsPath,
  OpsSampler,
  SettledScanner,
  type OpsSource,
} from '@herald/local-aws/ops';
import { Command, InvalidArgumentError } from 'commander';
import { contextOf, emit, type CliContext, type CliDeps } from '../context';
import { CliError } from '../errors';
import { readAlarms } from './alarms';
import { readQueueStats } from './queue';

/**
 * The stage's numbers for the ops page: the same readers as `herald queue stats` (SQS
 * attributes; CloudWatch's age of the oldest message on AWS) and `herald alarms` (DescribeAlarms
 * on AWS), and the messages stored lately from the metadata table's status items. A stage has
 * no mailbox: that list stays empty there.
 */
export function targetOpsSource(context: CliContext, label: string): OpsSource {
  let scanner: SettledScanner | undefined;
  return {
    label,
    async read() {
      const at = Date.now();
      const target = await context.target();
      scanner ??= new SettledScanner(await context.dynamo(), target.metadataTable);
      const [stats, alarms, settled] = await Promise.all([
        readQueueStats(context, 5),
        // A stack without an alarm watcher (tests, --no-services) still has queue numbers to show.
        readAlarms(context).catch((error: unknown) => {
          if (error instanceof CliError) return [];
          throw error;
        }),
        scanner.next(at),
      ]);
      return {
        at,
        queue: {
          visible: stats.visible,
          inFlight: stats.inFlight,
          delayed: stats.delayed,
          oldestAgeSeconds: stats.oldestMessageAgeSeconds ?? 0,
        },
        dlq: { visible: stats.dlqDepth, inFlight: 0, delayed: 0, oldestAgeSeconds: 0 },
        alarms: alarms.map((alarm) => ({
          name: alarm.name,
          state: alarm.state,
          reason: alarm.reason,
        })),
        mailbox: [],
        settled,
      };
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function whole(name: string, min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${String(min)} to ${String(max)}`,
      );
    return value;
  };
}

/** `herald ops`: the live ops page on 127.0.0.1, fed from the local stack or `--stage`. */
export function opsCommand(deps: CliDeps): Command {
  return new Command('ops')
    .description(
      'serve the live ops page on 127.0.0.1 (queue, DLQ, rates, latency, alarms); Ctrl-C stops.\n' +
        'The local stack also serves it itself at http://127.0.0.1:4566/_herald/ops.',
    )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free one)', whole('--port', 0, 65_535), 4580)
    .option(
      '--interval <seconds>',
      'seconds between reads (each one is a Scan of the table and CloudWatch calls on AWS)',
      whole('--interval', 1, 300),
      5,
    )
    .action(async (options: { port: number; interval: number }, command: Command) => {
      const context = contextOf(deps, command);
      const target = await context.target();
      const sampler = new OpsSampler(
        targetOpsSource(context, target.label),
        options.interval * 1000,
      );
      await sampler.tick();
      const server = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://ops.invalid').pathname.replace(/\/+$/, '');
        if (path === '') {
          res.writeHead(302, { location: '/_herald/ops' }).end();
          return;
        }
        const reply = isOpsPath(path)
          ? answerOps(req.method ?? 'GET', path, () => sampler.snapshot())
          : { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
        res.writeHead(reply.status, reply.headers).end(reply.body);
      });
      const port = await listen(server, options.port).catch(async (error: unknown) => {
        await sampler.stop();
        throw new CliError(
          `cannot listen on 127.0.0.1:${String(options.port)}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      const url = `http://127.0.0.1:${String(port)}/_herald/ops`;
      emit(
        context,
        { url, target: target.label },
        () => `ops page for ${target.label}: ${url} (Ctrl-C stops)`,
      );
      sampler.start();
      await new Promise<void>((resolve) => {
        const remove = context.io.onInterrupt(() => {
          remove();
          resolve();
        });
      });
      await sampler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      server.closeAllConnections();
      context.close();
    });
}
