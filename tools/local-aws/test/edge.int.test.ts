import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAwsOptionsError, startLocalAws } from '../src/index';
import { createQueue, rejection, startHarness, type Harness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

function post(headers: Record<string, string>, body: string | Buffer): Promise<Response> {
  return fetch(h.aws.url, { method: 'POST', headers, body });
}

const SQS_JSON = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-mode': 'true' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function expectHealthy(): Promise<void> {
  const response = await fetch(`${h.aws.url}/_herald/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok' });
}

describe('edge: bad requests get AWS-shaped errors and the edge keeps serving', () => {
  it('answers garbage JSON to SQS with SerializationException', async () => {
    const response = await post(
      { ...SQS_JSON, 'x-amz-target': 'AmazonSQS.SendMessage' },
      '{"QueueUrl": ',
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#SerializationException',
    });
    await expectHealthy();
  });

  it('answers an unknown SQS operation with UnknownOperationException', async () => {
    const response = await post({ ...SQS_JSON, 'x-amz-target': 'AmazonSQS.LaunchRocket' }, '{}');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#UnknownOperationException',
    });
  });

  it('answers an unknown target with UnknownOperationException', async () => {
    const response = await post(
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.PutRecord',
      },
      '{}',
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#UnknownOperationException',
    });
  });

  it('answers SQS errors with the query-compatible error header', async () => {
    const body = JSON.stringify({ QueueUrl: `${h.aws.url}/000000000000/none` });
    const response = await post(
      { ...SQS_JSON, 'x-amz-target': 'AmazonSQS.GetQueueAttributes' },
      body,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe(
      'AWS.SimpleQueueService.NonExistentQueue;Sender',
    );
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.sqs#QueueDoesNotExist' });
  });

  it.each([
    ['an unknown action', 'Action=LaunchRocket&Version=2010-03-31'],
    ['no action', 'Version=2010-03-31&%%%garbage'],
  ])('answers a form with %s with an InvalidAction ErrorResponse', async (_label, form) => {
    const response = await post(FORM, form);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
    expect(text).toContain('<Code>InvalidAction</Code>');
    await expectHealthy();
  });

  it('answers a request naming no operation with a JSON error', async () => {
    const response = await post({ 'content-type': 'text/plain' }, 'hello?');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#UnknownOperationException',
    });
  });

  it('refuses bodies over 2 MiB with 413 in the shape of the service', async () => {
    const response = await post(
      { ...SQS_JSON, 'x-amz-target': 'AmazonSQS.SendMessage' },
      Buffer.alloc(2 * 1024 * 1024 + 1, 32),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      __type: 'com.amazon.coral.service#RequestEntityTooLargeException',
    });
    await expectHealthy();
  });

  it('survives a client that disconnects halfway through its body', async () => {
    const { port } = h.aws;
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\n' +
            'x-amz-target: DynamoDB_20120810.ListTables\r\ncontent-length: 1000\r\n\r\n{"Lim',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await expectHealthy();
    const { url } = await createQueue(h.sqs, 'after-abort');
    expect(url).toContain('after-abort');
  });
});

describe('edge: emulator endpoints', () => {
  it('serves the mailbox as JSON and 404s unknown paths', async () => {
    const mailbox = await fetch(`${h.aws.url}/_herald/mailbox`);
    expect(mailbox.status).toBe(200);
    expect(await mailbox.json()).toHaveProperty('messages');
    expect((await fetch(`${h.aws.url}/_herald/nothing`)).status).toBe(404);
  });
});

describe('startLocalAws', () => {
  it('rejects invalid options before starting', async () => {
    const error = await rejection(startLocalAws({ port: 70_000 }));
    expect(error).toBeInstanceOf(LocalAwsOptionsError);
    expect(error.message).toContain('port');
  });

  it('fails to start on a port that is taken', async () => {
    const error = await rejection(startLocalAws({ port: h.aws.port }));
    expect(error.message).toContain('EADDRINUSE');
  });
});
