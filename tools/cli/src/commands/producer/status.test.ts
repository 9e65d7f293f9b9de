import { describe, expect, it } from 'vitest';
import { fakeFetch, jsonResponse, runCommand } from '../../../test/run-command';
import { statusCommand } from './status';

const ID = '01936f0e-8a4b-7c3d-9e2f-0a1b2c3d4e5f';
const STORED = {
  id: ID,
  status: 'stored',
  alerted: false,
  message: {
    id: ID,
    channel: 'orders',
    body: { orderId: 42 },
    sender: null,
    attributes: {},
    priority: 'normal',
    acceptedAt: '2026-12-01T00:00:00.000Z',
    storedAt: '2026-12-01T00:00:01.000Z',
  },
};

describe('herald status', () => {
  it('prints the status and the stored message, one field per line', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, STORED));
    const result = await runCommand(statusCommand, [ID], { fetch });
    expect(result.error).toBeUndefined();
    expect(fetch.calls[0]?.url.pathname).toBe(`/v1/messages/${ID}`);
    expect(result.stdout.split('\n')).toEqual([
      `id         ${ID}`,
      'status     stored',
      'alerted    false',
      'channel    orders',
      'priority   normal',
      'accepted   2026-12-01T00:00:00.000Z',
      'stored     2026-12-01T00:00:01.000Z',
      'body       {"orderId":42}',
      '',
    ]);
  });

  it('prints the answer as JSON with --json', async () => {
    const result = await runCommand(statusCommand, [ID, '--json'], {
      fetch: fakeFetch(() => jsonResponse(200, STORED)),
    });
    expect(JSON.parse(result.stdout)).toEqual(STORED);
  });

  it('throws not_found for a message not settled yet', async () => {
    const fetch = fakeFetch(() =>
      jsonResponse(404, {
        type: 'x',
        title: 'Not Found',
        status: 404,
        detail: 'no such message',
        code: 'not_found',
        requestId: 'r1',
      }),
    );
    const result = await runCommand(statusCommand, [ID], { fetch });
    expect(result.error).toMatchObject({ code: 'not_found', status: 404, requestId: 'r1' });
  });

  it('needs an id', async () => {
    const result = await runCommand(statusCommand, []);
    expect(result.stderr).toMatch(/missing required argument 'id'/);
  });
});
