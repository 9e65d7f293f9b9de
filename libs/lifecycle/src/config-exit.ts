import { ConfigError } from '@herald/config';

/**
 * Exit code of a service that refuses to start on a bad configuration. Distinct from 1 (a runtime
 * failure), so an ECS stopped-task reason tells a bad deployment from a crash.
 */
export const CONFIG_EXIT_CODE = 2;

const exitProcess = (code: number): never => process.exit(code);

export interface ConfigExitOptions {
  /** Where the message goes (before any logger exists). */
  readonly stderr?: (line: string) => void;
  readonly exit?: (code: number) => never;
}

/**
 * Runs a service's `loadConfig`; on a `ConfigError` prints its message (every bad variable and the
 * expected form, no stack trace) and exits with CONFIG_EXIT_CODE. Any other error propagates.
 * @example const config = loadConfigOrExit(() => loadConfig(process.env));
 */
export function loadConfigOrExit<T>(load: () => T, options: ConfigExitOptions = {}): T {
  const { stderr = (line) => process.stderr.write(`${line}\n`), exit = exitProcess } = options;
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr(error.message);
    return exit(CONFIG_EXIT_CODE);
  }
}
