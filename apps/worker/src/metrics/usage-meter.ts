import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { isConditionalCheckFailed } from '@herald/aws';

/** AWS requests and DynamoDB write units this process spent: what the bill counts. */
export interface AwsUsage {
  /** Requests per command, e.g. `{ ReceiveMessageCommand: 12 }`, per service. */
  readonly requests: Record<string, Record<string, number>>;
  /** Write capacity units as DynamoDB reports them (ReturnConsumedCapacity). */
  readonly dynamoWriteUnits: number;
}

type MeteredClient = SQSClient | SNSClient | DynamoDBClient | DynamoDBDocumentClient;

const DYNAMO_WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

/**
 * Counts each client's requests, and for DynamoDB writes asks for ReturnConsumedCapacity (free)
 * and adds up the write units. A write refused by its condition is charged by DynamoDB too but
 * answers no capacity: it counts as one unit (every item this worker writes is under 1 KB).
 */
export class UsageMeter {
  readonly #requests: Record<string, Record<string, number>> = {};
  #writeUnits = 0;

  attach(service: string, client: MeteredClient): void {
    const counts = (this.#requests[service] ??= {});
    // The document client shares its middleware stack with the DynamoDB client it wraps.
    (client as SQSClient).middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        counts[command] = (counts[command] ?? 0) + 1;
        const isWrite = DYNAMO_WRITES.has(command);
        if (isWrite)
          (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        try {
          const result = await next(args);
          if (isWrite) this.#writeUnits += unitsOf(result.output);
          return result;
        } catch (error) {
          if (isWrite && isConditionalCheckFailed(error)) this.#writeUnits += 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'heraldUsageMeter', override: true },
    );
  }

  usage(): AwsUsage {
    return { requests: structuredClone(this.#requests), dynamoWriteUnits: this.#writeUnits };
  }
}

function unitsOf(output: unknown): number {
  const consumed = (
    output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }
  ).ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}
