import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyClaimKey,
  type IdempotencyClaimItem,
} from '@herald/metadata';
import { isConditionalCheckFailed } from '@herald/aws';
import { DependencyUnavailableError } from '../errors/api-error';
import type {
  ClaimResult,
  ClaimState,
  IdempotencyClaim,
  IdempotencyStore,
  StoredClaim,
} from './idempotency-store';

/** The shared claim item plus the state ingest needs to survive an enqueue failure. */
interface ClaimItem extends IdempotencyClaimItem {
  readonly state?: ClaimState;
}

export interface DynamoDbIdempotencyStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now?: () => Date;
}

/**
 * Claims in the metadata table: a conditional PutItem wins for exactly one task; the loser
 * reads the winner's claim. Expired claims (TTL deletes lazily) count as absent.
 */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;

  constructor(options: DynamoDbIdempotencyStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#now = options.now ?? (() => new Date());
  }

  async claim(claim: IdempotencyClaim): Promise<ClaimResult> {
    // Two rounds: a claim seen by the first read may expire (or vanish) before the second put.
    for (let round = 0; round < 2; round += 1) {
      if (await this.#put(claim)) return { outcome: 'claimed' };
      const existing = await this.#read(claim.tenant, claim.key);
      if (existing) return { outcome: 'existing', claim: existing };
    }
    throw new DependencyUnavailableError('dynamodb', {
      cause: new Error('idempotency claim kept changing'),
    });
  }

  async markAccepted(claim: IdempotencyClaim): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: idempotencyClaimKey(claim.tenant, claim.key),
          UpdateExpression: 'SET #state = :accepted',
          ConditionExpression: 'messageId = :id',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':accepted': 'accepted', ':id': claim.messageId },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw new DependencyUnavailableError('dynamodb', { cause: error });
    }
  }

  async #put(claim: IdempotencyClaim): Promise<boolean> {
    const nowSeconds = Math.floor(this.#now().getTime() / 1000);
    const item: ClaimItem = {
      ...idempotencyClaimKey(claim.tenant, claim.key),
      tenant: claim.tenant,
      messageId: claim.messageId,
      requestHash: claim.requestHash,
      acceptedAt: claim.acceptedAt,
      expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
      state: 'pending',
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw new DependencyUnavailableError('dynamodb', { cause: error });
    }
  }

  async #read(tenant: string, key: string): Promise<StoredClaim | undefined> {
    let item: ClaimItem | undefined;
    try {
      const output = await this.#client.send(
        new GetCommand({
          TableName: this.#table,
          Key: idempotencyClaimKey(tenant, key),
          ConsistentRead: true,
        }),
      );
      item = output.Item as ClaimItem | undefined;
    } catch (error) {
      throw new DependencyUnavailableError('dynamodb', { cause: error });
    }
    if (!item || item.expiresAt < Math.floor(this.#now().getTime() / 1000)) return undefined;
    return {
      tenant,
      key,
      messageId: item.messageId,
      requestHash: item.requestHash,
      acceptedAt: item.acceptedAt,
      // An unknown state re-enqueues, which the deterministic message id makes harmless.
      state: item.state === 'accepted' ? 'accepted' : 'pending',
    };
  }
}
