import type { CliIo } from '../src/io';
import { runCli } from '../src/program';
import type { CliDeps } from '../src/context';

export interface HeraldRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly stdinIsTty?: boolean;
  readonly stdoutIsTty?: boolean;
  /** The answer to a confirmation prompt (and the prompts asked are collected). */
  readonly confirm?: boolean;
  readonly questions?: string[];
  /** Called with the Ctrl-C handler a long operation registers. */
  readonly onInterrupt?: (handler: () => void) => void;
  readonly deps?: Partial<CliDeps>;
}

/** Runs `herald` in-process with captured output. */
export async function runHerald(
  argv: readonly string[],
  options: RunOptions = {},
): Promise<HeraldRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    stdoutIsTty: options.stdoutIsTty ?? false,
    stdinIsTty: options.stdinIsTty ?? false,
    env: options.env ?? {},
    confirm: (question) => {
      options.questions?.push(question);
      return Promise.resolve(options.confirm ?? false);
    },
    onInterrupt: (handler) => {
      options.onInterrupt?.(handler);
      return () => undefined;
    },
  };
  const code = await runCli(argv, { io, ...options.deps });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
