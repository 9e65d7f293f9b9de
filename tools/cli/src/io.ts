import { createInterface } from 'node:readline/promises';

/** Everything a command reads from or writes to the outside, injected so tests can drive it. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stdout is a terminal: progress bars only then. */
  readonly stdoutIsTty: boolean;
  /** Whether stdin is a terminal: confirmation prompts only then. */
  readonly stdinIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Asks a yes/no question on the terminal. */
  readonly confirm: (question: string) => Promise<boolean>;
  /** Registers a Ctrl-C handler for the duration of a long operation; returns its remover. */
  readonly onInterrupt: (handler: () => void) => () => void;
}

/** The process's own terminal. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stdoutIsTty: process.stdout.isTTY,
    stdinIsTty: process.stdin.isTTY,
    env: process.env,
    confirm: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}

/** Rows as aligned columns under a header; empty cells show as `-`. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
): string {
  const cells = [
    headers,
    ...rows.map((row) =>
      row.map((cell) => (cell === undefined || cell === '' ? '-' : String(cell))),
    ),
  ];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
