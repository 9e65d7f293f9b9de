import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { createProgram } from './program';
import { runHerald } from '../test/run-herald';

describe('herald', () => {
  it.each([
    [[], 'Usage: herald'],
    [['keys'], 'Usage: herald keys'],
    [['keys', 'create'], 'Usage: herald keys create'],
    [['queue', 'stats'], 'Usage: herald queue stats'],
    [['dlq'], 'Usage: herald dlq'],
    [['dlq', 'redrive'], '--max-per-second'],
    [['dlq', 'inspect'], 'Usage: herald dlq inspect'],
    [['alarms'], 'Usage: herald alarms'],
    [['ops'], '--interval'],
  ])('answers --help for %j with exit 0', async (args, expected) => {
    const run = await runHerald([...args, '--help']);
    expect(run.code).toBe(0);
    expect(run.out).toContain(expected);
  });

  it("keeps commander's suggestion for a near miss on the error's one line", async () => {
    const run = await runHerald(['alarm']);
    expect(run.code).toBe(2);
    expect(run.err).toBe("herald: unknown command 'alarm' (Did you mean alarms?)");
  });

  it('answers an unknown command with one line and exit 2', async () => {
    const run = await runHerald(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.err).toBe("herald: unknown command 'frobnicate'");
  });

  it('refuses a stage it does not know', async () => {
    const run = await runHerald(['--stage', 'qa', 'alarms']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^herald: .*Allowed choices are dev, prod\.$/);
  });

  it('names a missing required option', async () => {
    const run = await runHerald(['keys', 'create', '--tenant', 't']);
    expect(run.code).toBe(2);
    expect(run.err).toBe("herald: required option '--name <name>' not specified");
  });

  it('rejects a redrive rate above 500', async () => {
    const run = await runHerald(['dlq', 'redrive', '--max-per-second', '501']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('expected a whole number from 1 to 500');
  });

  it('prints one line and no stack when the local stack is unreachable; the stack with --debug', async () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const plain = await runHerald(['queue', 'stats'], { env });
    expect(plain.code).toBe(1);
    expect(plain.err.split('\n')).toHaveLength(1);
    expect(plain.err).toMatch(/^herald: cannot reach the local stack at http:\/\/127\.0\.0\.1:9 /);
    const debug = await runHerald(['--debug', 'queue', 'stats'], { env });
    expect(debug.err.split('\n').length).toBeGreaterThan(1);
    expect(debug.err).toContain('    at ');
  });
});

describe('the herald bin', () => {
  it('runs the TypeScript source on this Node without a build step', () => {
    const bin = fileURLToPath(new URL('../bin/herald.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [bin, 'dlq', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: herald dlq');
    const failed = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toBe("herald: unknown command 'frobnicate'\n");
    // Two tsx start-ups: seconds each on a loaded machine.
  }, 120_000);
});

describe('commands that declare their own --json', () => {
  it('see the --json the program consumed', async () => {
    const seen: unknown[] = [];
    const io = {
      out: () => undefined,
      err: () => undefined,
      stdoutIsTty: false,
      stdinIsTty: false,
      env: {},
      confirm: () => Promise.resolve(false),
      onInterrupt: () => () => undefined,
    };
    const program = createProgram({ io });
    program.addCommand(
      new Command('probe').option('--json').action((options: { json?: boolean }) => {
        seen.push(options.json);
      }),
    );
    await program.parseAsync(['probe', '--json'], { from: 'user' });
    await program.parseAsync(['--json', 'probe'], { from: 'user' });
    expect(seen).toEqual([true, true]);
  });
});
