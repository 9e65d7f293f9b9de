import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from './clients';
import { NodeSha256 } from './json-fast-path';

/** What the fake SQS saw of one request. */
interface Seen {
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The SDK adds an invocation id to every attempt; the fast path does not. */
  readonly bySdk: boolean;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'stall' | 'cut';

let server: Server;
let endpoint = '';
let queueUrl = '';
const seen: Seen[] = [];
/** Answers to give, in order; when empty, `defaultAnswer` answers. */
const script: Answer[] = [];
let defaultAnswer: (target: string, input: Record<string, unknown>) => Answer = () => ({
  status: 200,
  body: {},
});
const clients: SQSClient[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = String(request.headers['x-amz-target'] ?? '');
      seen.push({
        target,
        headers: request.headers,
        body,
        bySdk: request.headers['amz-sdk-invocation-id'] !== undefined,
      });
      const answer =
        script.shift() ?? defaultAnswer(target, JSON.parse(body) as Record<string, unknown>);
      if (answer === 'stall') return;
      if (answer === 'cut') {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.write('{"Successful":[');
        setTimeout(() => request.socket.destroy(), 20);
        return;
      }
      response.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `req-${seen.length}`,
        ...answer.headers,
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  queueUrl = `${endpoint}/000000000000/herald-messages`;
});

afterEach(() => {
  seen.length = 0;
  script.length = 0;
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(fastPath: boolean, requestTimeoutMs = 5_000): SQSClient {
  const created = createSqsClient({
    region: 'eu-west-1',
    endpoint,
    fastPath,
    requestTimeoutMs,
    maxAttempts: 2,
  });
  clients.push(created);
  return created;
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function sendBatch(): SendMessageBatchCommand {
  return new SendMessageBatchCommand({
    QueueUrl: queueUrl,
    Entries: ['a', 'b'].map((id) => ({
      Id: id,
      MessageBody: JSON.stringify({ id, text: 'héllo ✓' }),
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
    })),
  });
}

const RECEIVED = {
  Messages: [
    {
      MessageId: 'm-1',
      ReceiptHandle: 'r-1',
      MD5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
      Body: '{"v":1}',
      Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1764600000000' },
      MessageAttributes: {
        traceparent: { DataType: 'String', StringValue: TRACEPARENT },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 255]).toString('base64') },
      },
    },
  ],
};

function withoutMetadata(output: object): object {
  const { $metadata: _metadata, ...rest } = output as { $metadata: unknown };
  return rest;
}

