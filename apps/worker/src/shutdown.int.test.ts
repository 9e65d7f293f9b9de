import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { envelope } from '../test/fakes';
import {
  channelCounts,
  type ChildWorker,
  clientsFor,
  createQueues,
  deleteQueues,
  inFlight,
  type InProcessWorker,
  ownerPool,
  queueDepth,
  sendAll,
  spawnWorker,
  startWorker,
  statusItems,
  storedIds,
  type TestQueues,
  uniqueName,
  untilChannelsCopied,
  untilStoredAndDrained,
  waitUntil,
  workerEnv,
} from '../test/stack';

const stack = inject('stack');
const clients = clientsFor(stack);
const pool = ownerPool(stack);
let queues: TestQueues;
let child: ChildWorker | undefined;
let running: InProcessWorker | undefined;

beforeAll(async () => {
  queues = await createQueues(clients.sqs, uniqueName('shutdown-int'), {
    visibilityTimeoutSeconds: 5,
    maxReceiveCount: 5,
  });
});

afterEach(async () => {
  if (child?.child.exitCode === null) child.child.kill('SIGKILL');
  child = undefined;
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await deleteQueues(clients.sqs, queues);
  await pool.end();
  for (const client of Object.values(clients)) client.destroy();
});

const logged = (worker: ChildWorker, msg: string) =>
  worker.lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed.msg === msg ? [parsed] : [];
    } catch {
      return [];
    }
  });

describe('SIGTERM (invariant 8)', () => {
  it(
    'finishes the batches in hand, deletes only what it did, exits 0 well inside 25 s, and loses nothing',
    { timeout: 90_000 },
    async () => {
      const tenant = uniqueName('sigterm');
      const values = Array.from({ length: 1_500 }, (_, index) =>
        envelope({ tenant, channel: `c${index % 3}` }),
      );
      await sendAll(clients.sqs, queues.queueUrl, values);
      child = spawnWorker(workerEnv(stack, queues, { CONSUMERS: '3', LOG_LEVEL: 'info' }));
      const worker = child;
      await worker.started;
      await waitUntil(
        'batches in flight',
        async () => (await storedIds(pool, tenant)).length >= 50,
        20_000,
      );

      const signalledAt = Date.now();
      worker.child.kill('SIGTERM');
      const exit = await worker.exited;
      const tookMs = Date.now() - signalledAt;
      const storedAtExit = (await storedIds(pool, tenant)).length;
      const leftInFlight = await inFlight(clients.sqs, queues.queueUrl);
      const lines = worker.lines.join('\n');
      const finishedDuringDrain =
        lines.slice(lines.indexOf('shutting down')).split('"msg":"batch"').length - 1;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(tookMs).toBeLessThan(25_000);
      expect(logged(worker, 'worker stopped')[0]).toMatchObject({ clean: true });
      // Mid-run: the drain stopped polling with most of the queue still waiting.
      expect(storedAtExit).toBeLessThan(values.length);
      // Every batch it received was finished and deleted: none is left hidden until its timeout.
      expect(leftInFlight).toBe(0);
      console.log(
        `SIGTERM: exited in ${tookMs} ms, ${finishedDuringDrain} batch(es) finished during the drain, ${storedAtExit}/${values.length} stored`,
      );

      // Everything it did not delete is still (or again) on the queue: another worker finishes.
      running = startWorker(stack, queues);
      await untilStoredAndDrained(
        { pool, sqs: clients.sqs, queueUrl: queues.queueUrl },
        tenant,
        values.length,
      );
      expect(await queueDepth(clients.sqs, queues.dlqUrl)).toBe(0);
      await untilChannelsCopied(
        { pool, dynamo: clients.dynamo, table: stack.metadataTable },
        tenant,
      );
      for (const row of await channelCounts(pool, tenant)) {
        expect(row.messageCount).toBe(row.counted);
        expect(row.messageCount).toBe(500);
      }
      const statuses = await statusItems(
        clients.dynamo,
        stack.metadataTable,
        tenant,
        values.map((value) => value.id),
      );
      expect([...statuses.values()].filter((item) => item.status === 'stored')).toHaveLength(
        values.length,
      );
    },
  );
});
