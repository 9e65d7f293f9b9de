import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  messageEventKey,
  redriveRecordKey,
  type MessageEventItem,
  type RedriveRecordItem,
} from '@herald/metadata';

/** Who runs this command: the OS user at this host (the AWS principal is not looked up). */
export function operatorName(env: Readonly<Record<string, string | undefined>>): string {
  let user = env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return `${user}@${hostname()}`;
}

export interface RedriveRecordInput {
  readonly by: string;
  readonly at: string;
  readonly mode: RedriveRecordItem['mode'];
  readonly sourceQueue: string;
  readonly destinationQueue: string;
  readonly moved: number;
  readonly outcome: string;
  readonly taskHandle?: string;
  /** The Herald messages the redrive concerned, each given a `redriven` event. */
  readonly messages: readonly { readonly id: string; readonly tenant: string }[];
}

/**
 * Records a redrive in the metadata table: one REDRIVE# record, and a `redriven` event in each
 * message's status partition so its status history shows it. Answers the redrive id.
 */
export async function recordRedrive(
  dynamo: DynamoDBDocumentClient,
  table: string,
  input: RedriveRecordInput,
): Promise<string> {
  const redriveId = randomUUID();
  const record: RedriveRecordItem = {
    ...redriveRecordKey(redriveId),
    redriveId,
    at: input.at,
    by: input.by,
    mode: input.mode,
    sourceQueue: input.sourceQueue,
    destinationQueue: input.destinationQueue,
    moved: input.moved,
    outcome: input.outcome,
    messageIds: input.messages.map((message) => message.id),
    ...(input.taskHandle === undefined ? {} : { taskHandle: input.taskHandle }),
  };
  await dynamo.send(new PutCommand({ TableName: table, Item: record }));
  for (const message of input.messages) {
    const event: MessageEventItem = {
      ...messageEventKey(message.tenant, message.id, input.at, 'redriven'),
      id: message.id,
      tenant: message.tenant,
      kind: 'redriven',
      at: input.at,
      redriveId,
      by: input.by,
      detail: `${input.mode === 'ids' ? 'resent' : 'move task'} to ${input.destinationQueue} (${input.outcome})`,
    };
    await dynamo.send(new PutCommand({ TableName: table, Item: event }));
  }
  return redriveId;
}
