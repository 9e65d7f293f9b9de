import type { MessageAttributeMap } from './md5';

/** A message as a queue holds it. */
export interface QueueMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: MessageAttributeMap;
  readonly systemAttributes: MessageAttributeMap;
  /** Epoch ms of the original send; kept when the message moves to a dead-letter queue. */
  readonly sentAt: number;
  readonly senderId: string;
  /** ARN of the queue a dead-lettered message came from. */
  readonly deadLetterSourceArn?: string;
  readonly receiveCount: number;
  readonly firstReceivedAt?: number;
}

/** What a sender supplies for a new message. */
export type NewMessage = Omit<
  QueueMessage,
  'sentAt' | 'receiveCount' | 'firstReceivedAt' | 'deadLetterSourceArn'
> & {
  /** Overrides the queue's DelaySeconds. */
  readonly delaySeconds?: number;
};

/** A message handed to a consumer, with the receipt handle of this receive. */
export interface ReceivedMessage {
  readonly message: QueueMessage;
  readonly receiptHandle: string;
}

/** The Approximate* counters of a queue. */
export interface QueueCounts {
  readonly visible: number;
  readonly inflight: number;
  readonly delayed: number;
}
