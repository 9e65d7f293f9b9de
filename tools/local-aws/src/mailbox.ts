import { appendFile } from 'node:fs/promises';
import type { Logger } from './logger';

/** One email an `email` or `email-json` SNS subscription would have sent. */
export interface MailboxMessage {
  readonly id: string;
  /** ISO-8601 time of delivery. */
  readonly receivedAt: string;
  /** The subscription endpoint: the email address. */
  readonly to: string;
  readonly protocol: 'email' | 'email-json';
  readonly topicArn: string;
  readonly subscriptionArn: string;
  /** The SNS message id. */
  readonly messageId: string;
  /** The Subject of the publish, or SNS's default subject. */
  readonly subject: string;
  /** The message text (`email`) or the JSON notification envelope (`email-json`). */
  readonly body: string;
}

/** Narrows a listing to one topic, by ARN or by name. */
export interface MailboxFilter {
  readonly topic?: string;
}

function topicMatches(message: MailboxMessage, topic: string): boolean {
  return message.topicArn === topic || message.topicArn.split(':').at(-1) === topic;
}

/**
 * The local stand-in for email: messages of email subscriptions, kept in memory and, when a file
 * is given, appended to it as JSON lines so they survive a restart of the edge.
 */
export class Mailbox {
  private readonly messages: MailboxMessage[] = [];
  private pendingWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly filePath: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Stores a message (and queues its append to the file). */
  deliver(message: MailboxMessage): void {
    this.messages.push(message);
    const path = this.filePath;
    if (path === undefined) return;
    // Appends are chained so lines keep delivery order.
    this.pendingWrite = this.pendingWrite
      .then(() => appendFile(path, `${JSON.stringify(message)}\n`, 'utf8'))
      .catch((error: unknown) => {
        this.logger.error('mailbox file append failed', { path, error });
      });
  }

  /** Messages in delivery order, optionally for one topic. */
  list(filter: MailboxFilter = {}): MailboxMessage[] {
    const { topic } = filter;
    return topic === undefined
      ? [...this.messages]
      : this.messages.filter((m) => topicMatches(m, topic));
  }

  /** Empties the in-memory mailbox (the file is an append-only log and is kept); returns how many were removed. */
  clear(): number {
    const count = this.messages.length;
    this.messages.length = 0;
    return count;
  }

  /** Resolves once every queued file append has finished. */
  flush(): Promise<void> {
    return this.pendingWrite;
  }
}
