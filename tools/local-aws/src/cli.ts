// Runs the emulator standalone: `tsx tools/local-aws/src/cli.ts --port 4566`. Stops on SIGINT/SIGTERM.
import { parseCliArgs, USAGE } from './cli-args';
import { startLocalAws } from './local-aws';
import { LocalAwsOptionsError } from './options';

async function main(): Promise<void> {
  const request = parseCliArgs(process.argv.slice(2));
  if (request.help) {
    console.log(USAGE);
    return;
  }
  const log = request.quiet
    ? undefined
    : (line: Record<string, unknown>) => {
        console.log(JSON.stringify(line));
      };
  const aws = await startLocalAws({ ...request.options, log });
  console.log(`Herald local AWS (SQS, SNS, DynamoDB) listening on ${aws.url}`);
  console.log(`  export AWS_ENDPOINT_URL=${aws.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    aws.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof LocalAwsOptionsError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error('The emulator could not start:', error);
  process.exit(1);
});
