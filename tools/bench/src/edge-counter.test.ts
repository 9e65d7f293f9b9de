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
});
