import { createHash } from 'node:crypto';
import type { HttpReply } from '../http/reply';
import { jsonReply } from '../http/reply';
import type { DynamoDbCall } from './time-to-live';

type AttributeMap = Record<string, unknown>;
type Input = Record<string, unknown>;

const MAX_ITEMS = 100;
const TOKEN_MS = 10 * 60 * 1000;
const TOKEN = /^[a-zA-Z0-9-]{1,36}$/u;
const WRITE_KINDS = ['ConditionCheck', 'Put', 'Update', 'Delete'] as const;
type WriteKind = (typeof WRITE_KINDS)[number];
// The expression each kind of item cannot go without (AWS refuses the request otherwise).
const REQUIRED_EXPRESSION: Partial<Record<string, string>> = {
  ConditionCheck: 'ConditionExpression',
  Update: 'UpdateExpression',
};

function error(type: string, message: string, extra: Input = {}): HttpReply {
  return jsonReply(400, {
    __type: `com.amazonaws.dynamodb.v20120810#${type}`,
    message,
    ...extra,
  });
}

function validation(message: string): HttpReply {
  return error('ValidationException', message);
}

function errorType(reply: HttpReply): string {
  const type = (JSON.parse(reply.body) as { __type?: string }).__type ?? '';
  return type.slice(type.indexOf('#') + 1);
}

