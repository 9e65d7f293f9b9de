import { parseArgs } from 'node:util';
import { LocalAwsOptionsError, type LocalAwsOptions } from './options';

/** What the standalone edge was asked to do. */
export interface CliRequest {
  readonly help: boolean;
  readonly quiet: boolean;
  readonly options: LocalAwsOptions;
}

/** Usage text of `cli.ts`. */
export const USAGE = `Usage: tsx tools/local-aws/src/cli.ts [options]

Runs the Herald AWS emulator (SQS, SNS, DynamoDB) on one endpoint.

  --port <n>             port to listen on (default 4566, 0 = ephemeral)
  --host <address>       interface to listen on (default 127.0.0.1)
  --region <region>      region used in ARNs (default us-east-1)
  --dynamodb-path <dir>  persist DynamoDB (LevelDB) in <dir>; in memory otherwise
  --mailbox-file <file>  also append email deliveries to <file> as JSON lines
  --auto-confirm-subscriptions
                         confirm http(s) SNS subscriptions at once (default: pending until
                         ConfirmSubscription with the token POSTed to the endpoint, as on AWS)
  --quiet                do not log each request
  --help                 show this text`;

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw))
    throw new LocalAwsOptionsError(`--port must be a number from 0 to 65535, got "${raw}".`);
  return Number(raw);
}

/** Parses the command line of `cli.ts`; throws LocalAwsOptionsError with a usable message. */
export function parseCliArgs(args: readonly string[]): CliRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        region: { type: 'string' },
        'dynamodb-path': { type: 'string' },
        'mailbox-file': { type: 'string' },
        'auto-confirm-subscriptions': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new LocalAwsOptionsError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: values.help,
    quiet: values.quiet,
    options: {
      port: parsePort(values.port),
      host: values.host,
      region: values.region,
      dynamodbPath: values['dynamodb-path'],
      mailboxFile: values['mailbox-file'],
      autoConfirmSubscriptions: values['auto-confirm-subscriptions'],
    },
  };
}
