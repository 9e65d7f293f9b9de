import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { HISTORY_MS } from './ops-sampler';
import type { SettledMessage } from './ops-types';
import { uuidV7Time } from './uuid-time';

/** Status writes may land slightly out of storedAt order: each scan looks this far back again. */
const OVERLAP_MS = 10_000;

/**
 * Finds the messages the worker stored since the previous call, from the metadata table's status
 * items (`sk = STATUS`, `storedAt` ISO time). A filtered Scan: it reads the whole table each
 * time, which is what a small local table wants; on AWS `herald ops` calls it less often.
 */
export class SettledScanner {
  private since: number | undefined;

  constructor(
    /** A DynamoDBClient or a DynamoDBDocumentClient (the Scan is sent in the low-level form). */
    private readonly dynamodb: { send(command: ScanCommand): Promise<ScanCommandOutput> },
    private readonly table: string,
  ) {}

  async next(now: number): Promise<SettledMessage[]> {
    const since = Math.max(now - HISTORY_MS, (this.since ?? 0) - OVERLAP_MS);
    const found: SettledMessage[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await this.dynamodb.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'sk = :status AND storedAt >= :since',
          ExpressionAttributeValues: {
            ':status': { S: 'STATUS' },
            ':since': { S: new Date(since).toISOString() },
          },
          ProjectionExpression: 'id, storedAt',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const id = item.id?.S;
        const storedAt = Date.parse(item.storedAt?.S ?? '');
        if (!id || Number.isNaN(storedAt)) continue;
        const acceptedAt = uuidV7Time(id);
        found.push({ id, storedAt, ...(acceptedAt === undefined ? {} : { acceptedAt }) });
        this.since = Math.max(this.since ?? 0, storedAt);
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    this.since ??= now;
    return found;
  }
}
