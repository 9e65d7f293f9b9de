/** Helpers of the container tests: containers started by a test run, health, waits, readers. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { messageStatusKey } from '@herald/metadata';
import type { StackInfo } from '@herald/testing';
import { podman, podmanAsync, podmanProbe } from '../src/podman';

/** Names of the containers this run started, removed at the end (never anyone else's). */
export const started = new Set<string>();

export function containerName(role: string): string {
  const name = `herald-e2e-${role}-${String(process.pid)}`;
  started.add(name);
  return name;
}

export function removeStarted(): void {
  for (const name of started) podmanProbe(['rm', '--force', '--time', '0', name]);
  started.clear();
}

/** Runs the container's health check (as ECS would) until it passes; returns ms since `since`. */
export async function untilHealthy(
  name: string,
  since: number,
  timeoutMs = 120_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const check = podmanProbe(['healthcheck', 'run', name]);
    if (check.status === 0) return Date.now() - since;
    const state = podman(['inspect', '--format', '{{.State.Status}}', name]).trim();
    if (state !== 'running')
      throw new Error(
        `${name} is ${state} before healthy:\n${podman(['logs', '--tail', '40', name])}`,
      );
    if (Date.now() > deadline)
      throw new Error(`${name} not healthy after ${String(timeoutMs)} ms: ${check.output}`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

export function awsClients(stack: StackInfo) {
  const config = {
    region: stack.region,
    endpoint: stack.awsEndpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    sqs: new SQSClient(config),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
  };
}

export async function statusOf(
  dynamo: DynamoDBDocumentClient,
  stack: StackInfo,
  tenant: string,
  id: string,
): Promise<string | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: stack.metadataTable,
      Key: messageStatusKey(tenant, id),
      ConsistentRead: true,
    }),
  );
  return Item?.status as string | undefined;
}

/** Visible plus in-flight messages of a queue. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

/** Message ids whose alert reached the alerts topic's email subscription (the mailbox). */
export async function alertedIds(stack: StackInfo): Promise<string[]> {
  const response = await fetch(
    `${stack.awsEndpoint}/_herald/mailbox?topic=${encodeURIComponent(stack.alertsTopicArn)}`,
  );
  const { messages } = (await response.json()) as { messages: { body: string }[] };
  return messages.flatMap((message) => {
    try {
      return [(JSON.parse(message.body) as { messageId: string }).messageId];
    } catch {
      return [];
    }
  });
}

/** Stops a container as ECS does (SIGTERM, SIGKILL after the stop timeout); exit code and ms. */
export async function stopContainer(
  name: string,
  stopTimeout: number,
): Promise<{ exitCode: number; ms: number; logs: string }> {
  const started = Date.now();
  await podmanAsync(['stop', '--time', String(stopTimeout), name]);
  const ms = Date.now() - started;
  const exitCode = Number(podman(['inspect', '--format', '{{.State.ExitCode}}', name]).trim());
  // The last lines say why a container did not exit 0 (its logs are gone once it is removed).
  const logs = exitCode === 0 ? '' : podman(['logs', '--tail', '15', name]);
  return { exitCode, ms, logs };
}
