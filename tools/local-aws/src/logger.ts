/** Receives one structured log line (`level`, `msg`, `time` and fields). */
export type LogSink = (line: Record<string, unknown>) => void;

/** The emulator's logger: structured lines to an optional sink. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function serialize(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack }
        : value,
    ]),
  );
}

/** A logger writing to `sink`; silent without one. */
export function createLogger(sink?: LogSink): Logger {
  const write = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
    try {
      sink?.({ time: new Date().toISOString(), level, msg, ...serialize(fields) });
    } catch {
      // A failing sink must not take a request (or the process) down with it.
    }
  };
  return {
    info: (msg, fields) => {
      write('info', msg, fields);
    },
    warn: (msg, fields) => {
      write('warn', msg, fields);
    },
    error: (msg, fields) => {
      write('error', msg, fields);
    },
  };
}
