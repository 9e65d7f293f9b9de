/**
 * `npm start`: the whole Herald system on one machine, in the foreground.
 * Starts PostgreSQL and the AWS edge (SQS, SNS, DynamoDB), provisions everything, starts the
 * ingest and the worker from source, and on Ctrl-C or SIGTERM stops all it started.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, createPool, ensureApiKey } from '@herald/db';
import { startAlarmWatcher } from './alarm-watcher';
import { CONTROL_ACTIONS, startControlServer, type ControlServer } from './control-server';
import { startService, type RunningService } from './services';
import { startStack, type LocalStack } from './stack';

const WORKSPACE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const USAGE = `usage: npm start -- [--aws-port 4566] [--postgres-port 54329] [--ingest-port 3000]
                 [--worker-health-port 8081] [--data-dir .herald] [--no-services] [--alarm-period 60]
                 [--fault-controls [--fault-controls-port 4599]]
  --fault-controls  serve the fault controls on 127.0.0.1 (off by default): POST /postgres/stop,
                    /postgres/start, /aws/stop, /aws/start to rehearse an outage by hand`;

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'aws-port': { type: 'string', default: '4566' },
      'postgres-port': { type: 'string', default: '54329' },
      'ingest-port': { type: 'string', default: '3000' },
      'worker-health-port': { type: 'string', default: '8081' },
      'data-dir': { type: 'string', default: resolve(WORKSPACE_ROOT, '.herald') },
      'no-services': { type: 'boolean', default: false },
      'alarm-period': { type: 'string', default: '60' },
      'fault-controls': { type: 'boolean', default: false },
      'fault-controls-port': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const port = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65_535)
      throw new UsageError(
        `--${name} must be a port between 1 and 65535, got ${String(values[name])}`,
      );
    return value;
  };
  const alarmPeriod = Number(values['alarm-period']);
  if (!Number.isInteger(alarmPeriod) || alarmPeriod < 1)
    throw new UsageError('--alarm-period must be a whole number of seconds ≥ 1');
  if (values['fault-controls-port'] !== undefined && !values['fault-controls'])
    throw new UsageError('--fault-controls-port needs --fault-controls');
  return {
    help: values.help,
    awsPort: port('aws-port'),
    postgresPort: port('postgres-port'),
    ingestPort: port('ingest-port'),
    workerHealthPort: port('worker-health-port'),
    dataDir: resolve(values['data-dir']),
    services: !values['no-services'],
    alarmPeriod,
    // Off unless asked for: anyone on the machine could stop the database through it.
    faultControlsPort: values['fault-controls']
      ? values['fault-controls-port'] === undefined
        ? DEFAULT_FAULT_CONTROLS_PORT
        : port('fault-controls-port')
      : undefined,
  };
}

const DEFAULT_FAULT_CONTROLS_PORT = 4599;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function provisionDevKey(stack: LocalStack): Promise<string> {
  const secret =
    process.env.HERALD_DEV_API_KEY ?? `hk_dev_${randomBytes(24).toString('base64url')}`;
  const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
  try {
    await ensureApiKey(createDatabase(pool), {
      tenant: 'dev',
      name: 'local development',
      scopes: ['messages:write', 'messages:read'],
      secret,
    });
  } finally {
    await pool.end();
  }
  return secret;
}

function serviceEnv(stack: LocalStack): Record<string, string> {
  return {
    AWS_REGION: stack.region,
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    QUEUE_URL: stack.queueUrl,
    DLQ_URL: stack.dlqUrl,
    METADATA_TABLE: stack.metadataTable,
    ALERTS_TOPIC_ARN: stack.alertsTopicArn,
    HOST: '127.0.0.1',
    // No load balancer to deregister from locally: drain at once on Ctrl-C.
    SHUTDOWN_DELAY_MS: '0',
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  const say = (line: string) => {
    console.log(`herald | ${line}`);
  };
  say(`starting the local stack (data in ${options.dataDir})`);
  const stack = await startStack({
    awsPort: options.awsPort,
    postgresPort: options.postgresPort,
    dataDir: options.dataDir,
  });
  const services: RunningService[] = [];
  const workerErrors = { count: 0 };
  const watcher = startAlarmWatcher({
    ...stack,
    endpoint: stack.awsEndpoint,
    periodSeconds: options.alarmPeriod,
    notify: say,
    publish: (state) => {
      stack.aws.alarms.set(state);
    },
    takeWorkerErrors: () => {
      const taken = workerErrors.count;
      workerErrors.count = 0;
      return taken;
    },
  });
  let control: ControlServer | undefined;
  let stopping = false;
  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping`);
    watcher.stop();
    await control?.close();
    await Promise.all(services.map((service) => service.stop()));
    await stack.stop();
    say('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    const devKey = await provisionDevKey(stack);
    if (options.faultControlsPort !== undefined)
      control = await startControlServer(stack, options.faultControlsPort);
    if (options.services)
      services.push(
        ...(await startServices(
          stack,
          options,
          () => stopping,
          say,
          () => {
            workerErrors.count += 1;
          },
        )),
      );
    printSummary(stack, options, devKey, Date.now() - started, say);
    if (control) printFaultControls(control.url, say);
  } catch (error) {
    console.error('herald | failed to start:', error);
    await stop('start-up failed', 1);
  }
}

async function startServices(
  stack: LocalStack,
  options: ReturnType<typeof parseOptions>,
  stopping: () => boolean,
  say: (line: string) => void,
  onWorkerError: () => void,
): Promise<RunningService[]> {
  const env = serviceEnv(stack);
  const write = (line: string) => {
    if (isWorkerErrorLine(line)) onWorkerError();
    console.log(line);
  };
  const pidDir = options.dataDir;
  const services = await Promise.all([
    startService(
      WORKSPACE_ROOT,
      pidDir,
      {
        name: 'ingest',
        entry: 'apps/ingest/src/main.ts',
        env: { ...env, PORT: String(options.ingestPort), DATABASE_URL: stack.readerDatabaseUrl },
      },
      write,
    ),
    startService(
      WORKSPACE_ROOT,
      pidDir,
      {
        name: 'worker',
        entry: 'apps/worker/src/main.ts',
        env: {
          ...env,
          HEALTH_PORT: String(options.workerHealthPort),
          DATABASE_URL: stack.writerDatabaseUrl,
          // `npm run demo` shortens redelivery so a failing message reaches the DLQ in seconds.
          ...Object.fromEntries(
            ['VISIBILITY_TIMEOUT_SECONDS', 'HEARTBEAT_SECONDS', 'DLQ_OBSERVE_SECONDS'].flatMap(
              (name) => (process.env[name] ? [[name, process.env[name]]] : []),
            ),
          ),
        },
      },
      write,
    ),
  ]);
  for (const service of services) {
    service.process.once('exit', (code) => {
      if (!stopping())
        say(`${service.name} exited with code ${String(code)}; Ctrl-C to stop the rest`);
    });
  }
  return services;
}

/** A worker log line at pino level ≥ 50 (error, fatal): what the production metric filter counts. */
function isWorkerErrorLine(line: string): boolean {
  const match = /^worker\s*\| (\{.*\})$/.exec(line);
  if (!match?.[1]) return false;
  try {
    const { level } = JSON.parse(match[1]) as { level?: unknown };
    return typeof level === 'number' && level >= 50;
  } catch {
    return false;
  }
}