function isObject(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `expression` names `token` (`:v` is not named by `:v2`). */
function mentions(expression: string, token: string): boolean {
  for (let at = expression.indexOf(token); at >= 0; at = expression.indexOf(token, at + 1)) {
    if (!/[\w]/u.test(expression.charAt(at + token.length))) return true;
  }
  return false;
}

/** The entries of a names or values map that `expression` uses: dynalite refuses unused ones. */
function usedBy(map: unknown, expression: unknown): Input {
  if (!isObject(map) || typeof expression !== 'string') return {};
  return Object.fromEntries(Object.entries(map).filter(([name]) => mentions(expression, name)));
}

/** The ExpressionAttributeNames/Values of `body` that `expression` uses, omitted when empty. */
function expressionMaps(body: Input, expression: unknown): Input {
  const names = usedBy(body.ExpressionAttributeNames, expression);
  const values = usedBy(body.ExpressionAttributeValues, expression);
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/** One write of a TransactWriteItems request, with the key it touches. */
interface PlannedWrite {
  readonly kind: WriteKind;
  readonly body: Input;
  readonly table: string;
  readonly key: AttributeMap;
}

/** A serial lock: each task runs once the previous one has settled. */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` when every task queued before it has finished. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * TransactWriteItems and TransactGetItems in front of dynalite (which has neither), with AWS's
 * semantics: the caller runs them under the lock that serializes every item write, so no other
 * write interleaves; every condition is evaluated before anything is written, and a failure while
 * writing restores the items read beforehand.
 */
export class Transactions {
  private readonly tokens = new Map<string, { hash: string; at: number; reply: HttpReply }>();

  constructor(
    private readonly call: DynamoDbCall,
    private readonly now: () => number = Date.now,
  ) {}

  private async keyNames(
    tables: Map<string, string[]>,
    table: string,
  ): Promise<string[] | HttpReply> {
    const known = tables.get(table);
    if (known) return known;
    const describe = await this.call('DescribeTable', { TableName: table });
    if (describe.status !== 200) return describe;
    const names = (
      JSON.parse(describe.body) as { Table: { KeySchema: { AttributeName: string }[] } }
    ).Table.KeySchema.map((key) => key.AttributeName);
    tables.set(table, names);
    return names;
  }

  /** Checks each item's shape and table, and names the key each one touches. */
  private async plan<K extends string>(
    items: unknown,
    kinds: readonly K[],
  ): Promise<{ kind: K; body: Input; table: string; key: AttributeMap }[] | HttpReply> {
    if (!Array.isArray(items) || items.length === 0)
      return validation(
        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
      );
    if (items.length > MAX_ITEMS)
      return validation(
        `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ITEMS}`,
      );
    const tables = new Map<string, string[]>();
    const seen = new Set<string>();
    const planned: { kind: K; body: Input; table: string; key: AttributeMap }[] = [];
    for (const item of items) {
      const present = isObject(item) ? kinds.filter((name) => item[name] !== undefined) : [];
      const kind = present[0];
      const body: unknown = kind === undefined ? undefined : (item as Input)[kind];
      if (present.length !== 1 || kind === undefined || !isObject(body))
        return validation(
          `TransactItems can only contain one of ${kinds.join(', ')}; each item must have exactly one.`,
        );
      if (typeof body.TableName !== 'string') return validation('TableName is required.');
      const required = REQUIRED_EXPRESSION[kind];
      if (required !== undefined && typeof body[required] !== 'string')
        return validation(`${kind} requires ${required}.`);
      const names = await this.keyNames(tables, body.TableName);
      if (!Array.isArray(names)) return names;
      const source = kind === 'Put' ? body.Item : body.Key;
      if (!isObject(source) || names.some((name) => source[name] === undefined))
        return validation('The provided key element does not match the schema');
      const key = Object.fromEntries(names.map((name) => [name, source[name]]));
      const id = JSON.stringify([body.TableName, key]);
      if (seen.has(id))
        return validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
      planned.push({ kind, body, table: body.TableName, key });
    }
    return planned;
  }

  private async read(table: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    const reply = await this.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (reply.status !== 200) return undefined;
    return (JSON.parse(reply.body) as { Item?: AttributeMap }).Item;
  }

  /**
   * Evaluates a write's condition with dynalite's own evaluator: a conditional put of the item as
   * it is (or of its bare key when it is absent), undone at once when the item was absent.
   */
  private async conditionHolds(
    write: PlannedWrite,
    old: AttributeMap | undefined,
  ): Promise<boolean | HttpReply> {
    const { body } = write;
    if (body.ConditionExpression === undefined) return true;
    const probe = await this.call('PutItem', {
      TableName: write.table,
      Item: old ?? write.key,
      ConditionExpression: body.ConditionExpression,
      ...expressionMaps(body, body.ConditionExpression),
    });
    if (probe.status === 200) {
      if (old === undefined)
        await this.call('DeleteItem', { TableName: write.table, Key: write.key });
      return true;
    }
    return errorType(probe) === 'ConditionalCheckFailedException' ? false : probe;
  }

  private async apply(write: PlannedWrite): Promise<HttpReply | undefined> {
    const { body } = write;
    const common = { TableName: write.table };
    let reply: HttpReply;
    if (write.kind === 'Put') reply = await this.call('PutItem', { ...common, Item: body.Item });
    else if (write.kind === 'Delete')
      reply = await this.call('DeleteItem', { ...common, Key: write.key });
    else if (write.kind === 'Update') {
      reply = await this.call('UpdateItem', {
        ...common,
        Key: write.key,
        UpdateExpression: body.UpdateExpression,
        ...expressionMaps(body, body.UpdateExpression),
      });
    } else return undefined;
    return reply.status === 200 ? undefined : reply;
  }

  private async restore(writes: readonly PlannedWrite[], old: (AttributeMap | undefined)[]) {
    for (const [index, write] of writes.entries()) {
      const before = old[index];
      if (before === undefined)
        await this.call('DeleteItem', { TableName: write.table, Key: write.key });
      else await this.call('PutItem', { TableName: write.table, Item: before });
    }
  }

  /** TransactWriteItems: all of its writes or none, run while the caller holds the write lock. */
  async write(input: Input): Promise<HttpReply> {
    const token = input.ClientRequestToken;
    if (token !== undefined && (typeof token !== 'string' || !TOKEN.test(token)))
      return validation('ClientRequestToken must be 1 to 36 letters, digits or hyphens.');
    const hash = createHash('sha256').update(JSON.stringify(input.TransactItems)).digest('hex');
    if (typeof token === 'string') {
      const previous = this.tokens.get(token);
      if (previous && this.now() - previous.at < TOKEN_MS) {
        if (previous.hash !== hash)
          return error(
            'IdempotentParameterMismatchException',
            'The request uses the same client token as a previous, but non-identical request.',
          );
        return previous.reply;
      }
    }
    const planned = await this.plan(input.TransactItems, WRITE_KINDS);
    if (!Array.isArray(planned)) return planned;
    const old: (AttributeMap | undefined)[] = [];
    for (const write of planned) old.push(await this.read(write.table, write.key));
    const failed: boolean[] = [];
    for (const [index, write] of planned.entries()) {
      const holds = await this.conditionHolds(write, old[index]);
      if (typeof holds !== 'boolean') return holds;
      failed.push(!holds);
    }
    if (failed.some(Boolean)) {
      const reasons = planned.map((write, index) => {
        if (!failed[index]) return { Code: 'None' };
        const before = old[index];
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(write.body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before
            ? { Item: before }
            : {}),
        };
      });
      return error(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
        { CancellationReasons: reasons },
      );
    }
    for (const write of planned) {
      const refused = await this.apply(write);
      if (refused) {
        await this.restore(planned, old);
        return refused;
      }
    }
    const reply = jsonReply(200, {});
    if (typeof token === 'string') {
      this.forgetExpiredTokens();
      this.tokens.set(token, { hash, at: this.now(), reply });
    }
    return reply;
  }

  private forgetExpiredTokens(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens)
      if (now - entry.at >= TOKEN_MS) this.tokens.delete(token);
  }

  /** TransactGetItems: a consistent read of every item, run while the caller holds the lock. */
  async get(input: Input): Promise<HttpReply> {
    const planned = await this.plan(input.TransactItems, ['Get'] as const);
    if (!Array.isArray(planned)) return planned;
    const responses: Input[] = [];
    for (const { body, table, key } of planned) {
      const reply = await this.call('GetItem', {
        TableName: table,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: body.ProjectionExpression,
        ExpressionAttributeNames: body.ExpressionAttributeNames,
      });
      if (reply.status !== 200) return reply;
      const item = (JSON.parse(reply.body) as { Item?: AttributeMap }).Item;
      responses.push(item ? { Item: item } : {});
    }
    return jsonReply(200, { Responses: responses });
  }
}
