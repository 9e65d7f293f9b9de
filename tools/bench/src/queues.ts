import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface BenchQueues {
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

/** A fresh queue with its DLQ (redrive after 5 receives), as the stack provisions them. */
export async function createQueues(sqs: SQSClient, name: string): Promise<BenchQueues> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: 5,
        }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl ?? '', dlqUrl };
}

export async function deleteQueues(sqs: SQSClient, queues: BenchQueues): Promise<void> {
  await Promise.allSettled(
    [queues.queueUrl, queues.dlqUrl].map((url) =>
      sqs.send(new DeleteQueueCommand({ QueueUrl: url })),
    ),
  );
}

/** Visible plus in-flight messages. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Object.values(Attributes ?? {}).reduce((sum, value) => sum + Number(value), 0);
}

/** Below this depth receiving and deleting is quicker than waiting out the purge interval. */
const RECEIVE_BELOW = 2_000;

/**
 * Empties a queue between scenarios. SQS (and the edge) allow one PurgeQueue per queue every
 * 60 s: a second purge within that minute empties a shallow queue by receiving and deleting, and
 * a deep one by purging again once the minute is over. Receiving tens of thousands of messages
 * through the edge took minutes per scenario and kept the full run from ever finishing.
 */
export async function purge(
  sqs: SQSClient,
  queueUrl: string,
  retry: { everyMs: number; forMs: number } = { everyMs: 5_000, forMs: 65_000 },
): Promise<void> {
  const deadline = Date.now() + retry.forMs;
  for (;;) {
    const depth = await queueDepth(sqs, queueUrl);
    if (depth === 0) return;
    try {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
      return;
    } catch (error) {
      if (!(error instanceof Error && error.name.endsWith('PurgeQueueInProgress'))) throw error;
      if (depth < RECEIVE_BELOW) {
        await drainByReceiving(sqs, queueUrl);
        return;
      }
      if (Date.now() >= deadline)
        throw new Error(`${queueUrl}: PurgeQueue still refused after ${String(retry.forMs)} ms`);
      await new Promise((done) => setTimeout(done, retry.everyMs));
    }
  }
}

async function drainByReceiving(sqs: SQSClient, queueUrl: string): Promise<void> {
  const receiver = async (): Promise<void> => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 60,
        }),
      );
      if (Messages.length === 0) return;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, receiver));
  const left = await queueDepth(sqs, queueUrl);
  if (left > 0) throw new Error(`${queueUrl}: ${String(left)} messages left after draining`);
}
