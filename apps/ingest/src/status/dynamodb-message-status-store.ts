import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageStatusSchema } from '@herald/contracts';
import { messageStatusKey, type MessageStatusItem } from '@herald/metadata';
import { DependencyUnavailableError } from '../errors/api-error';
import type { MessageStatusRecord, MessageStatusStore } from './message-status-store';

/** Status items the worker writes to the metadata table; the key embeds the tenant. */
export class DynamoDbMessageStatusStore implements MessageStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenant: string, id: string): Promise<MessageStatusRecord | undefined> {
    let item: Partial<MessageStatusItem> | undefined;
    try {
      const output = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: messageStatusKey(tenant, id) }),
      );
      item = output.Item as Partial<MessageStatusItem> | undefined;
    } catch (error) {
      throw new DependencyUnavailableError('dynamodb', { cause: error });
    }
    // The key already confines the read to the tenant; the check guards against a bad write.
    if (!item || item.tenant !== tenant) return undefined;
    const status = messageStatusSchema.safeParse(item.status);
    if (!status.success) return undefined;
    return {
      id,
      status: status.data,
      ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
      ...(typeof item.alerted === 'boolean' ? { alerted: item.alerted } : {}),
    };
  }
}
