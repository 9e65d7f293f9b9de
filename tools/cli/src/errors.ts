/** A failure the operator can act on: printed as one line `herald: <message>`, exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The innermost message of an error chain (drivers wrap the useful one, e.g. pg in drizzle). */
export function innermostMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof Error) return current.message || current.name;
  return String(current);
}
