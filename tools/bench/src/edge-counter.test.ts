import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { diffCounts, EdgeCounter, perMessage } from './edge-counter';

describe('EdgeCounter', () => {
  it('counts the edge request lines by service and operation, nothing else', () => {
    const counter = new EdgeCounter();
    const before = counter.snapshot();
    const line = (service: string, operation: string) =>
      JSON.stringify({ msg: 'request', service, operation, status: 200, ms: 1 });
    counter.sink('aws', line('sqs', 'SendMessageBatch'));
    counter.sink('aws', line('sqs', 'SendMessageBatch'));
    counter.sink('aws', line('dynamodb', 'PutItem'));
    counter.sink('aws', JSON.stringify({ msg: 'edge listening' }));
    counter.sink('postgres', line('sqs', 'ReceiveMessage'));
    const counts = diffCounts(before, counter.snapshot());
    expect(counts).toEqual({ sqs: { SendMessageBatch: 2 }, dynamodb: { PutItem: 1 } });
    expect(perMessage(counts, 20)).toEqual({
      sqs: { SendMessageBatch: 0.1 },
      dynamodb: { PutItem: 0.05 },
    });
  });

  it("leaves out the requests of a client it was told are the bench's own", async () => {
    const counter = new EdgeCounter();
    // A loopback stand-in for the edge: it answers every request with an empty queue list.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{"QueueUrls":[]}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    counter.exclude(sqs, 'sqs');
    const before = counter.snapshot();
    await sqs.send(new ListQueuesCommand({}));
    const line = JSON.stringify({ msg: 'request', service: 'sqs', operation: 'ListQueues' });
    for (let i = 0; i < 3; i += 1) counter.sink('aws', line);
    sqs.destroy();
    await new Promise((done) => server.close(done));
    expect(diffCounts(before, counter.snapshot())).toEqual({ sqs: { ListQueues: 2 } });
  });
});
