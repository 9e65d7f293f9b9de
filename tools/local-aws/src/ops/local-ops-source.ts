import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AlarmBoard } from '../alarm-board';
import type { Mailbox } from '../mailbox';
import type { SqsStore } from '../sqs/sqs-store';
import type { OpsReading, OpsSource, QueueReading } from './ops-types';
import { SettledScanner } from './settled-scanner';

/** Mailbox entries the page lists, newest first. */
export const MAILBOX_ENTRIES = 8;

/** Which resources of the edge the page watches (a stack started with a suffix names others). */
export interface LocalOpsNames {
  readonly queue: string;
  readonly dlq: string;
  readonly table: string;
}

export interface LocalOpsSourceOptions {
  readonly sqs: SqsStore;
  readonly mailbox: Mailbox;
  readonly alarms: AlarmBoard;
  readonly names: LocalOpsNames;
  /** The edge's own URL: the metadata table is read through it with the DynamoDB SDK. */
  readonly edgeUrl: string;
  readonly region?: string;
}

function readQueue(sqs: SqsStore, name: string, now: number): QueueReading {
  const queue = sqs.find(name);
  if (!queue) return { visible: 0, inFlight: 0, delayed: 0, oldestAgeSeconds: 0 };
  const counts = queue.counts();
  const oldest = queue.oldestSentAt();
  return {
    visible: counts.visible,
    inFlight: counts.inflight,
    delayed: counts.delayed,
    oldestAgeSeconds: oldest === undefined ? 0 : Math.floor((now - oldest) / 1000),
  };
}

/**
 * The local stack's numbers, read in the edge's process: queue counters and the oldest age from
 * the SQS store, alarm states from the board the alarm watcher posts to, the mailbox, and
 * settled messages from the metadata table (DynamoDB over the edge itself).
 */
export function createLocalOpsSource(
  options: LocalOpsSourceOptions,
): OpsSource & { readonly close: () => void } {
  const dynamodb = new DynamoDBClient({
    endpoint: options.edgeUrl,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const scanner = new SettledScanner(dynamodb, options.names.table);
  return {
    label: 'local',
    async read(): Promise<OpsReading> {
      const at = Date.now();
      const settled = await scanner.next(at);
      return {
        at,
        queue: readQueue(options.sqs, options.names.queue, at),
        dlq: readQueue(options.sqs, options.names.dlq, at),
        alarms: options.alarms.list().map(({ name, state, reason, threshold }) => ({
          name,
          state,
          reason,
          threshold,
        })),
        mailbox: options.mailbox
          .list()
          .slice(-MAILBOX_ENTRIES)
          .reverse()
          .map((entry) => ({ at: entry.receivedAt, subject: entry.subject, to: entry.to })),
        settled,
      };
    },
    close: () => {
      dynamodb.destroy();
    },
  };
}
