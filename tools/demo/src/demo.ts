import { randomUUID } from 'node:crypto';
import { HeraldApiError, HeraldClient } from '@herald/client';
import { RESOURCE_NAMES } from '@herald/config';
import pg from 'pg';
import type { DemoOptions } from './demo-options';
import { ensureStack, type DemoStack } from './demo-stack';
import { heraldOk } from './herald-cli';
import { Narrator, waitFor } from './narrator';

/** The channel PostgreSQL refuses during the demo: its one message really fails in the worker. */
const POISON_CHANNEL = 'demo-poison';
const CONSTRAINT = 'herald_demo_poison';
const STEPS = 9;

/** The demo's steps, in order: the end-to-end test checks each was narrated and completed. */
export const DEMO_STEPS = [
  'the stack',
  'an API key',
  'a burst of mixed messages',
  'every good message stored',
  'alerts for the critical ones in the mailbox',
  'the failing message dead-lettered',
  'the DLQ alarm firing',
  'the fix and the redrive',
  'the alarm back to OK',
] as const;

interface QueueRow {
  readonly name: string;
  readonly visible: number;
}
interface AlarmRow {
  readonly name: string;
  readonly state: string;
}
interface MailRow {
  readonly subject: string;
  readonly body: string;
  readonly topicArn: string;
  readonly receivedAt: string;
}

async function edgeJson<T>(stack: DemoStack, path: string): Promise<T> {
  const response = await fetch(`${stack.edgeUrl}${path}`);
  if (!response.ok) throw new Error(`${path} answered ${String(response.status)}`);
  return (await response.json()) as T;
}

interface DemoMessage {
  readonly channel: string;
  readonly body: string;
  readonly priority: 'normal' | 'critical';
}

function burst(): DemoMessage[] {
  const channels = ['orders', 'billing', 'shipping'];
  const messages = Array.from({ length: 24 }, (_, index): DemoMessage => ({
    channel: channels[index % channels.length] ?? 'orders',
    body: `demo message ${String(index + 1)}`,
    priority: index % 6 === 5 ? 'critical' : 'normal',
  }));
  return [
    ...messages,
    { channel: POISON_CHANNEL, body: 'PostgreSQL refuses this one', priority: 'normal' } as const,
  ];
}

