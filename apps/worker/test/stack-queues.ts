/** Integration-test support: per-file queues on the real local stack, sending and waiting. */
import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createDynamoDbDocumentClient, createSnsClient, createSqsClient } from '@herald/aws';
import { type Envelope, serializeEnvelope } from '@herald/contracts';
import type { StackInfo } from '@herald/testing';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function clientsFor(stack: StackInfo) {
  const aws = { region: stack.region, endpoint: stack.awsEndpoint };
  return {
    sqs: createSqsClient({ ...aws, requestTimeoutMs: 30_000, fastPath: true }),
    dynamo: createDynamoDbDocumentClient(aws),
    sns: createSnsClient(aws),
  };
}

export interface TestQueues {
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

/** A fresh queue and DLQ for one test file: nothing another file sends can reach them. */
export async function createQueues(
  sqs: SQSClient,
  name: string,
  settings: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<TestQueues> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: attributes.Attributes?.QueueArn,
          maxReceiveCount: settings.maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl ?? '', dlqUrl };
}

export async function deleteQueues(sqs: SQSClient, queues: TestQueues | undefined): Promise<void> {
  if (!queues) return;
  await Promise.allSettled(
    [queues.queueUrl, queues.dlqUrl].map((url) =>
      sqs.send(new DeleteQueueCommand({ QueueUrl: url })),
    ),
  );
}

/** Sends envelopes (or raw bodies) 10 per SendMessageBatch, with the traceparent attribute as ingest does. */
export async function sendAll(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly (Envelope | string)[],
): Promise<void> {
  const chunks: (Envelope | string)[][] = [];
  for (let start = 0; start < bodies.length; start += 10)
    chunks.push(bodies.slice(start, start + 10));
  for (let start = 0; start < chunks.length; start += 16) {
    await Promise.all(
      chunks.slice(start, start + 16).map(async (chunk) => {
        const output = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((body, index) => ({
              Id: `e${index}`,
              MessageBody: typeof body === 'string' ? body : serializeEnvelope(body),
              ...(typeof body === 'string'
                ? {}
                : {
                    MessageAttributes: {
                      traceparent: { DataType: 'String', StringValue: body.trace.traceparent },
                    },
                  }),
            })),
          }),
        );
        if (output.Failed?.length)
          throw new Error(`SendMessageBatch failed: ${JSON.stringify(output.Failed)}`);
      }),
    );
  }
}

/** Visible + in flight + delayed messages of a queue. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes ?? {}).reduce((sum, value) => sum + Number(value), 0);
}

/** Messages a receive could get now: what the DLQ-depth alarm watches. */
export async function visibleCount(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** Messages received and neither deleted nor back to visible yet. */
export async function inFlight(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
