import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceOf, startFaultProxy, type FaultProxy } from './fault-proxy';

let edge: Server;
let proxy: FaultProxy;

beforeAll(async () => {
  edge = createServer((request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end(`edge saw ${String(request.headers['x-amz-target'] ?? 'sns')}`);
  });
  await new Promise<void>((resolve) => edge.listen(0, '127.0.0.1', resolve));
  const address = edge.address();
  proxy = await startFaultProxy(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
});

afterAll(async () => {
  await proxy.close();
  edge.close();
});

const call = (target?: string) =>
  fetch(proxy.url, {
    method: 'POST',
    headers: target ? { 'x-amz-target': target } : {},
    body: '{}',
  }).then(
    async (response) => `${response.status} ${await response.text()}`,
    () => 'unreachable',
  );

describe('fault proxy', () => {
  it('tells the services on the one edge apart', () => {
    expect(serviceOf('AmazonSQS.SendMessageBatch')).toBe('sqs');
    expect(serviceOf('DynamoDB_20120810.PutItem')).toBe('dynamodb');
    expect(serviceOf(undefined)).toBe('sns');
  });

  it('makes one service unreachable while the others pass, and brings it back', async () => {
    expect(await call('DynamoDB_20120810.GetItem')).toBe('200 edge saw DynamoDB_20120810.GetItem');
    proxy.down('dynamodb');
    expect(await call('DynamoDB_20120810.GetItem')).toBe('unreachable');
    expect(await call('AmazonSQS.ReceiveMessage')).toBe('200 edge saw AmazonSQS.ReceiveMessage');
    expect(await call()).toBe('200 edge saw sns');
    expect(proxy.refused.dynamodb).toBe(1);
    proxy.up('dynamodb');
    expect(await call('DynamoDB_20120810.GetItem')).toBe('200 edge saw DynamoDB_20120810.GetItem');
  });
});
