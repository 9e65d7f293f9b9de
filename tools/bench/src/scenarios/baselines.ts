import { startChild } from '../child';
import { type BenchContext, medianRun, repeat, WORKSPACE } from '../context';
import { runLoad, sizedAmount } from '../load';
import { round } from '../proc-stats';
import { postBody } from './bodies';

export interface HttpBaseline {
  readonly name: 'B';
  readonly requestsPerSecond: number;
  readonly cpuMicrosPerRequest: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly spread: [number, number];
}

/** B: a bare Hono app on @hono/node-server parsing a JSON POST and answering 202, own process. */
export async function baselineHttp(ctx: BenchContext): Promise<HttpBaseline> {
  const { profile } = ctx;
  const hello = await startChild({
    cwd: WORKSPACE,
    entry: 'tools/bench/src/hello-server.ts',
    env: {},
    readyMessage: 'hello listening',
  });
  try {
    const load = {
      url: `http://127.0.0.1:${hello.port}/`,
      connections: profile.connections,
      headers: { 'content-type': 'application/json' },
      body: postBody(0),
    };
    const warm = await runLoad({ ...load, amount: profile.warmupRounds * profile.connections });
    const amount = sizedAmount(warm.requestsPerSecond, profile.seconds, profile.connections);
    const runs = await repeat(profile.runs, async () => {
      const cpu = hello.cpuMicros();
      const result = await runLoad({ ...load, amount });
      const used = hello.cpuMicros() - cpu;
      return {
        name: 'B' as const,
        requestsPerSecond: Math.round(result.requestsPerSecond),
        cpuMicrosPerRequest: round(used / Math.max(1, result.ok), 1),
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
      };
    });
    return medianRun(runs, (run) => run.cpuMicrosPerRequest);
  } finally {
    await hello.stop();
  }
}

export interface SqsBaseline {
  readonly name: 'Q' | 'R';
  readonly messages: number;
  readonly messagesPerSecond: number;
  readonly cpuMicrosPerMessage: number;
  /** Serialized envelope bytes per message (Q only; 0 for R). */
  readonly bytesPerMessage: number;
}

/**
 * Q (`send`): a raw SDK SendMessageBatch loop filling `queueUrl` with 1 KB envelopes; R
 * (`receive`): a raw ReceiveMessage + DeleteMessageBatch loop draining it. Own process, own CPU.
 */
export async function rawSqsLoop(
  ctx: BenchContext,
  mode: 'send' | 'receive',
  queueUrl: string,
  options: { count: number; channels?: number; tenant?: string },
): Promise<SqsBaseline> {
  const child = await startChild({
    cwd: WORKSPACE,
    entry: 'tools/bench/src/raw-sqs-loop.ts',
    args: [
      mode,
      queueUrl,
      String(options.count),
      String(options.channels ?? 1),
      options.tenant ?? 'bench',
    ],
    env: ctx.awsEnv,
    readyMessage: 'raw done',
    startTimeoutMs: 300_000,
  });
  const done = await child.waitFor('raw done', 1_000);
  await child.stop();
  const messages = Number(done.messages);
  if (messages < options.count)
    throw new Error(`${mode} loop handled ${messages} of ${options.count} messages`);
  return {
    name: mode === 'send' ? 'Q' : 'R',
    messages,
    messagesPerSecond: Math.round(messages / Number(done.seconds)),
    cpuMicrosPerMessage: round(Number(done.cpuMicros) / messages, 1),
    bytesPerMessage: Math.round(Number(done.bytes ?? 0) / messages),
  };
}
