import { runCli, type CliIo } from '@herald/cli';

/** What one `herald …` invocation printed. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs the `herald` command in this process, as `npx herald …` would, against the local stack
 * named by `env` (AWS_ENDPOINT_URL, DATABASE_URL). Never prompts: the demo passes --yes.
 */
export async function herald(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    stdoutIsTty: false,
    stdinIsTty: false,
    env,
    confirm: () => Promise.resolve(false),
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(argv, { io });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs `herald …` and fails with its error line unless it exits 0. */
export async function heraldOk(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const run = await herald(argv, env);
  if (run.code !== 0)
    throw new Error(`herald ${argv.join(' ')} exited ${String(run.code)}: ${run.err}`);
  return run.out;
}
