import { afterEach, describe, expect, it } from 'vitest';
import { close, createHealthServer, type HealthReport, listen } from './health-server';

let report: HealthReport = { healthy: true };
const server = createHealthServer(() => report);

afterEach(async () => {
  if (server.listening) await close(server);
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const { port } = await listen(server, 0, '127.0.0.1');
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('GET /healthz', () => {
  it('answers 200 with the report while healthy', async () => {
    report = { healthy: true, consumers: [{ index: 0 }] };
    expect(await get('/healthz')).toEqual({ status: 200, body: report });
  });

  it('answers 503 with the reason when unhealthy', async () => {
    report = { healthy: false, reason: 'no successful receive for over 90s (consumer 1)' };
    expect(await get('/healthz')).toEqual({ status: 503, body: report });
  });

  it('answers 404 elsewhere', async () => {
    expect((await get('/metrics')).status).toBe(404);
  });
});
