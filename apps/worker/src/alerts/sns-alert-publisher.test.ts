import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertRequest } from './alert-publisher';
import { SnsAlertPublisher } from './sns-alert-publisher';

const client = new SNSClient({ region: 'eu-west-1' });
const mock = mockClient(client);
const TOPIC = 'arn:aws:sns:eu-west-1:000000000000:herald-alerts';
const publisher = new SnsAlertPublisher(client, TOPIC);

function alert(key: string): AlertRequest {
  return {
    key,
    subject: `Herald: ${key}`,
    payload: { v: 1, kind: 'critical_message', messageId: key },
  };
}

beforeEach(() => {
  mock.reset();
});

describe('SnsAlertPublisher', () => {
  it('publishes JSON payloads with a subject, ten entries per call', async () => {
    mock
      .on(PublishBatchCommand)
      .callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => ({
        Successful: input.PublishBatchRequestEntries.map((entry) => ({
          Id: entry.Id,
          MessageId: `sns-${entry.Id}`,
        })),
      }));
    const alerts = Array.from({ length: 23 }, (_, index) => alert(`m${index}`));
    const result = await publisher.publish(alerts);
    expect(result.published.size).toBe(23);
    expect(result.failed.size).toBe(0);
    const calls = mock.commandCalls(PublishBatchCommand);
    expect(calls.map((call) => call.args[0].input.PublishBatchRequestEntries?.length)).toEqual([
      10, 10, 3,
    ]);
    const entry = calls[0]?.args[0].input.PublishBatchRequestEntries?.[0];
    expect(calls[0]?.args[0].input.TopicArn).toBe(TOPIC);
    expect(entry?.Subject).toBe('Herald: m0');
    expect(JSON.parse(entry?.Message ?? '')).toEqual({
      v: 1,
      kind: 'critical_message',
      messageId: 'm0',
    });
  });

  it('fails only the entries SNS failed, or left out of its answer', async () => {
    mock.on(PublishBatchCommand).resolves({
      Successful: [{ Id: 'a0', MessageId: 'x' }],
      Failed: [{ Id: 'a1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    const result = await publisher.publish([alert('one'), alert('two'), alert('three')]);
    expect([...result.published]).toEqual(['one']);
    expect(result.failed.get('two')).toBe('InternalError: try again');
    expect(result.failed.get('three')).toBe('missing from the PublishBatch answer');
  });

  it('fails every entry of a call that failed, without throwing', async () => {
    mock
      .on(PublishBatchCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
    const result = await publisher.publish([alert('one'), alert('two')]);
    expect(result.published.size).toBe(0);
    expect(result.failed.get('one')).toBe('Throttling: throttled');
  });
});
