import { parseArgs } from 'node:util';

/** `npm run demo -- --help`. */
export const DEMO_USAGE = `usage: npm run demo -- [--aws-port 4566] [--ingest-port 3000] [--postgres-port 54329]
                       [--worker-health-port 8081] [--data-dir .herald-demo] [--alarm-period 2]
                       [--timeout 240]

Runs against the stack \`npm start\` runs (the API on 127.0.0.1:<ingest-port>, the edge on
127.0.0.1:<aws-port>); when neither answers, starts one with these ports and a short alarm
period and a 2 s worker visibility timeout, and stops it at the end.`;

/** Thrown for bad arguments: printed as one line, exit code 2. */
export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
}

export interface DemoOptions {
  readonly awsPort: number;
  readonly ingestPort: number;
  readonly postgresPort: number;
  readonly workerHealthPort: number;
  readonly dataDir: string;
  /** Seconds per alarm evaluation of a stack the demo starts. */
  readonly alarmPeriod: number;
  /** The whole demo fails after this many seconds. */
  readonly timeoutSeconds: number;
  readonly help: boolean;
}

function whole(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new DemoUsageError(`--${name} must be a whole number from ${min} to ${max}, not ${raw}`);
  return value;
}

/** Parses the demo's arguments (without `node` and the script). */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        'aws-port': { type: 'string', default: '4566' },
        'ingest-port': { type: 'string', default: '3000' },
        'postgres-port': { type: 'string', default: '54329' },
        'worker-health-port': { type: 'string', default: '8081' },
        'data-dir': { type: 'string', default: '.herald-demo' },
        'alarm-period': { type: 'string', default: '2' },
        timeout: { type: 'string', default: '240' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new DemoUsageError(error instanceof Error ? error.message : String(error));
  }
  const port = (name: 'aws-port' | 'ingest-port' | 'postgres-port' | 'worker-health-port') =>
    whole(name, values[name], 1, 65_535);
  return {
    awsPort: port('aws-port'),
    ingestPort: port('ingest-port'),
    postgresPort: port('postgres-port'),
    workerHealthPort: port('worker-health-port'),
    dataDir: values['data-dir'],
    alarmPeriod: whole('alarm-period', values['alarm-period'], 1, 60),
    timeoutSeconds: whole('timeout', values.timeout, 30, 3600),
    help: values.help,
  };
}
