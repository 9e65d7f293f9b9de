import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OpsSnapshot } from '@herald/local-aws/ops';
import { freePort } from '@herald/local-stack';
import { describe, expect, inject, it } from 'vitest';
import { runHerald } from '../../test/run-herald';
import { stackEnv } from '../../test/stack-env';

async function snapshot(base: string): Promise<OpsSnapshot | undefined> {
  try {
    const response = await fetch(`${base}/_herald/ops.json`);
    return response.ok ? ((await response.json()) as OpsSnapshot) : undefined;
  } catch {
    return undefined;
  }
}

describe('herald ops', () => {
  it('serves the page and a snapshot that follows the queue, until Ctrl-C', async () => {
    const stack = inject('stack');
    const sqs = new SQSClient({
      endpoint: stack.awsEndpoint,
      region: stack.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { QueueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: `ops-${randomUUID().slice(0, 8)}` }),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${String(port)}`;
    let stop: (() => void) | undefined;
    const running = runHerald(['--json', 'ops', '--port', String(port), '--interval', '1'], {
      env: stackEnv({ HERALD_QUEUE_URL: QueueUrl }),
      onInterrupt: (handler) => {
        stop = handler;
      },
    });
    try {
      await expect.poll(() => stop, { timeout: 30_000 }).toBeDefined();
      const page = await fetch(`${base}/`);
      expect(page.url).toBe(`${base}/_herald/ops`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('id="dlq-depth"');
      const first = await snapshot(base);
      expect(first?.label).toBe('local');
      expect(first?.error).toBeUndefined();
      expect(first?.queue.visible).toBe(0);
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: id })),
        }),
      );
      await expect
        .poll(async () => (await snapshot(base))?.queue.visible, { timeout: 20_000 })
        .toBe(3);
      expect((await snapshot(base))?.error).toBeUndefined();
      expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    } finally {
      stop?.();
      sqs.destroy();
    }
    const run = await running;
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ url: `${base}/_herald/ops`, target: 'local' });
    // The server is gone after Ctrl-C.
    expect(await snapshot(base)).toBeUndefined();
  });

  it('refuses a port out of range in one line', async () => {
    const run = await runHerald(['ops', '--port', '70000'], { env: stackEnv() });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^herald: .*--port must be a whole number from 0 to 65535$/);
  });
});
