/**
 * Runs a container the way its ECS task definition says: entry point and command, user, init
 * process, read-only root file system (and no tmpfs podman would add), environment names,
 * health check and stop timeout, all from `cdk.out`. What differs locally is only where things
 * are: host network (the local stack is on 127.0.0.1), and the values behind the names.
 */
import { LOCAL_ROLES } from '@herald/local-stack';
import { podman, ULIMITS } from './podman';
import type { ContainerSpec } from './task-definitions';

/** What a container needs of the local stack (the integration tests' ContainerStack carries it). */
export interface ContainerStack {
  readonly region: string;
  readonly awsEndpoint: string;
  readonly databaseUrl: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly metadataTable: string;
  readonly alertsTopicArn: string;
}

/** Names set only locally: on ECS, credentials come from the task role and no endpoint is set. */
export const LOCAL_ONLY_NAMES = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/** AWS gives a task its credentials through the task role; locally they are the stack's. */
const LOCAL_ONLY = (stack: ContainerStack) => ({
  AWS_ENDPOINT_URL: stack.awsEndpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});

/**
 * The local value of each variable a task definition sets: the CloudFormation-resolved ones
 * (resource names, the database endpoint) and the literals that must differ here.
 */
function localValues(stack: ContainerStack): Record<string, string> {
  const database = new URL(stack.databaseUrl);
  return {
    AWS_REGION: stack.region,
    QUEUE_URL: stack.queueUrl,
    DLQ_URL: stack.dlqUrl,
    METADATA_TABLE: stack.metadataTable,
    ALERTS_TOPIC_ARN: stack.alertsTopicArn,
    DATABASE_HOST: database.hostname,
    DATABASE_PORT: database.port,
    DATABASE_NAME: database.pathname.slice(1),
    // The local PostgreSQL has no TLS; RDS is TLS-only (the image trusts its CA bundle).
    DATABASE_SSL: 'false',
    // Host network: a server must not listen on every interface of this machine.
    HOST: '127.0.0.1',
  };
}

/** Which database login a secret holds, by the secret its reference names. */
function secretValue(stack: ContainerStack, source: string, key: string): string | undefined {
  const owner = new URL(stack.databaseUrl);
  const logins: [RegExp, { user: string; password: string }][] = [
    [
      /DatabaseOwnerSecret/,
      { user: decodeURIComponent(owner.username), password: decodeURIComponent(owner.password) },
    ],
    [/DatabaseWriterSecret/, LOCAL_ROLES.writer],
    [/DatabaseReaderSecret/, LOCAL_ROLES.reader],
  ];
  const login = logins.find(([pattern]) => pattern.test(source))?.[1];
  if (!login) return undefined;
  return key === 'username' ? login.user : key === 'password' ? login.password : undefined;
}

/** Thrown when a task definition sets a variable the local run has no value for. */
export class UnmappedVariableError extends Error {
  override readonly name = 'UnmappedVariableError';
}

/** The container's environment: every name the task definition sets, with its local value. */
export function containerEnvironment(
  spec: ContainerSpec,
  stack: ContainerStack,
): Record<string, string> {
  const local = localValues(stack);
  const env: Record<string, string> = {};
  for (const { name, value } of spec.environment) {
    const resolved = local[name] ?? value;
    if (resolved === undefined)
      throw new UnmappedVariableError(
        `${spec.family}/${spec.name} sets ${name} from CloudFormation and the local run has no value for it: add one to localValues in tools/images/src/run-container.ts`,
      );
    env[name] = resolved;
  }
  for (const { name, source, jsonKey } of spec.secrets) {
    const resolved = secretValue(stack, source, jsonKey);
    if (resolved === undefined)
      throw new UnmappedVariableError(
        `${spec.family}/${spec.name} reads ${name} from a secret the local run does not know (${source})`,
      );
    env[name] = resolved;
  }
  return { ...env, ...LOCAL_ONLY(stack) };
}

export interface RunOptions {
  image: string;
  /** Container name (unique on this machine). */
  name: string;
  env: Record<string, string>;
  /** Detached (`-d`) or run to completion, returning its output. */
  detach: boolean;
}

/** The `podman run` arguments for a container spec. */
export function runArguments(spec: ContainerSpec, options: RunOptions): string[] {
  const args = ['run', '--name', options.name, '--network=host', ...ULIMITS];
  if (options.detach) args.push('-d');
  if (spec.initProcessEnabled) args.push('--init');
  // ECS gives no writable tmpfs on a read-only root: podman would add /tmp, /run… unless told.
  if (spec.readonlyRootFilesystem) args.push('--read-only', '--read-only-tmpfs=false');
  if (spec.user) args.push('--user', spec.user);
  args.push('--stop-timeout', String(spec.stopTimeout));
  if (spec.healthCheck) {
    const check = spec.healthCheck;
    args.push(
      '--health-cmd',
      healthCommand(check.command),
      '--health-interval',
      `${String(check.interval)}s`,
      '--health-timeout',
      `${String(check.timeout)}s`,
      '--health-retries',
      String(check.retries),
      '--health-start-period',
      `${String(check.startPeriod)}s`,
    );
  }
  const [entry, ...entryArgs] = spec.entryPoint ?? [];
  if (entry) args.push('--entrypoint', JSON.stringify([entry, ...entryArgs]));
  for (const name of Object.keys(options.env)) args.push('--env', name);
  args.push(options.image, ...(spec.command ?? []));
  return args;
}

/**
 * ECS's `["CMD", …]` / `["CMD-SHELL", "…"]` in the form podman 4.3 parses: it splits a JSON
 * array that starts with CMD on white space (breaking any argument with a space), but takes a
 * plain JSON array as the exec form and a plain string as a shell command.
 */
export function healthCommand(command: string[]): string {
  const [kind, ...rest] = command;
  if (kind === 'CMD') return JSON.stringify(rest);
  if (kind === 'CMD-SHELL') return rest.join(' ');
  throw new Error(`unsupported health check command form: ${JSON.stringify(command)}`);
}

/** Starts a container; the values travel in podman's environment, never on its command line. */
export function runContainer(spec: ContainerSpec, options: RunOptions): string {
  return podman(runArguments(spec, options), { env: { ...process.env, ...options.env } });
}