describe('the SQS fast path', () => {
  it('answers what the SDK answers, for send, receive and delete', async () => {
    defaultAnswer = (target, input) => {
      if (target.endsWith('.SendMessageBatch'))
        return {
          status: 200,
          body: {
            Successful: (input.Entries as { Id: string }[]).map((entry) => ({
              Id: entry.Id,
              MessageId: `id-${entry.Id}`,
              MD5OfMessageBody: 'x',
            })),
            Failed: [],
          },
        };
      if (target.endsWith('.ReceiveMessage')) return { status: 200, body: RECEIVED };
      return {
        status: 200,
        body: { Successful: [{ Id: '0' }], Failed: [{ Id: '1', Code: 'X', SenderFault: true }] },
      };
    };
    const commands = [
      sendBatch,
      () =>
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      () =>
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [
            { Id: '0', ReceiptHandle: 'r-1' },
            { Id: '1', ReceiptHandle: 'r-2' },
          ],
        }),
    ];
    for (const make of commands) {
      const viaSdk = await client(false).send(make() as SendMessageBatchCommand);
      const viaFastPath = await client(true).send(make() as SendMessageBatchCommand);
      expect(withoutMetadata(viaFastPath)).toEqual(withoutMetadata(viaSdk));
      expect(viaFastPath.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    }
    // The same request bodies went out both ways, and the fast path's without the SDK.
    expect(seen.map((request) => request.bySdk)).toEqual([true, false, true, false, true, false]);
    for (let index = 0; index < seen.length; index += 2) {
      expect(seen[index + 1]?.target).toBe(seen[index]?.target);
      expect(JSON.parse(seen[index + 1]?.body ?? '')).toEqual(JSON.parse(seen[index]?.body ?? ''));
      expect(seen[index + 1]?.headers['x-amzn-query-mode']).toBe('true');
      expect(seen[index + 1]?.headers['content-type']).toBe('application/x-amz-json-1.0');
    }
  });

  it('signs each request with SigV4 as the SDK signer would for the same instant', async () => {
    defaultAnswer = () => ({ status: 200, body: { Successful: [], Failed: [] } });
    await client(true).send(sendBatch());
    const request = seen[0];
    if (!request) throw new Error('no request seen');
    const date = String(request.headers['x-amz-date']);
    const signingDate = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      region: 'eu-west-1',
      service: 'sqs',
      sha256: NodeSha256,
    });
    const url = new URL(endpoint);
    const expected = await signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: {},
        headers: {
          host: url.host,
          'content-type': String(request.headers['content-type']),
          'content-length': String(Buffer.byteLength(request.body)),
          'x-amz-target': request.target,
          'x-amzn-query-mode': 'true',
        },
        body: request.body,
      },
      { signingDate },
    );
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/sqs\/aws4_request, SignedHeaders=.*host.*x-amz-date.*x-amz-target/,
    );
    expect(request.headers.authorization).toBe(expected.headers.authorization);
  });

  it('hands an error answer to the SDK, whose error class and message the caller gets', async () => {
    const missing = {
      status: 400,
      body: {
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      },
      headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
    };
    script.push(missing, missing);
    const error = await client(true)
      .send(sendBatch())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(seen.map((request) => request.bySdk)).toEqual([false, true]);
  });

  it('gets the SDK to retry a server error, and answers its success', async () => {
    script.push({ status: 500, body: { __type: 'InternalFailure', message: 'boom' } });
    defaultAnswer = () => ({ status: 200, body: { Successful: [{ Id: 'a' }], Failed: [] } });
    const output = await client(true).send(sendBatch());
    expect(output.Successful).toEqual([{ Id: 'a' }]);
    expect(seen.map((request) => request.bySdk)).toEqual([false, true]);
  });

  it('gives up on an answer after the request timeout and lets the SDK try', async () => {
    script.push('stall');
    defaultAnswer = () => ({ status: 200, body: { Successful: [{ Id: 'b' }], Failed: [] } });
    const output = await client(true, 300).send(sendBatch());
    expect(output.Successful).toEqual([{ Id: 'b' }]);
    expect(seen.map((request) => request.bySdk)).toEqual([false, true]);
  });

  it('hands a connection cut mid-answer to the SDK at once, not after the timeout', async () => {
    script.push('cut');
    defaultAnswer = () => ({ status: 200, body: { Successful: [{ Id: 'c' }], Failed: [] } });
    const started = performance.now();
    const output = await client(true, 20_000).send(sendBatch());
    expect(output.Successful).toEqual([{ Id: 'c' }]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(seen.map((request) => request.bySdk)).toEqual([false, true]);
  });

  it('stops a long poll when its abort signal fires, with the SDK’s AbortError', async () => {
    script.push('stall');
    const controller = new AbortController();
    const receiving = client(true).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }),
      { abortSignal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    const error = await receiving.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(1);
  });

  it('runs inside the middleware the services add (usage meter, batch audit)', async () => {
    defaultAnswer = () => ({ status: 200, body: { Successful: [{ Id: 'a' }], Failed: [] } });
    const fast = client(true);
    const seenByMiddleware: { command?: string; successful?: unknown }[] = [];
    fast.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        seenByMiddleware.push({
          command: context.commandName,
          successful: (result.output as { Successful?: unknown }).Successful,
        });
        return result;
      },
      { step: 'initialize', name: 'testMeter' },
    );
    await fast.send(sendBatch());
    expect(seenByMiddleware).toEqual([
      { command: 'SendMessageBatchCommand', successful: [{ Id: 'a' }] },
    ]);
    expect(seen.map((request) => request.bySdk)).toEqual([false]);
  });

  it('leaves binary attributes, other commands and clients without the option to the SDK', async () => {
    defaultAnswer = () => ({ status: 200, body: { Successful: [], Failed: [], Attributes: {} } });
    const fast = client(true);
    await fast.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          {
            Id: 'a',
            MessageBody: 'x',
            MessageAttributes: { b: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) } },
          },
        ],
      }),
    );
    await fast.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    await client(false).send(sendBatch());
    expect(seen.map((request) => request.bySdk)).toEqual([true, true, true]);
  });
});
