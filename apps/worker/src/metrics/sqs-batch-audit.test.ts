import {
  DeleteMessageBatchCommand,
  type DeleteMessageBatchCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/fakes';
import { auditBatchEntries } from './sqs-batch-audit';

/** A client whose requests never leave: each call answers the next canned output. */
function stubbedClient(outputs: Partial<DeleteMessageBatchCommandOutput>[]) {
  const client = new SQSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const inputs: unknown[] = [];
  const { logger, lines } = captureLogger();
  auditBatchEntries(client, logger);
  client.middlewareStack.add(
    () => (args) => {
      inputs.push(args.input);
      return Promise.resolve({
        output: { $metadata: {}, ...outputs.shift() } as never,
        response: {},
      });
    },
    { step: 'serialize', name: 'stub', priority: 'high' },
  );
  return { client, inputs, lines };
}

const entries = [
  { Id: 'm1', ReceiptHandle: 'r1' },
  { Id: 'm2', ReceiptHandle: 'r2' },
  { Id: 'm3', ReceiptHandle: 'r3' },
];
const command = () =>
  new DeleteMessageBatchCommand({ QueueUrl: 'http://127.0.0.1/q', Entries: entries });

describe('auditBatchEntries', () => {
  it('retries entries SQS failed on its side once, and logs nothing when the retry succeeds', async () => {
    const { client, inputs, lines } = stubbedClient([
      {
        Successful: [{ Id: 'm1' }],
        Failed: [{ Id: 'm2', Code: 'InternalError', SenderFault: false }],
      },
      { Successful: [{ Id: 'm2' }] },
    ]);
    await client.send(command());
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).toMatchObject({ Entries: [{ Id: 'm2', ReceiptHandle: 'r2' }] });
    expect(lines.filter((line) => line.level === 50)).toHaveLength(0);
  });

  it('logs the entries that still fail, with their message ids, and does not retry sender faults', async () => {
    const { client, inputs, lines } = stubbedClient([
      {
        Failed: [
          { Id: 'm1', Code: 'ReceiptHandleIsInvalid', SenderFault: true },
          { Id: 'm3', Code: 'InternalError', SenderFault: false },
        ],
      },
      { Failed: [{ Id: 'm3', Code: 'InternalError', SenderFault: false }] },
    ]);
    await client.send(command());
    expect(inputs).toHaveLength(2);
    const error = lines.find((line) => line.level === 50);
    expect(error?.failed).toEqual([
      { sqsMessageId: 'm1', code: 'ReceiptHandleIsInvalid', senderFault: true },
      { sqsMessageId: 'm3', code: 'InternalError', senderFault: false },
    ]);
  });

  it('leaves calls without failed entries alone', async () => {
    const { client, inputs, lines } = stubbedClient([
      { Successful: entries.map(({ Id }) => ({ Id })) },
    ]);
    await client.send(command());
    expect(inputs).toHaveLength(1);
    expect(lines).toHaveLength(0);
  });
});
