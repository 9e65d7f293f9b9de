/**
 * Deploy rehearsal, without AWS: the synthesized task definitions held to the apps that run in
 * them. Every variable a task definition sets is one its app's config reads, and the variables
 * it sets are enough for that config to load; the ALB, the container and the app agree on the
 * port. (tools/images runs the same task definitions as containers: the health check inside the
 * image and the migration against PostgreSQL are proven there, by `npm run images:test`.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { StackInfo } from '@herald/testing';
// A rehearsal holds the CDK app to the apps' own config readers and to the image tooling's
// reading of cdk.out, so it reaches across the project boundaries on purpose.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig as loadIngestConfig } from '../../apps/ingest/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadMigrateConfig, loadConfig as loadWorkerConfig } from '../../apps/worker/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { containerEnvironment, LOCAL_ONLY_NAMES } from '../../tools/images/src/run-container';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadContainers, loadTargets } from '../../tools/images/src/task-definitions';
import { STAGES } from '../src/config/stages';
import { synthStage } from './support/synth';

const prod = synthStage(STAGES.prod);
afterAll(() => {
  prod.cleanup();
});
const assembly = { stage: 'prod', cdkOut: prod.outdir };

/** Placeholder resources of the right form: the values are not what is under test. */
const STACK: StackInfo = {
  region: 'us-east-1',
  awsEndpoint: 'http://127.0.0.1:4566',
  databaseUrl: 'postgres://postgres:pw@127.0.0.1:5432/herald',
  writerDatabaseUrl: 'postgres://herald_writer:pw@127.0.0.1:5432/herald',
  readerDatabaseUrl: 'postgres://herald_reader:pw@127.0.0.1:5432/herald',
  queueUrl: 'http://127.0.0.1:4566/000000000000/herald-messages',
  dlqUrl: 'http://127.0.0.1:4566/000000000000/herald-messages-dlq',
  alertsTopicArn: 'arn:aws:sns:us-east-1:000000000000:herald-alerts',
  opsTopicArn: 'arn:aws:sns:us-east-1:000000000000:herald-ops',
  alertsEmail: 'ops@herald.local',
  metadataTable: 'herald-metadata',
  controlUrl: 'http://127.0.0.1:1',
};

const LOADERS: Record<string, (env: Record<string, string | undefined>) => unknown> = {
  ingest: loadIngestConfig,
  worker: loadWorkerConfig,
  migrate: loadMigrateConfig,
};

/** What a loader makes of an environment: its result, or its error message. */
function outcome(
  load: (env: Record<string, string | undefined>) => unknown,
  env: Record<string, string>,
) {
  try {
    return JSON.stringify(load(env));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** The task definition's own names with values of the right form, nothing local added. */
function taskEnvironment(name: string): Record<string, string> {
  const spec = loadContainers(assembly).find((container) => container.name === name);
  if (!spec) throw new Error(`no ${name} container in the prod task definitions`);
  const env = containerEnvironment(spec, STACK);
  for (const local of LOCAL_ONLY_NAMES) Reflect.deleteProperty(env, local);
  return env;
}

describe.each(Object.keys(LOADERS))('the %s task definition', (name) => {
  const load = LOADERS[name]!;

  it('sets every variable its config requires, from plain environment or secrets', () => {
    expect(outcome(load, taskEnvironment(name))).not.toMatch(/^error/);
  });

  it.each(Object.keys(taskEnvironment(name)))('sets %s, which the config reads', (variable) => {
    const env = taskEnvironment(name);
    const as = outcome(load, env);
    const without = { ...env };
    Reflect.deleteProperty(without, variable);
    // A variable the config ignores changes nothing, whatever its value; one it reads changes
    // the outcome for one of these (removed, a number, a word).
    const changed = [without, { ...env, [variable]: '0' }, { ...env, [variable]: 'x' }].some(
      (variant) => outcome(load, variant) !== as,
    );
    expect(changed).toBe(true);
  });
});

describe('the ingest service', () => {
  it('listens where the load balancer sends: container port = target group port = PORT', () => {
    const targets = loadTargets(assembly);
    expect(targets.map((target) => target.containerName)).toEqual(['ingest']);
    const [target] = targets;
    const ingest = loadContainers(assembly).find((container) => container.name === 'ingest');
    expect(ingest?.containerPorts).toEqual([target?.containerPort]);
    expect(target?.targetGroupPort).toBe(target?.containerPort);
    expect(ingest?.environment.find((entry) => entry.name === 'PORT')?.value).toBe(
      String(target?.containerPort),
    );
    // The app's own reading of PORT, not only the variable's text.
    expect((loadIngestConfig(taskEnvironment('ingest')) as { PORT: number }).PORT).toBe(
      target?.containerPort,
    );
  });

  it('health-checks the port the app listens on, with node (the image has no curl)', () => {
    for (const container of loadContainers(assembly).filter((spec) => spec.healthCheck)) {
      const command = container.healthCheck?.command ?? [];
      expect(command.slice(0, 2)).toEqual(['CMD', 'node']);
      const env = taskEnvironment(container.name);
      const port = env.PORT ?? env.HEALTH_PORT;
      expect(command.join(' ')).toContain(`http://127.0.0.1:${String(port)}/`);
    }
  });
});
