import { PassThrough, Readable } from 'node:stream';
import type { Command } from 'commander';
import type { ProducerDeps } from '../src/commands/producer/producer-deps';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly error: unknown;
}

export interface RunOptions {
  /** Lines on stdin; undefined means stdin is a terminal. */
  readonly stdin?: string;
  readonly stdoutIsTTY?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof globalThis.fetch;
  readonly stop?: AbortSignal;
}

/** Builds a command with captured streams, runs it as `herald <args>` would, never exits. */
export async function runCommand(
  build: (deps: ProducerDeps) => Command,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.stdoutIsTTY ?? false });
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const stdin =
    options.stdin === undefined
      ? Object.assign(Readable.from([]), { isTTY: true })
      : Object.assign(Readable.from([options.stdin]), { isTTY: false });
  const command = build({
    env: options.env ?? { HERALD_API_URL: 'http://127.0.0.1:3999', HERALD_API_KEY: 'hk_test' },
    stdin,
    stdout,
    stderr,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.stop ? { stop: options.stop } : {}),
  });
  command.exitOverride().configureOutput({
    writeOut: (text) => out.push(text),
    writeErr: (text) => err.push(text),
  });
  let error: unknown;
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (caught) {
    error = caught;
  }
  await new Promise((resolve) => setImmediate(resolve));
  return { stdout: out.join(''), stderr: err.join(''), error };
}

export interface FetchCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fetch served by a handler, recording each call (body parsed as JSON). */
export function fakeFetch(
  handler: (call: FetchCall) => Response | Promise<Response>,
): typeof globalThis.fetch & { calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const call: FetchCall = {
      method: init.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : input.toString()),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    return handler(call);
  };
  const typed: typeof globalThis.fetch & { calls?: FetchCall[] } = fetch;
  typed.calls = calls;
  return typed as typeof globalThis.fetch & { calls: FetchCall[] };
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}
