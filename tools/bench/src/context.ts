import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '@herald/local-stack';
import type { Pool } from 'pg';
import type { EdgeCounter } from './edge-counter';
import type { PgCountProxy } from './pg-count-proxy';
import type { ProfileCollector } from './profile/collector';

export const WORKSPACE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** How big a run is: `--quick` for CI (under a minute), the default for figures. */
export interface BenchProfile {
  readonly quick: boolean;
  /** Repetitions of each measured scenario; the report shows the median run. */
  readonly runs: number;
  /** Warm-up requests per connection (tsx compiles, the SDK loads its parts, the JIT settles). */
  readonly warmupRounds: number;
  /** Each measured load lasts about this long: its request count is sized from the warm-up rate. */
  readonly seconds: number;
  readonly connections: number;
  readonly workerMessages: number;
  readonly channels: readonly number[];
  readonly e2eSeconds: number;
  /** Whether to search for the highest rate the pipeline sustains (several e2e steps). */
  readonly sustainedSearch: boolean;
  /** Only this part (B + ingest, or Q + R + worker): for before/after figures of one change. */
  readonly only?: 'ingest' | 'worker';
  /** `--profile`: run the services under `node --cpu-prof`, profiles written here. */
  readonly cpuProfDir?: string;
}

/** Node flags for a service under test (the CPU profiler when asked). */
export function serviceNodeArgs(profile: BenchProfile): string[] {
  return profile.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${profile.cpuProfDir}`] : [];
}

/**
 * The default run, sized to finish in about 10 minutes on 2 shared cores: 5 s saturation phases
 * (thousands of messages, hundreds of 10 ms CPU ticks) and 1,000 messages a drain (100 batches
 * of 10; 5,000 made the nine drains alone take a quarter of an hour). The report's range over the
 * runs shows whether CPU per message held still.
 */
export const FULL: BenchProfile = {
  quick: false,
  runs: 3,
  warmupRounds: 20,
  seconds: 5,
  connections: 32,
  workerMessages: 1_000,
  channels: [1, 20, 200],
  e2eSeconds: 8,
  sustainedSearch: true,
};

export const QUICK: BenchProfile = {
  quick: true,
  runs: 1,
  warmupRounds: 2,
  seconds: 1,
  connections: 8,
  workerMessages: 500,
  channels: [20],
  e2eSeconds: 2,
  sustainedSearch: false,
};

/** The ingest's per-key rate limit, raised for the run so it never caps a measurement. */
export const BENCH_RATE_LIMIT = 1_000_000;

export interface BenchContext {
  readonly profile: BenchProfile;
  readonly stack: LocalStack;
  readonly edge: EdgeCounter;
  /** Counts the statements and round trips of the services' PostgreSQL connections. */
  readonly pgProxy: PgCountProxy;
  /** Owner connection: counting rows and reading pg_stat_database. */
  readonly pool: Pool;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBDocumentClient;
  /** Shared AWS settings of every child (edge, region, dummy credentials). */
  readonly awsEnv: Record<string, string>;
  readonly log: (line: string) => void;
  /** Count checks of every run (accepted = stored): `--quick` fails on any mismatch. */
  readonly checks: CountCheck[];
  /** `--profile`: where the scenarios mark their saturation phases. */
  readonly profiler?: ProfileCollector;
}

/**
 * Every acknowledged message must be there (`actual ≥ expected`); a request that got no answer
 * (client timeout) may have been enqueued all the same, up to `unanswered` more messages.
 */
export interface CountCheck {
  readonly what: string;
  readonly expected: number;
  readonly actual: number;
  readonly unanswered: number;
}

export function checkPassed(check: CountCheck): boolean {
  return (
    check.expected > 0 &&
    check.actual >= check.expected &&
    check.actual <= check.expected + check.unanswered
  );
}

export const sleep = (ms: number) =>
  new Promise<void>((done) => {
    setTimeout(done, ms);
  });

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The run whose `key` is the median (the whole run, so its figures belong together). */
export function medianRun<T>(
  runs: readonly T[],
  key: (run: T) => number,
): T & { spread: [number, number] } {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  const picked = sorted[Math.floor((sorted.length - 1) / 2)];
  if (picked === undefined) throw new Error('no runs');
  return { ...picked, spread: [key(sorted[0] ?? picked), key(sorted.at(-1) ?? picked)] };
}

/** Repeats `once` `runs` times and returns every result. */
export async function repeat<T>(runs: number, once: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < runs; index += 1) results.push(await once(index));
  return results;
}
