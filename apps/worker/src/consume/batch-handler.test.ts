import type { Message } from '@aws-sdk/client-sqs';
import { alertPayloadSchema } from '@herald/contracts';
import { describe, expect, it } from 'vitest';
import {
  captureLogger,
  delivery,
  envelope,
  FakeAlertPublisher,
  FakeMessageStore,
  FakeMetadataStore,
  redelivery,
  TRACEPARENT,
} from '../../test/fakes';
import { createBatchHandler } from './batch-handler';
import { BatchTimeoutError } from '../errors';
import { OutageBackoff } from './outage-backoff';
import type { MessageStore } from '../store/message-store';

function setup(overrides: { store?: MessageStore; batchTimeoutMs?: number } = {}) {
  const store = new FakeMessageStore();
  const metadata = new FakeMetadataStore();
  const alerts = new FakeAlertPublisher();
  const { logger, lines } = captureLogger();
  let now = Date.parse('2026-11-25T10:00:01.000Z');
  const backoff = new OutageBackoff(() => now);
  const handle = createBatchHandler({
    store: overrides.store ?? store,
    metadata,
    alerts,
    logger,
    backoff,
    clock: () => now,
    batchTimeoutMs: overrides.batchTimeoutMs ?? 5_000,
  });
  const metrics = () =>
    lines
      .filter((line) => line.msg === 'batch')
      .map((line) => line.metrics as Record<string, number>);
  const advance = (ms: number) => {
    now += ms;
  };
  return { store, metadata, alerts, handle, lines, metrics, backoff, advance };
}

const ids = (messages: readonly Message[]) => messages.map((message) => message.MessageId).sort();

