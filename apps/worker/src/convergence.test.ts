import type { Message } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  captureLogger,
  delivery,
  envelope,
  FakeAlertPublisher,
  FakeMessageStore,
  FakeMetadataStore,
  redelivery,
} from '../test/fakes';
import { createBatchHandler } from './consume/batch-handler';
import { ChannelFlusher } from './metadata/channel-flusher';
import type { ChannelSync } from './store/channel-sync';

const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;

/** One random run: which messages, and per delivery round which faults strike. */
const scenario = fc.record({
  messages: fc.array(
    fc.record({
      channel: fc.constantFrom('a', 'b', 'c'),
      priority: fc.constantFrom(...PRIORITIES),
    }),
    {
      minLength: 1,
      maxLength: 25,
    },
  ),
  rounds: fc.array(
    fc.record({
      take: fc.integer({ min: 1, max: 10 }),
      storeDown: fc.boolean(),
      failMetadata: fc.double({ min: 0, max: 0.5, noNaN: true }),
      failAlerts: fc.double({ min: 0, max: 0.5, noNaN: true }),
      /** The process dies after the handler returned, before sqs-consumer deleted anything. */
      crashBeforeDelete: fc.boolean(),
      /** A channel flush runs after the batch: the process may die between its two writes. */
      flush: fc.constantFrom('none', 'clean', 'crashBeforeMark'),
      seed: fc.integer(),
    }),
    { maxLength: 40 },
  ),
});

describe('redelivery with random faults', () => {
  it('converges: each id stored once, every status stored, totals equal PostgreSQL, every critical alerted', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ messages, rounds }) => {
        const store = new FakeMessageStore();
        const metadata = new FakeMetadataStore();
        const alerts = new FakeAlertPublisher();
        const handle = createBatchHandler({
          store,
          metadata,
          alerts,
          logger: captureLogger().logger,
          clock: Date.now,
          batchTimeoutMs: 5_000,
        });
        // PostgreSQL's record of what DynamoDB holds; a crash can strike between the two writes.
        let crashBeforeMark = false;
        const channels: ChannelSync = {
          unsynced: (limit) => store.unsynced(limit),
          markSynced: (totals) =>
            crashBeforeMark ? Promise.reject(new Error('killed')) : store.markSynced(totals),
        };
        // A page of 2 channels: one flush may leave some channels for the next.
        const flusher = new ChannelFlusher(
          { channels, metadata, logger: captureLogger().logger, clock: Date.now },
          { intervalMs: 1_000, pageSize: 2 },
        );
        const envelopes = messages.map((fields) => envelope(fields));
        // The queue: every message not yet deleted (SQS redelivers all of them eventually).
        let pending: Message[] = envelopes.map((value) => delivery(value));
        const unrecorded = new Set<string>();
        const deliver = async (take: number, crash: boolean) => {
          const batch = pending.slice(0, take).map(redelivery);
          const done = new Set((await handle(batch)).map((message) => message.MessageId));
          if (!crash) pending = pending.filter((message) => !done.has(message.MessageId));
          // Rotate so a stuck head does not starve the rest, as SQS's unordered delivery.
          pending = [...pending.slice(take), ...pending.slice(0, take)];
        };
        for (const round of rounds) {
          let random = round.seed;
          const roll = () => (
            (random = (random * 1103515245 + 12345) % 2 ** 31),
            Math.abs(random) / 2 ** 31
          );
          store.down = round.storeDown;
          metadata.failWhen = (operation, key) => {
            const fail = roll() < round.failMetadata;
            if (fail && operation === 'markAlerted') unrecorded.add(key.split('/')[1] ?? '');
            return fail;
          };
          alerts.failWhen = () => roll() < round.failAlerts;
          await deliver(round.take, round.crashBeforeDelete);
          if (round.flush !== 'none') {
            crashBeforeMark = round.flush === 'crashBeforeMark';
            await flusher.flush().catch(() => undefined);
            crashBeforeMark = false;
          }
        }
        // Faults end; the queue drains.
        store.down = false;
        metadata.failWhen = () => false;
        alerts.failWhen = () => false;
        for (let drain = 0; drain < 100 && pending.length > 0; drain += 1) await deliver(10, false);
        expect(pending).toEqual([]);
        // docs/invariants.md#3: the flushes after the last batch (any worker's) catch DynamoDB up.
        for (let flush = 0; flush < 20 && (await store.unsynced(1)).length > 0; flush += 1)
          await flusher.flush();
        expect(await store.unsynced(100)).toEqual([]);

        expect(store.rows.size).toBe(envelopes.length);
        for (const value of envelopes) {
          expect(metadata.statuses.get(`acme/${value.id}`)?.status).toBe('stored');
          const sent = alerts.countFor(value.id);
          if (value.priority !== 'critical') expect(sent).toBe(0);
          else if (unrecorded.has(value.id)) expect(sent).toBeGreaterThanOrEqual(1);
          else expect(sent).toBe(1);
        }
        expect(metadata.channels.size).toBe(store.totals.size);
        for (const [key, totals] of store.totals) {
          expect(metadata.channels.get(key)).toEqual(totals);
        }
      }),
      { numRuns: 150 },
    );
    // 150 generated scenarios: about 1.5 s idle, 8 s seen beside other suites on 2 busy cores.
  }, 60_000);
});
