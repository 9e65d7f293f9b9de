import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/** The machine a report was measured on. */
export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly node: string;
}

export function machine(): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
}

/** The 1, 5 and 15 minute load averages (/proc/loadavg): how busy the shared machine was. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = readFileSync('/proc/loadavg', 'utf8')
    .split(' ')
    .map(Number);
  return [one, five, fifteen];
}

/** The checked-out commit, `+dirty` when the tree has uncommitted changes; `unknown` without git. */
export function commitOf(cwd: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const head = git('rev-parse', '--short=12', 'HEAD').trim();
    return git('status', '--porcelain', '--untracked-files=no').trim() === ''
      ? head
      : `${head}+dirty`;
  } catch {
    return 'unknown';
  }
}
