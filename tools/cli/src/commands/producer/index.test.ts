import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { fakeFetch, jsonResponse } from '../../../test/run-command';
import { producerCommands } from './index';

/** A program like the `herald` main entry: global `--json` and `--debug`, then the commands. */
async function runUnderProgram(args: string[]): Promise<string> {
  const out: string[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const program = new Command('herald').option('--json').option('--debug').exitOverride();
  const fetch = fakeFetch(() => jsonResponse(200, { id: 'x', status: 'stored' }));
  const deps = {
    env: { HERALD_API_KEY: 'k' },
    stdin: Readable.from([]),
    stdout,
    stderr: new PassThrough(),
    fetch,
  };
  for (const command of producerCommands(deps)) program.addCommand(command);
  await program.parseAsync(args, { from: 'user' });
  await new Promise((resolve) => setImmediate(resolve));
  return out.join('');
}

describe('producerCommands', () => {
  it('returns send, status and tail', () => {
    expect(producerCommands().map((command) => command.name())).toEqual(['send', 'status', 'tail']);
  });

  it.each([[['--json', 'status', 'x']], [['status', 'x', '--json']], [['status', '--json', 'x']]])(
    'honours --json wherever it stands under a program with a global --json: %j',
    async (args) => {
      expect(await runUnderProgram(args)).toBe('{"id":"x","status":"stored"}\n');
    },
  );
});
