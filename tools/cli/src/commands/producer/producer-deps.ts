import type { Readable, Writable } from 'node:stream';
import { HeraldClient } from '@herald/client';
import type { Command } from 'commander';
import { z } from 'zod';

/** What the producer commands touch outside themselves; tests pass their own. */
export interface ProducerDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  /** The client's fetch (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Aborts a long-running command (tail) as Ctrl-C does. */
  readonly stop?: AbortSignal;
}

export function defaultDeps(): ProducerDeps {
  return { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** The API variables: the one place the producer commands read the environment. */
const apiEnvSchema = z.object({
  HERALD_API_URL: z.string().optional(),
  HERALD_API_KEY: z.string().optional(),
});

/** Adds `--api-url` and `--api-key` (which win over HERALD_API_URL and HERALD_API_KEY). */
export function withApiOptions(command: Command): Command {
  return command
    .option(
      '--api-url <url>',
      `ingest API base URL (env HERALD_API_URL, default ${DEFAULT_API_URL})`,
    )
    .option('--api-key <key>', 'API key (env HERALD_API_KEY)')
    .option('--json', 'print JSON (one object per line) for scripts');
}

export interface CommonOptions {
  readonly apiUrl?: string;
  readonly apiKey?: string;
  readonly json?: boolean;
}

/** The command's options merged with the program's global ones (e.g. a global `--json`). */
export function commonOptions(command: Command): CommonOptions {
  return command.optsWithGlobals<CommonOptions>();
}

/** A client for the API the options and environment name; a clear error when there is no key. */
export function createClient(deps: ProducerDeps, options: CommonOptions): HeraldClient {
  const env = apiEnvSchema.parse(deps.env);
  const apiKey = options.apiKey ?? env.HERALD_API_KEY;
  if (!apiKey)
    throw new Error(
      'no API key: set HERALD_API_KEY or pass --api-key (npm start prints a dev key)',
    );
  return new HeraldClient({
    baseUrl: options.apiUrl ?? env.HERALD_API_URL ?? DEFAULT_API_URL,
    apiKey,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

/** Writes one line to a stream. */
export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}
