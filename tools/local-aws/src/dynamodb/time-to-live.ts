import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpReply } from '../http/reply';
import { jsonReply } from '../http/reply';

/** Calls DynamoDB (dynalite) with one operation and its JSON input. */
export type DynamoDbCall = (operation: string, input: unknown) => Promise<HttpReply>;

const FILE = 'herald-time-to-live.json';
const TTL_ATTRIBUTE = /^.{1,255}$/su;

function error(type: string, message: string, status = 400): HttpReply {
  return jsonReply(status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
}

interface TimeToLiveSpecification {
  readonly Enabled?: unknown;
  readonly AttributeName?: unknown;
}

/**
 * UpdateTimeToLive / DescribeTimeToLive in front of dynalite (which has neither), and the sweep
 * that deletes expired items: AWS does it within days, the emulator every `sweepMs`. The TTL
 * settings persist beside dynalite's LevelDB when it has a folder.
 */
export class TimeToLive {
  private readonly attributes = new Map<string, string>();

  constructor(
    private readonly call: DynamoDbCall,
    private readonly folder?: string,
  ) {
    const file = folder === undefined ? undefined : join(folder, FILE);
    if (file !== undefined && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      for (const [table, attribute] of Object.entries(saved)) this.attributes.set(table, attribute);
    }
  }

  private save(): void {
    if (this.folder === undefined || !existsSync(this.folder)) return;
    writeFileSync(join(this.folder, FILE), JSON.stringify(Object.fromEntries(this.attributes)));
  }

  private async tableExists(name: string): Promise<HttpReply | undefined> {
    const describe = await this.call('DescribeTable', { TableName: name });
    return describe.status === 200 ? undefined : describe;
  }

  /** UpdateTimeToLive: enables or disables TTL on an attribute, as DynamoDB validates it. */
  async update(input: { TableName?: unknown; TimeToLiveSpecification?: TimeToLiveSpecification }) {
    const name = input.TableName;
    const spec = input.TimeToLiveSpecification;
    if (typeof name !== 'string') return error('ValidationException', 'TableName is required.');
    if (
      spec === undefined ||
      typeof spec.Enabled !== 'boolean' ||
      typeof spec.AttributeName !== 'string' ||
      !TTL_ATTRIBUTE.test(spec.AttributeName)
    )
      return error(
        'ValidationException',
        'TimeToLiveSpecification needs Enabled (a boolean) and AttributeName (1 to 255 characters).',
      );
    const missing = await this.tableExists(name);
    if (missing) return missing;
    const current = this.attributes.get(name);
    if (spec.Enabled) {
      if (current !== undefined)
        return error('ValidationException', 'TimeToLive is already enabled');
      this.attributes.set(name, spec.AttributeName);
    } else {
      if (current === undefined)
        return error('ValidationException', 'TimeToLive is already disabled');
      if (current !== spec.AttributeName)
        return error(
          'ValidationException',
          `TimeToLive is enabled on ${current}, not ${spec.AttributeName}`,
        );
      this.attributes.delete(name);
    }
    this.save();
    return jsonReply(200, {
      TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName },
    });
  }

  /** DescribeTimeToLive. */
  async describe(input: { TableName?: unknown }): Promise<HttpReply> {
    const name = input.TableName;
    if (typeof name !== 'string') return error('ValidationException', 'TableName is required.');
    const missing = await this.tableExists(name);
    if (missing) return missing;
    const attribute = this.attributes.get(name);
    return jsonReply(200, {
      TimeToLiveDescription:
        attribute === undefined
          ? { TimeToLiveStatus: 'DISABLED' }
          : { TimeToLiveStatus: 'ENABLED', AttributeName: attribute },
    });
  }

  /** Forgets the TTL of a deleted table. */
  forget(table: string): void {
    if (this.attributes.delete(table)) this.save();
  }

  /** Deletes the items whose TTL attribute (epoch seconds, a Number) lies before `nowSeconds`. */
  async sweep(nowSeconds: number): Promise<number> {
    let deleted = 0;
    for (const [table, attribute] of this.attributes) {
      const describe = await this.call('DescribeTable', { TableName: table });
      if (describe.status !== 200) {
        this.forget(table);
        continue;
      }
      const keys = (
        JSON.parse(describe.body) as { Table: { KeySchema: { AttributeName: string }[] } }
      ).Table.KeySchema.map((key) => key.AttributeName);
      deleted += await this.sweepTable(table, attribute, keys, nowSeconds);
    }
    return deleted;
  }

  private async sweepTable(
    table: string,
    attribute: string,
    keys: readonly string[],
    nowSeconds: number,
  ): Promise<number> {
    const expired = {
      ExpressionAttributeNames: { '#ttl': attribute },
      ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
    };
    let deleted = 0;
    let start: unknown;
    do {
      const scan = await this.call('Scan', {
        TableName: table,
        FilterExpression: '#ttl < :now',
        ExclusiveStartKey: start,
        ...expired,
      });
      if (scan.status !== 200) return deleted;
      const page = JSON.parse(scan.body) as {
        Items: Record<string, unknown>[];
        LastEvaluatedKey?: unknown;
      };
      for (const item of page.Items) {
        const key = Object.fromEntries(keys.map((name) => [name, item[name]]));
        // Conditional, so an item renewed since the scan is kept.
        const reply = await this.call('DeleteItem', {
          TableName: table,
          Key: key,
          ConditionExpression: '#ttl < :now',
          ...expired,
        });
        if (reply.status === 200) deleted += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return deleted;
  }
}
