/**
 * Baselines Q and R, in their own process so their CPU is their own:
 *
 *   raw-sqs-loop.ts send    <queueUrl> <count> <channels> <tenant>   (Q: SendMessageBatch, 10 a call)
 *   raw-sqs-loop.ts receive <queueUrl> <count>                       (R: ReceiveMessage + DeleteMessageBatch)
 *
 * Prints one JSON line `{"msg":"raw done", messages, seconds, cpuMicros}` measured around the
 * loop alone (after one warm-up call), then exits. Endpoint and region: AWS_ENDPOINT_URL, AWS_REGION.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { createSqsClient } from '@herald/aws';
import { fillQueue } from './worker-bench-fill';

const CONCURRENCY = 16;
const [mode, queueUrl = '', countText = '0', channelsText = '1', tenant = 'bench'] =
  process.argv.slice(2);
const count = Number(countText);
const sqs = createSqsClient({
  region: process.env.AWS_REGION ?? 'us-east-1',
  endpoint: process.env.AWS_ENDPOINT_URL ?? '',
});

/** When the last expected message was deleted (trailing empty long polls are not the loop's work). */
let finishedAt = 0;

async function receiveAll(): Promise<number> {
  let received = 0;
  let emptyPolls = 0;
  const one = async (): Promise<void> => {
    while (received < count && emptyPolls < 3) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      if (Messages.length === 0) {
        emptyPolls += 1;
        continue;
      }
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
      received += Messages.length;
      if (received >= count && finishedAt === 0) finishedAt = performance.now();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
  return received;
}

async function main(): Promise<void> {
  if (mode !== 'send' && mode !== 'receive')
    throw new Error('usage: raw-sqs-loop.ts send|receive …');
  // Warm-up: the SDK loads its parts and opens a socket on first use.
  await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  let bytes = 0;
  let messages = count;
  if (mode === 'send') {
    const channels = Number(channelsText);
    ({ bytes } = await fillQueue(sqs, queueUrl, {
      tenant,
      count,
      channels,
      concurrency: CONCURRENCY,
    }));
  } else {
    messages = await receiveAll();
  }
  const used = process.cpuUsage(cpu);
  const seconds = ((finishedAt || performance.now()) - started) / 1000;
  console.log(
    JSON.stringify({
      msg: 'raw done',
      mode,
      messages,
      bytes,
      seconds,
      cpuMicros: used.user + used.system,
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
