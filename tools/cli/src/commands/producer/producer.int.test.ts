import '@herald/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { HeraldClient } from '@herald/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  startHeraldServices,
  untilStored,
  type HeraldServices,
} from '../../../test/herald-services';
import { runCommand } from '../../../test/run-command';
import { sendCommand } from './send';
import { statusCommand } from './status';
import { tailCommand } from './tail';

const stack = inject('stack');
let services: HeraldServices;
let client: HeraldClient;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  services = await startHeraldServices(stack);
  client = new HeraldClient({ baseUrl: services.apiUrl, apiKey: services.apiKey });
  env = { HERALD_API_URL: services.apiUrl, HERALD_API_KEY: services.apiKey };
});

afterAll(async () => {
  await services.stop();
});

const channel = () => `p-${randomUUID().slice(0, 8)}`;

describe('producer commands against the real ingest and worker', () => {
  it('send prints the id of one message, and status shows it stored', async () => {
    const orders = channel();
    const sent = await runCommand(sendCommand, [orders, '{"orderId":42}', '-p', 'critical'], {
      env,
    });
    expect(sent.error).toBeUndefined();
    const id = sent.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await untilStored(client, id);
    const status = await runCommand(statusCommand, [id, '--json'], { env });
    expect(JSON.parse(status.stdout)).toMatchObject({
      id,
      status: 'stored',
      message: { channel: orders, body: { orderId: 42 }, priority: 'critical' },
    });
    const human = await runCommand(statusCommand, [id], { env });
    expect(human.stdout).toContain('status     stored');
  });

  it('send batches NDJSON from stdin and prints every id in input order', async () => {
    const batch = channel();
    const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({ body: i })).join('\n');
    const sent = await runCommand(sendCommand, ['--channel', batch], { env, stdin: lines });
    expect(sent.error).toBeUndefined();
    const ids = sent.stdout.trim().split('\n');
    expect(ids).toHaveLength(120);
    const last = await untilStored(client, ids[119]!);
    expect(last.message?.body).toBe(119);
    expect((await untilStored(client, ids[0]!)).message?.body).toBe(0);
  });

  it('status of an unknown id throws not_found', async () => {
    const result = await runCommand(statusCommand, [randomUUID()], { env });
    expect(result.error).toMatchObject({ name: 'HeraldApiError', code: 'not_found', status: 404 });
  });

  it('tail prints the newest stored message, then follows those stored after it started', async () => {
    const live = channel();
    const before = await client.send({ channel: live, body: 'before' });
    await untilStored(client, before.id);
    const tailing = runCommand(
      tailCommand,
      [live, '-n', '1', '--interval', '200', '--count', '3', '--json'],
      { env },
    );
    // Give tail its first poll, then produce.
    await new Promise((done) => setTimeout(done, 1_000));
    const sent = [];
    for (const body of ['one', 'two', 'three'])
      sent.push((await client.send({ channel: live, body })).id);
    const result = await tailing;
    expect(result.error).toBeUndefined();
    const printed = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string; body: string }).body);
    // Oldest first within a poll; the worker may store two of them in different polls' order.
    expect(printed[0]).toBe('before');
    expect(printed.slice(1).sort()).toEqual(['one', 'three', 'two']);
  }, 90_000);

  it('tail stops cleanly on a real SIGINT (Ctrl-C), exit 0 and nothing on stderr', async () => {
    const live = channel();
    const first = await client.send({ channel: live, body: 'seen' });
    await untilStored(client, first.id);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(import.meta.dirname, '../../../test/producer-program.ts'),
        'tail',
        live,
        '--interval',
        '200',
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    const deadline = Date.now() + 60_000;
    while (!stdout.includes(first.id) && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 100));
    child.kill('SIGINT');
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(first.id);
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toHaveLength(1);
  }, 90_000);
});