async function statusOf(client: HeraldClient, id: string): Promise<string | undefined> {
  try {
    return (await client.get(id)).status;
  } catch (error) {
    if (error instanceof HeraldApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Alarm emails received since `since` (epoch ms): a reused stack has older ones. */
async function opsMail(stack: DemoStack, since: number): Promise<MailRow[]> {
  const path = `/_herald/mailbox?topic=${RESOURCE_NAMES.opsTopic}`;
  const { messages } = await edgeJson<{ messages: MailRow[] }>(stack, path);
  return messages.filter((entry) => Date.parse(entry.receivedAt) >= since);
}

async function alarmState(stack: DemoStack, name: string): Promise<string | undefined> {
  const { alarms } = await edgeJson<{ alarms: AlarmRow[] }>(stack, '/_herald/alarms');
  return alarms.find((alarm) => alarm.name === name)?.state;
}

/**
 * The narrated minute: a burst with critical messages and one PostgreSQL refuses, stored,
 * alerted, dead-lettered, the DLQ alarm, the fix and redrive, the alarm back to OK. Answers the
 * titles of the steps that completed.
 */
export async function runDemo(
  options: DemoOptions,
  write: (line: string) => void,
  afterStep?: (title: string, stack: DemoStack) => Promise<void>,
): Promise<readonly string[]> {
  const running: { stack?: DemoStack } = {};
  const narrator = new Narrator(write, STEPS, async (title) => {
    if (afterStep && running.stack) await afterStep(title, running.stack);
  });
  const waitMs = options.timeoutSeconds * 1000;
  narrator.begin(DEMO_STEPS[0]);
  const stack = await ensureStack(options, (line) => {
    narrator.say(line);
  });
  running.stack = stack;
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 1 });
  try {
    await narrator.ok(
      `${stack.started ? 'started' : 'using the running'} stack: API ${stack.apiUrl}, edge ${stack.edgeUrl}, ops page ${stack.edgeUrl}/_herald/ops`,
    );
    await steps(stack, pool, narrator, waitMs);
    write('');
    write(
      `demo done in ${String(narrator.elapsedSeconds())} s: ${String(narrator.done.length)}/${String(STEPS)} steps`,
    );
    return narrator.done;
  } finally {
    await pool
      .query(`alter table messages drop constraint if exists ${CONSTRAINT}`)
      .catch(() => undefined);
    await pool.end();
    if (stack.started) {
      write('stopping the stack the demo started');
      await stack.stop();
    }
  }
}

async function steps(stack: DemoStack, pool: pg.Pool, narrator: Narrator, waitMs: number) {
  const env = {
    AWS_ENDPOINT_URL: stack.edgeUrl,
    AWS_REGION: 'us-east-1',
    DATABASE_URL: stack.databaseUrl,
  };
  narrator.begin(DEMO_STEPS[1]);
  const tenant = `demo-${randomUUID().slice(0, 6)}`;
  const created = JSON.parse(
    await heraldOk(
      [
        'keys',
        'create',
        '--tenant',
        tenant,
        '--name',
        'npm run demo',
        '--scopes',
        'messages:write,messages:read',
        '--json',
      ],
      env,
    ),
  ) as { key: string; prefix: string };
  await narrator.ok(`herald keys create: key ${created.prefix}… for tenant ${tenant}`);

  narrator.begin(DEMO_STEPS[2]);
  // The fault: PostgreSQL refuses one channel, so its message fails on every delivery.
  await pool.query(
    `alter table messages add constraint ${CONSTRAINT} check (channel <> '${POISON_CHANNEL}') not valid`,
  );
  narrator.say(`PostgreSQL now refuses channel ${POISON_CHANNEL} (a CHECK constraint)`);
  const burstAt = Date.now();
  const client = new HeraldClient({ baseUrl: stack.apiUrl, apiKey: created.key });
  const messages = burst();
  const sent = await client.sendBatch(messages);
  const ids = sent.results.map((result) => (result.status === 'accepted' ? result.id : ''));
  if (sent.accepted !== messages.length)
    throw new Error(
      `the API accepted ${String(sent.accepted)} of ${String(messages.length)}: ${JSON.stringify(sent.results.find((result) => result.status !== 'accepted'))}`,
    );
  const critical = ids.filter((_, index) => messages[index]?.priority === 'critical');
  const poisonId = ids.at(-1) ?? '';
  const good = ids.slice(0, -1);
  await narrator.ok(
    `202 for all ${String(sent.accepted)}: ${String(good.length - critical.length)} normal, ${String(critical.length)} critical, 1 on ${POISON_CHANNEL} (${poisonId})`,
  );

  narrator.begin(DEMO_STEPS[3]);
  await waitFor(
    'the good messages stored',
    async () => {
      const statuses = await Promise.all(good.map((id) => statusOf(client, id)));
      return statuses.every((status) => status === 'stored') ? true : undefined;
    },
    waitMs,
  );
  const sample = await client.get(good[0] ?? '');
  const took = sample.message
    ? Date.parse(sample.message.storedAt) - Date.parse(sample.message.acceptedAt)
    : undefined;
  narrator.say(
    `GET /v1/messages/${sample.id}: ${sample.status}, accepted → stored in ${String(took)} ms`,
  );
  await narrator.ok(
    `${String(good.length)}/${String(good.length)} stored (GET /v1/messages/{id} answers stored)`,
  );

  narrator.begin(DEMO_STEPS[4]);
  const alerts = await waitFor(
    'an alert per critical message',
    async () => {
      const { messages: mail } = await edgeJson<{ messages: MailRow[] }>(
        stack,
        `/_herald/mailbox?topic=${RESOURCE_NAMES.alertsTopic}`,
      );
      const found = mail.filter((entry) => critical.some((id) => entry.body.includes(id)));
      return found.length >= critical.length ? found : undefined;
    },
    waitMs,
  );
  for (const alert of alerts) narrator.say(`mailbox: ${alert.subject}`);
  await narrator.ok(
    `${String(alerts.length)} alert emails for ${String(critical.length)} critical messages`,
  );

  narrator.begin(DEMO_STEPS[5]);
  narrator.say('the worker fails it on every delivery; SQS moves it to the DLQ after 5 receives');
  await waitFor(
    'the failing message in the DLQ',
    async () => {
      const { queues } = await edgeJson<{ queues: QueueRow[] }>(stack, '/_herald/queues');
      const dlq = queues.find((queue) => queue.name === RESOURCE_NAMES.deadLetterQueue);
      const listed = (dlq?.visible ?? 0) > 0 ? await heraldOk(['dlq', 'list'], env) : '';
      return listed.includes(poisonId) ? listed : undefined;
    },
    waitMs,
    1000,
  );
  narrator.show('herald dlq list', await heraldOk(['dlq', 'list'], env));
  const recorded = await waitFor(
    'the worker to record it dead-lettered',
    async () => ((await statusOf(client, poisonId)) === 'dead_lettered' ? true : undefined),
    waitMs,
  );
  await narrator.ok(
    `${poisonId} is in the DLQ; its status says dead_lettered: ${String(recorded)}`,
  );

  narrator.begin(DEMO_STEPS[6]);
  await waitFor(
    'the dlq-depth alarm in ALARM',
    async () => ((await alarmState(stack, 'dlq-depth')) === 'ALARM' ? true : undefined),
    waitMs,
  );
  narrator.show('herald alarms', await heraldOk(['alarms'], env));
  const email = await waitFor(
    'the alarm email',
    async () =>
      (await opsMail(stack, burstAt)).find((entry) => entry.subject.includes('dlq-depth: ALARM')),
    waitMs,
  );
  narrator.say(`mailbox: ${email.subject}`);
  await narrator.ok('dlq-depth is ALARM');

  narrator.begin(DEMO_STEPS[7]);
  await pool.query(`alter table messages drop constraint if exists ${CONSTRAINT}`);
  narrator.say(`the fix: PostgreSQL accepts channel ${POISON_CHANNEL} again`);
  narrator.show('herald dlq redrive --yes', await heraldOk(['dlq', 'redrive', '--yes'], env));
  await waitFor(
    'the redriven message stored',
    async () => ((await statusOf(client, poisonId)) === 'stored' ? true : undefined),
    waitMs,
  );
  await narrator.ok(`${poisonId} redriven and stored`);

  narrator.begin(DEMO_STEPS[8]);
  await waitFor(
    'the dlq-depth alarm back to OK',
    async () => ((await alarmState(stack, 'dlq-depth')) === 'OK' ? true : undefined),
    waitMs,
  );
  const back = await waitFor(
    'the OK email',
    async () =>
      (await opsMail(stack, burstAt)).find((entry) => entry.subject.includes('dlq-depth: OK')),
    waitMs,
  );
  narrator.say(`mailbox: ${back.subject}`);
  await narrator.ok('dlq-depth is OK again');
}
