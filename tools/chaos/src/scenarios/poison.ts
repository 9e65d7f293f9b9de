import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { alarmSlug } from '@herald/local-stack';
import { messageStatusKey } from '@herald/metadata';
import type { Harness } from '../harness';
import { produce } from '../producer';
import type { ScenarioResult } from '../report';
import { mailbox } from '../snapshot';
import { dlqDepth, finish, newLedger, type ScenarioContext } from './context';

const WAIT_MS = 180_000;
// The local alarm watcher names alarms as the CDK app does (alarmSlug of the @herald/config key).
const ALARM_SUBJECT = `Herald alarm ${alarmSlug('dlqDepth')}: ALARM`;
const OK_SUBJECT = `Herald alarm ${alarmSlug('dlqDepth')}: OK`;

/**
 * docs/invariants.md#5 with a message that really fails in the worker: a valid message whose row
 * PostgreSQL refuses on every delivery (a CHECK constraint on its channel, as the worker's own
 * poison test does). It must reach the DLQ after maxReceiveCount, with status dead_lettered,
 * fire the local DLQ alarm, and never block the good messages sent around it.
 */
export async function poisonScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { h } = ctx;
  const started = Date.now();
  const failures: string[] = [];
  // A DLQ already firing would not fire again: start from an empty one with the alarm at OK.
  if ((await dlqDepth(h)) > 0) {
    await h.sqs.send(new PurgeQueueCommand({ QueueUrl: h.stack.dlqUrl }));
    await until(async () => (await lastDlqAlarm(h)) !== ALARM_SUBJECT, 30_000);
  }
  const ledger = await newLedger(h, 'poison');
  const poisonChannel = `poison-${ledger.tenant.slice(-6)}`;
  await h.pool.query(
    `alter table messages add constraint chaos_poison_check check (channel <> '${poisonChannel}') not valid`,
  );
  try {
    const alarmsBefore = (await mailbox(h, h.stack.opsTopicArn)).length;
    const response = await fetch(`${h.ingestUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ledger.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: poisonChannel, body: { seq: 'poison' } }),
    });
    ledger.sent += 1;
    const poisonId =
      response.status === 202 ? ((await response.json()) as { id: string }).id : undefined;
    if (!poisonId) throw new Error(`the poison message was answered ${response.status}, not 202`);
    ledger.accept({ id: poisonId, seq: 'poison', channel: poisonChannel, critical: false });
    const sentAt = Date.now();
    await produce(ledger, {
      ingestUrl: h.ingestUrl,
      count: 200,
      ratePerSecond: 100,
      deadline: Date.now() + 60_000,
    });
    const deadLettered = await until(
      async () => (await statusOf(h, ledger.tenant, poisonId)) === 'dead_lettered',
      WAIT_MS,
    );
    if (!deadLettered)
      failures.push(
        `poison ${poisonId} not dead_lettered within ${WAIT_MS / 1000} s (status ${String(await statusOf(h, ledger.tenant, poisonId))})`,
      );
    const deadLetteredMs = Date.now() - sentAt;
    const alarmed = await until(
      async () =>
        (await mailbox(h, h.stack.opsTopicArn))
          .slice(alarmsBefore)
          .some((entry) => entry.subject === ALARM_SUBJECT),
      30_000,
    );
    if (!alarmed) failures.push('the DLQ alarm did not reach the ops mailbox');
    const stored = await h.pool.query('select 1 from messages where id = $1', [poisonId]);
    if (stored.rowCount) failures.push(`poison ${poisonId} was stored despite the constraint`);
    return await finish(ctx, 'poison', ledger, {
      started,
      dlqBefore: 0,
      faultEndedAt: sentAt,
      settleTimeoutMs: 60_000,
      expectDead: 1,
      exclude: [poisonId],
      failures,
      figures: { poisonId, deadLetteredMs, dlqAlarm: alarmed },
    });
  } finally {
    await h.pool.query('alter table messages drop constraint if exists chaos_poison_check');
  }
}

async function statusOf(h: Harness, tenant: string, id: string): Promise<string | undefined> {
  const { Item } = await h.dynamo.send(
    new GetCommand({
      TableName: h.stack.metadataTable,
      Key: messageStatusKey(tenant, id),
      ConsistentRead: true,
    }),
  );
  return Item?.status as string | undefined;
}

async function lastDlqAlarm(h: Harness): Promise<string | undefined> {
  return (await mailbox(h, h.stack.opsTopicArn))
    .map((entry) => entry.subject)
    .filter((subject) => subject === ALARM_SUBJECT || subject === OK_SUBJECT)
    .at(-1);
}

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return true;
    await sleep(500);
  }
  return false;
}
