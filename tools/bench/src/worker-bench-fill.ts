import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type Envelope, newMessageId, type Priority, serializeEnvelope } from '@herald/contracts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** 70 % normal, 20 % low, 9 % high, 1 % critical: alerts stay a small share, as in production. */
function priorityOf(index: number): Priority {
  const slot = index % 100;
  if (slot === 0) return 'critical';
  if (slot < 10) return 'high';
  if (slot < 30) return 'low';
  return 'normal';
}

/** An envelope of about 1 KB once serialized (the size the cost target is stated for). */
export function benchEnvelope(tenant: string, index: number, channels: number): Envelope {
  return {
    v: 1,
    id: newMessageId(),
    tenant,
    channel: `bench-${index % channels}`,
    body: { orderId: index, note: 'x'.repeat(640), items: ['sku-1', 'sku-2'] },
    sender: 'bench',
    attributes: { region: 'eu-west-1' },
    priority: priorityOf(index),
    acceptedAt: new Date().toISOString(),
    trace: { traceparent: TRACEPARENT },
  };
}

/** Sends `count` envelopes, 10 per SendMessageBatch, `concurrency` calls at a time. */
export async function fillQueue(
  sqs: SQSClient,
  queueUrl: string,
  options: { tenant: string; count: number; channels: number; concurrency: number },
): Promise<{ bytes: number }> {
  let next = 0;
  let bytes = 0;
  const sendOne = async (): Promise<void> => {
    while (next < options.count) {
      const start = next;
      next = Math.min(options.count, next + 10);
      const bodies = Array.from({ length: next - start }, (_, offset) =>
        serializeEnvelope(benchEnvelope(options.tenant, start + offset, options.channels)),
      );
      bytes += bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
      const output = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.map((body, index) => ({
            Id: String(index),
            MessageBody: body,
            MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
          })),
        }),
      );
      if (output.Failed?.length)
        throw new Error(`SendMessageBatch failed: ${JSON.stringify(output.Failed[0])}`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, sendOne));
  return { bytes };
}
