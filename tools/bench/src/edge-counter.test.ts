import { Readable } from 'node:stream';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HttpResponse } from '@smithy/protocol-http';
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
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // Answers every request itself: the middleware under test runs, nothing is sent.
      requestHandler: {
        handle: () =>
          Promise.resolve({
            response: new HttpResponse({
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.0' },
              body: Readable.from([Buffer.from('{"QueueUrls":[]}')]),
            }),
          }),
      },
    });
    counter.exclude(sqs, 'sqs');
    const before = counter.snapshot();
    await sqs.send(new ListQueuesCommand({}));
    const line = JSON.stringify({ msg: 'request', service: 'sqs', operation: 'ListQueues' });
    for (let i = 0; i < 3; i += 1) counter.sink('aws', line);
    expect(diffCounts(before, counter.snapshot())).toEqual({ sqs: { ListQueues: 2 } });
  });
});
