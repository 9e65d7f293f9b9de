import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { describeError } from '../errors';
import type { AlertPublisher, AlertRequest, PublishResult } from './alert-publisher';

/** SNS accepts at most 10 entries per PublishBatch. */
const ENTRIES_PER_CALL = 10;

/**
 * The alerts topic. Each alert is one JSON message (alertPayloadSchema) with a Subject for email
 * subscribers; entries go out 10 per PublishBatch, and each entry succeeds or fails on its own.
 */
export class SnsAlertPublisher implements AlertPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(client: SNSClient, topicArn: string) {
    this.#client = client;
    this.#topicArn = topicArn;
  }

  async publish(alerts: readonly AlertRequest[]): Promise<PublishResult> {
    const published = new Set<string>();
    const failed = new Map<string, string>();
    const chunks: AlertRequest[][] = [];
    for (let start = 0; start < alerts.length; start += ENTRIES_PER_CALL) {
      chunks.push(alerts.slice(start, start + ENTRIES_PER_CALL));
    }
    await Promise.all(chunks.map((chunk) => this.#publishChunk(chunk, published, failed)));
    return { published, failed };
  }

  async #publishChunk(
    chunk: AlertRequest[],
    published: Set<string>,
    failed: Map<string, string>,
  ): Promise<void> {
    // Entry ids must be alphanumeric (plus - _) and unique in the call: use positions.
    const keyOf = new Map(chunk.map((alert, index) => [`a${index}`, alert.key]));
    try {
      const output = await this.#client.send(
        new PublishBatchCommand({
          TopicArn: this.#topicArn,
          PublishBatchRequestEntries: chunk.map((alert, index) => ({
            Id: `a${index}`,
            Subject: alert.subject,
            Message: JSON.stringify(alert.payload),
            MessageAttributes: { kind: { DataType: 'String', StringValue: alert.payload.kind } },
          })),
        }),
      );
      for (const entry of output.Successful ?? []) {
        const key = entry.Id === undefined ? undefined : keyOf.get(entry.Id);
        if (key !== undefined) published.add(key);
      }
      for (const entry of output.Failed ?? []) {
        const key = entry.Id === undefined ? undefined : keyOf.get(entry.Id);
        if (key !== undefined)
          failed.set(key, `${entry.Code ?? 'Unknown'}: ${entry.Message ?? ''}`);
      }
    } catch (error) {
      const { name, message } = describeError(error);
      for (const alert of chunk) failed.set(alert.key, `${name}: ${message}`);
    }
    // An entry the answer does not mention was not published.
    for (const alert of chunk) {
      if (!published.has(alert.key) && !failed.has(alert.key))
        failed.set(alert.key, 'missing from the PublishBatch answer');
    }
  }
}