function printSummary(
  stack: LocalStack,
  options: ReturnType<typeof parseOptions>,
  devKey: string,
  ms: number,
  say: (line: string) => void,
): void {
  const lines = [
    `stack ready in ${ms} ms`,
    `AWS edge (SQS, SNS, DynamoDB)  AWS_ENDPOINT_URL=${stack.awsEndpoint}`,
    `PostgreSQL                     ${stack.databaseUrl}`,
    `queue                          ${stack.queueUrl}`,
    `dead-letter queue              ${stack.dlqUrl}`,
    `alerts topic                   ${stack.alertsTopicArn}`,
    `metadata table                 ${stack.metadataTable}`,
    `mailbox (alerts, alarms)       ${stack.awsEndpoint}/_herald/mailbox   (npm run mailbox)`,
    `alarm states                   ${stack.awsEndpoint}/_herald/alarms    (npx herald alarms)`,
  ];
  if (options.services) {
    lines.push(
      `ingest API                     http://127.0.0.1:${options.ingestPort}   docs: /docs`,
      `worker health                  http://127.0.0.1:${options.workerHealthPort}/healthz`,
      `dev API key (tenant "dev")     ${devKey}`,
      `try: curl -X POST http://127.0.0.1:${options.ingestPort}/v1/messages -H 'authorization: Bearer ${devKey}' -H 'content-type: application/json' -d '{"channel":"orders","body":"hello"}'`,
    );
  }
  lines.push('Ctrl-C stops everything.');
  for (const line of lines) say(line);
}

function printFaultControls(url: string, say: (line: string) => void): void {
  say(`fault controls (loopback)      ${url}   e.g. curl -X POST ${url}/postgres/stop`);
  say(`  actions: ${CONTROL_ACTIONS.join(', ')} (one at a time; 204 when done)`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
    console.error(`herald | ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error('herald | failed to start:', error);
  process.exit(1);
});
