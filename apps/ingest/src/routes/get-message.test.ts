import { describe, expect, it } from 'vitest';
import { messageStatusResponseSchema, type StoredMessage } from '@herald/contracts';
import { getWith, KEYS, testApp } from '../../test/fakes';
import { DependencyUnavailableError } from '../errors/api-error';

const ID = '0193a1b2-0000-7000-8000-000000000001';
const stored: StoredMessage = {
  id: ID,
  channel: 'orders',
  body: { n: 1 },
  sender: null,
  attributes: {},
  priority: 'critical',
  acceptedAt: '2026-01-01T00:00:00.000Z',
  storedAt: '2026-01-01T00:00:01.000Z',
};

describe('GET /v1/messages/{id}', () => {
  it('answers a stored message with its status and the message from PostgreSQL', async () => {
    const { app, statuses, messages } = testApp();
    statuses.set('acme', ID, 'stored');
    messages.rows.push({ ...stored, tenant: 'acme' });
    const response = await app.request(`/v1/messages/${ID}`, getWith());
    expect(response.status).toBe(200);
    expect(messageStatusResponseSchema.parse(await response.json())).toEqual({
      id: ID,
      status: 'stored',
      message: stored,
    });
  });

  it('answers a rejected message with its reason and no message', async () => {
    const { app, statuses } = testApp();
    statuses.set('acme', ID, 'rejected', 'invalid envelope');
    const response = await app.request(`/v1/messages/${ID}`, getWith(KEYS.both));
    expect(await response.json()).toEqual({
      id: ID,
      status: 'rejected',
      reason: 'invalid envelope',
    });
  });

  it('answers a dead-lettered message', async () => {
    const { app, statuses } = testApp();
    statuses.set('acme', ID, 'dead_lettered', 'maxReceiveCount reached');
    expect(await (await app.request(`/v1/messages/${ID}`, getWith())).json()).toMatchObject({
      status: 'dead_lettered',
    });
  });

  it('answers stored from PostgreSQL when the worker has not written the status yet', async () => {
    const { app, messages } = testApp();
    messages.rows.push({ ...stored, tenant: 'acme' });
    const response = await app.request(`/v1/messages/${ID}`, getWith());
    expect(await response.json()).toMatchObject({ id: ID, status: 'stored', message: stored });
  });

  it('answers 404, not 403, for another tenant’s message', async () => {
    const { app, statuses, messages } = testApp();
    statuses.set('acme', ID, 'stored');
    messages.rows.push({ ...stored, tenant: 'acme' });
    const response = await app.request(`/v1/messages/${ID}`, getWith(KEYS.other));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });

  it('answers 503 when the status store is down', async () => {
    const { app, statuses } = testApp();
    statuses.get = () => Promise.reject(new DependencyUnavailableError('dynamodb'));
    const response = await app.request(`/v1/messages/${ID}`, getWith());
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' });
  });
});
