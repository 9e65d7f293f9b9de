import type { LogSink } from './logger';

/** How to run the emulator. */
export interface LocalAwsOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; default 4566 (LocalStack's); 0 picks an ephemeral port. */
  port?: number;
  /** Region in ARNs; default `us-east-1`. */
  region?: string;
  /** Folder for dynalite's LevelDB files; DynamoDB is in memory without one. */
  dynamodbPath?: string;
  /** File that mailbox messages are appended to as JSON lines. */
  mailboxFile?: string;
  /** Seconds between two sweeps deleting expired DynamoDB TTL items; default 60. */
  ttlSweepSeconds?: number;
  /**
   * Confirms http(s) SNS subscriptions at once instead of waiting for ConfirmSubscription with the
   * token sent to the endpoint (AWS's behaviour, the default).
   */
  autoConfirmSubscriptions?: boolean;
  /** Receives structured log lines (one per request, plus warnings and errors); silent without. */
  log?: LogSink;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly region: string;
  readonly dynamodbPath?: string;
  readonly mailboxFile?: string;
  readonly ttlSweepSeconds: number;
  readonly autoConfirmSubscriptions: boolean;
  readonly log?: LogSink;
}

/** LocalAwsOptions that cannot work; the message names the option and the expected form. */
export class LocalAwsOptionsError extends Error {
  override readonly name = 'LocalAwsOptionsError';
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Applies defaults and validates, failing before anything starts. */
export function resolveOptions(options: LocalAwsOptions): ResolvedOptions {
  const port = options.port ?? 4566;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalAwsOptionsError(
      `port must be an integer from 0 to 65535 (0 = ephemeral), got ${String(port)}.`,
    );
  }
  const region = options.region ?? 'us-east-1';
  if (!REGION.test(region)) {
    throw new LocalAwsOptionsError(
      `region must look like an AWS region such as us-east-1, got "${region}".`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  if (host.trim() === '')
    throw new LocalAwsOptionsError('host must not be empty (e.g. 127.0.0.1 or 0.0.0.0).');
  const ttlSweepSeconds = options.ttlSweepSeconds ?? 60;
  if (!Number.isFinite(ttlSweepSeconds) || ttlSweepSeconds <= 0 || ttlSweepSeconds > 86_400) {
    throw new LocalAwsOptionsError(
      `ttlSweepSeconds must be a number of seconds above 0 and at most 86400, got ${String(ttlSweepSeconds)}.`,
    );
  }
  const autoConfirmSubscriptions = options.autoConfirmSubscriptions ?? false;
  if (typeof autoConfirmSubscriptions !== 'boolean')
    throw new LocalAwsOptionsError(
      `autoConfirmSubscriptions must be true or false, got ${String(autoConfirmSubscriptions)}.`,
    );
  return { ...options, host, port, region, ttlSweepSeconds, autoConfirmSubscriptions };
}

/** The host to put in URLs for a listening address (a wildcard address becomes loopback). */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