describe('handleMessageBatch', () => {
  it('stores new messages, syncs their metadata and returns all of them for deletion', async () => {
    const { store, metadata, handle, metrics } = setup();
    const batch = [
      delivery(envelope({ channel: 'orders' })),
      delivery(envelope({ channel: 'orders' })),
      delivery(envelope({ channel: 'billing', tenant: 'globex' })),
    ];
    expect(ids(await handle(batch))).toEqual(ids(batch));
    expect(store.rows.size).toBe(3);
    expect([...metadata.statuses.values()].every((status) => status.status === 'stored')).toBe(
      true,
    );
    expect(store.totals.get('acme/orders')?.messageCount).toBe(2);
    expect(store.totals.get('globex/billing')?.messageCount).toBe(1);
    expect(metrics()[0]).toMatchObject({
      received: 3,
      stored: 3,
      duplicates: 0,
      rejected: 0,
      deleted: 3,
      retried: 0,
    });
  });

  it('acknowledges a fully redelivered batch without storing or counting anything twice', async () => {
    const { store, handle, metrics } = setup();
    const batch = [delivery(envelope()), delivery(envelope())];
    await handle(batch);
    const again = batch.map(redelivery);
    expect(ids(await handle(again))).toEqual(ids(batch));
    expect(store.rows.size).toBe(2);
    expect(store.totals.get('acme/orders')?.messageCount).toBe(2);
    expect(metrics()[1]).toMatchObject({ received: 2, stored: 0, duplicates: 2, deleted: 2 });
  });

  it('stores the new part of a mixed batch and re-syncs the redelivered part', async () => {
    const { store, metadata, handle, metrics } = setup();
    const old = delivery(envelope());
    await handle([old]);
    metadata.statuses.clear();
    const fresh = delivery(envelope());
    expect(ids(await handle([redelivery(old), fresh]))).toEqual(ids([old, fresh]));
    expect(store.rows.size).toBe(2);
    expect(metadata.statuses.size).toBe(2);
    expect(store.totals.get('acme/orders')?.messageCount).toBe(2);
    expect(metrics()[1]).toMatchObject({ stored: 1, duplicates: 1 });
  });

  it('stores one row for two copies of the same id in one batch and deletes both copies', async () => {
    const { store, handle } = setup();
    const value = envelope();
    const copies = [delivery(value), delivery(value)];
    expect(ids(await handle(copies))).toEqual(ids(copies));
    expect(store.rows.size).toBe(1);
    expect(store.totals.get('acme/orders')?.messageCount).toBe(1);
  });

  it('records an invalid envelope as rejected, alerts once and acknowledges it with the valid ones', async () => {
    const { store, metadata, alerts, handle, metrics } = setup();
    const bad = { ...envelope(), channel: 'no/slashes' };
    const batch = [delivery(JSON.stringify(bad)), delivery(envelope())];
    expect(ids(await handle(batch))).toEqual(ids(batch));
    expect(store.rows.size).toBe(1);
    expect(metadata.statuses.get(`acme/${bad.id}`)).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('invalid_envelope') as unknown,
    });
    expect(alerts.published).toHaveLength(1);
    expect(alertPayloadSchema.parse(alerts.published[0]?.payload)).toMatchObject({
      kind: 'message_rejected',
      messageId: bad.id,
      tenant: 'acme',
    });
    expect(metadata.statuses.get(`acme/${bad.id}`)?.alerted).toBe(true);
    expect(metrics()[0]).toMatchObject({ rejected: 1, stored: 1, alerted: 1, deleted: 2 });
  });

  it('rejects an unknown envelope version loudly, keyed by its readable id', async () => {
    const { metadata, alerts, handle, lines } = setup();
    const future = { ...envelope(), v: 2 };
    const message = delivery(JSON.stringify(future));
    expect(await handle([message])).toEqual([message]);
    expect(metadata.statuses.get(`acme/${future.id}`)).toMatchObject({
      status: 'rejected',
      reason: 'unknown_version: unknown envelope version 2',
    });
    expect(alerts.published[0]?.subject).toBe('Herald: message rejected (unknown_version)');
    expect(lines.find((line) => line.msg === 'envelope rejected')).toMatchObject({
      level: 40,
      messageId: future.id,
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
  });

  it('keys an unreadable message by its SQS MessageId and takes the trace from the message attribute', async () => {
    const { metadata, handle, lines } = setup();
    const message = delivery('{not json', {
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
    });
    expect(await handle([message])).toEqual([message]);
    expect(metadata.statuses.get(`_unknown/${message.MessageId ?? ''}`)).toMatchObject({
      status: 'rejected',
    });
    expect(lines.find((line) => line.msg === 'envelope rejected')).toMatchObject({
      traceparent: TRACEPARENT,
    });
  });

  it('returns nothing for deletion when PostgreSQL is down, and touches no metadata', async () => {
    const { store, metadata, alerts, handle, lines } = setup();
    store.down = true;
    expect(
      await handle([delivery(envelope()), delivery(envelope({ priority: 'critical' }))]),
    ).toEqual([]);
    expect(metadata.writes).toBe(0);
    expect(alerts.published).toHaveLength(0);
    expect(
      lines.find((line) => line.msg === 'message store failed; leaving the batch for redelivery'),
    ).toMatchObject({ level: 50 });
  });

  it('slows polling after an outage batch and resumes at full speed once a batch gets through', async () => {
    const { store, handle, backoff, advance } = setup();
    store.down = true;
    await handle([delivery(envelope())]);
    expect(backoff.delayMs()).toBe(1_000);
    advance(1_000);
    await handle([delivery(envelope())]);
    expect(backoff.delayMs()).toBe(2_000);
    advance(2_000);
    store.down = false;
    await handle([delivery(envelope())]);
    expect(backoff.delayMs()).toBe(0);
  });

  it('slows polling when every metadata write of a batch fails', async () => {
    const { metadata, handle, backoff } = setup();
    metadata.failWhen = () => true;
    expect(await handle([delivery(envelope()), delivery(envelope())])).toEqual([]);
    expect(backoff.delayMs()).toBeGreaterThan(0);
  });

  it('lets the rest of the batch through when PostgreSQL refuses one row, and keeps that one', async () => {
    const { store, metadata, handle, lines, metrics } = setup();
    const poison = envelope({ body: 'a row the database refuses' });
    store.refuse = (value) => value.id === poison.id;
    const good = [delivery(envelope()), delivery(envelope())];
    const batch = [delivery(poison), ...good];
    expect(ids(await handle(batch))).toEqual(ids(good));
    expect(metadata.statuses.has(`acme/${poison.id}`)).toBe(false);
    expect(lines.find((line) => line.messageId === poison.id && line.level === 50)?.msg).toMatch(
      /dead-letter/,
    );
    expect(metrics()[0]).toMatchObject({ stored: 2, duplicates: 0, retried: 1 });
  });

  it('keeps a critical message whose status update failed, and alerts it only once that status is written', async () => {
    const { metadata, alerts, handle } = setup();
    const critical = envelope({ priority: 'critical' });
    const message = delivery(critical);
    metadata.failWhen = (operation) => operation === 'markStored';
    expect(await handle([message, delivery(envelope())])).toHaveLength(1);
    expect(alerts.published).toHaveLength(0);
    metadata.failWhen = () => false;
    expect(await handle([redelivery(message)])).toEqual([
      expect.objectContaining({ MessageId: message.MessageId }) as unknown,
    ]);
    expect(alerts.countFor(critical.id)).toBe(1);
  });

  it('keeps messages whose status write failed after the commit, and heals them on redelivery', async () => {
    const { store, metadata, handle } = setup();
    const first = envelope();
    const batch = [delivery(first), delivery(envelope())];
    const failing = `acme/${first.id}`;
    metadata.failWhen = (operation, key) => operation === 'putStored' && key === failing;
    expect(ids(await handle(batch))).toEqual(ids([batch[1] as Message]));
    expect(store.rows.size).toBe(2);
    expect(metadata.statuses.has(failing)).toBe(false);

    metadata.failWhen = () => false;
    expect(await handle([redelivery(batch[0] as Message)])).toHaveLength(1);
    expect(metadata.statuses.get(failing)?.status).toBe('stored');
    expect(store.rows.size).toBe(2);
    expect(store.totals.get('acme/orders')?.messageCount).toBe(2);
  });

  it('writes one status item per message and no channel item, however many channels the batch spans', async () => {
    const { store, metadata, handle } = setup();
    const batch = Array.from({ length: 10 }, (_, index) =>
      delivery(envelope({ channel: `c${index}` })),
    );
    expect(ids(await handle(batch))).toEqual(ids(batch));
    // docs/invariants.md#3: the commit leaves the channels ahead; the channel flusher copies them.
    expect(metadata.writes).toBe(10);
    expect(metadata.channels.size).toBe(0);
    expect(await store.unsynced(100)).toHaveLength(10);
  });

  it('alerts a stored critical message once and records it as alerted', async () => {
    const { metadata, alerts, handle } = setup();
    const critical = envelope({
      priority: 'critical',
      body: 'disk full on db-1',
      sender: 'monitor',
    });
    const message = delivery(critical);
    expect(await handle([message])).toEqual([message]);
    expect(alerts.published).toHaveLength(1);
    const alert = alerts.published[0];
    expect(alert?.subject).toBe('Herald: critical message in acme/orders');
    expect(alertPayloadSchema.parse(alert?.payload)).toMatchObject({
      kind: 'critical_message',
      messageId: critical.id,
      preview: 'disk full on db-1',
      sender: 'monitor',
      priority: 'critical',
    });
    expect(metadata.statuses.get(`acme/${critical.id}`)).toMatchObject({
      status: 'stored',
      alerted: true,
    });
  });

  it('does not re-alert a redelivered critical message once the alert is recorded', async () => {
    const { alerts, handle } = setup();
    const critical = envelope({ priority: 'critical' });
    const message = delivery(critical);
    await handle([message]);
    expect(await handle([redelivery(message)])).toHaveLength(1);
    expect(alerts.countFor(critical.id)).toBe(1);
  });

  it('keeps only the message whose alert entry failed, and alerts it on redelivery', async () => {
    const { alerts, handle, metadata } = setup();
    const failing = envelope({ priority: 'critical' });
    const fine = envelope({ priority: 'critical' });
    const batch = [delivery(failing), delivery(fine), delivery(envelope())];
    alerts.failWhen = (alert) => alert.payload.messageId === failing.id;
    expect(ids(await handle(batch))).toEqual(ids([batch[1] as Message, batch[2] as Message]));
    expect(metadata.statuses.get(`acme/${failing.id}`)).toMatchObject({ status: 'stored' });
    expect(metadata.statuses.get(`acme/${failing.id}`)?.alerted).toBeUndefined();

    alerts.failWhen = () => false;
    expect(await handle([redelivery(batch[0] as Message)])).toHaveLength(1);
    expect(alerts.countFor(failing.id)).toBe(1);
    expect(alerts.countFor(fine.id)).toBe(1);
  });

  it('keeps a message whose alert went out but was not recorded (at least once, never lost)', async () => {
    const { alerts, metadata, handle } = setup();
    const critical = envelope({ priority: 'critical' });
    const message = delivery(critical);
    metadata.failWhen = (operation) => operation === 'markAlerted';
    expect(await handle([message])).toEqual([]);
    metadata.failWhen = () => false;
    expect(await handle([redelivery(message)])).toHaveLength(1);
    expect(alerts.countFor(critical.id)).toBe(2);
  });

  it('never overwrites a stored status with a rejection sharing its id', async () => {
    const { metadata, alerts, handle } = setup();
    const stored = envelope();
    await handle([delivery(stored)]);
    const impostor = delivery(JSON.stringify({ ...stored, v: 9 }));
    expect(await handle([impostor])).toEqual([impostor]);
    expect(metadata.statuses.get(`acme/${stored.id}`)?.status).toBe('stored');
    expect(alerts.published).toHaveLength(0);
  });

  it('logs a plain first delivery at debug, and a duplicate or an alerted message at info', async () => {
    const { handle, lines } = setup();
    const plain = delivery(envelope());
    const critical = delivery(envelope({ priority: 'critical' }));
    await handle([plain, critical]);
    await handle([redelivery(plain)]);
    const settled = lines.filter((line) => line.msg === 'message settled');
    // pino levels: 20 debug, 30 info.
    expect(settled.map((line) => [line.outcome, line.alerted, line.level])).toEqual([
      ['stored', false, 20],
      ['stored', true, 30],
      ['duplicate', false, 30],
    ]);
  });

  it('logs each settled message with its trace and a metric line per batch', async () => {
    const { handle, lines } = setup();
    const value = envelope({ acceptedAt: '2026-11-25T10:00:00.000Z' });
    await handle([delivery(value)]);
    expect(lines.find((line) => line.msg === 'message settled')).toMatchObject({
      messageId: value.id,
      outcome: 'stored',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      traceparent: TRACEPARENT,
    });
    expect(lines.find((line) => line.msg === 'batch')?.metrics).toMatchObject({
      latencyP50Ms: 1000,
      latencyMaxMs: 1000,
    });
  });

  it('throws BatchTimeoutError when a store hangs, so nothing is deleted', async () => {
    const hanging: MessageStore = { store: () => new Promise(() => undefined) };
    const { handle } = setup({ store: hanging, batchTimeoutMs: 20 });
    await expect(handle([delivery(envelope())])).rejects.toBeInstanceOf(BatchTimeoutError);
  });
});
