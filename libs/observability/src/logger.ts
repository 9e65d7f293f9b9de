import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerConfig {
  /** Service name, on every line. */
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go (tests pass a stream); stdout by default. */
  destination?: pino.DestinationStream;
}

/** Paths never logged in clear, whatever a caller passes in. */
const REDACTED = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
];

/**
 * JSON logs, one object a line, as CloudWatch Logs and its metric filters read them.
 * @example const logger = createLogger({ service: 'ingest', level: config.LOG_LEVEL });
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED, censor: '[redacted]' },
    formatters: { level: (label, number) => ({ level: number, severity: label }) },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
