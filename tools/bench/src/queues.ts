import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
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

export async function purge(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
}
