import { newId } from '../ids';
import type { MessageAttributeMap } from '../sqs/md5';
import { attributesSize } from '../sqs/message-content';
import type { SnsContext } from './context';
import type { SnsNotification } from './envelope';
import { invalidParameter, SnsError } from './errors';
import { indexedGroups, requireParam, type FormParams } from './form';
import { parseSnsMessageAttributes } from './message-attributes';
import type { Topic } from './topic-store';
import { members, type XmlNode } from './xml';

/** The most bytes a message (text plus attributes) or a whole PublishBatch may carry. */
export const MAX_PUBLISH_BYTES = 262_144;
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
// Subjects are ASCII text without line breaks or control characters, at most 100 characters.
const SUBJECT = /^[\x20-\x7E]{1,100}$/;

interface PublishEntry {
  readonly message: string;
  readonly subject?: string;
  readonly perProtocol?: ReadonlyMap<string, string>;
  readonly attributes: MessageAttributeMap;
}

function parseStructure(message: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure', 'Failed to parse JSON');
  }
  const object =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const texts = new Map(
    Object.entries(object).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  if (!texts.has('default'))
    throw invalidParameter('Message Structure', 'No default entry in JSON message body');
  return texts;
}

function parseEntry(params: FormParams): PublishEntry {
  const message = params.get('Message');
  if (message === undefined || message === '') throw invalidParameter('Message', 'Empty message');
  const subject = params.get('Subject');
  if (subject !== undefined && !SUBJECT.test(subject)) throw invalidParameter('Subject');
  const attributes = parseSnsMessageAttributes(params);
  if (Buffer.byteLength(message) + attributesSize(attributes) > MAX_PUBLISH_BYTES) {
    throw invalidParameter('Message too long');
  }
  const structure = params.get('MessageStructure');
  if (structure !== undefined && structure !== 'json') throw invalidParameter('MessageStructure');
  const perProtocol = structure === 'json' ? parseStructure(message) : undefined;
  return { message: perProtocol?.get('default') ?? message, subject, perProtocol, attributes };
}

function publishEntry(topic: Topic, entry: PublishEntry, context: SnsContext): string {
  const notification: SnsNotification = {
    ...entry,
    messageId: newId(),
    topicArn: topic.arn,
    timestamp: new Date(context.clock.now()).toISOString(),
  };
  context.delivery.publish(topic, notification);
  return notification.messageId;
}

function targetTopic(params: FormParams, context: SnsContext): Topic {
  if (params.has('PhoneNumber'))
    throw invalidParameter('PhoneNumber', 'SMS is not supported by the Herald emulator.');
  const arn = params.get('TopicArn') ?? params.get('TargetArn');
  if (arn === undefined || arn === '')
    throw invalidParameter('TopicArn or TargetArn', 'no value for required parameter');
  return context.topics.get(arn);
}

/** Publish: delivers to every matching subscription and returns the MessageId. */
export function publish(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = targetTopic(params, context);
  return [['MessageId', publishEntry(topic, parseEntry(params), context)]];
}

function batchGroups(params: FormParams): Map<string, string>[] {
  const groups = indexedGroups(params, 'PublishBatchRequestEntries.member');
  if (groups.length === 0)
    throw new SnsError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  if (groups.length > MAX_BATCH_ENTRIES) {
    throw new SnsError(
      'TooManyEntriesInBatchRequest',
      `The batch request contains more entries than permissible (${MAX_BATCH_ENTRIES}).`,
    );
  }
  const ids = groups.map((group) => group.get('Id') ?? '');
  const invalid = ids.find((id) => !BATCH_ENTRY_ID.test(id));
  if (invalid !== undefined)
    throw new SnsError(
      'InvalidBatchEntryId',
      `The Id of a batch entry in a batch request doesn't abide by the specification: ${invalid}`,
    );
  if (new Set(ids).size !== ids.length)
    throw new SnsError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  const total = groups.reduce(
    (sum, group) => sum + Buffer.byteLength(group.get('Message') ?? ''),
    0,
  );
  if (total > MAX_PUBLISH_BYTES) {
    throw new SnsError(
      'BatchRequestTooLong',
      `The length of all the messages put together is more than the limit (${MAX_PUBLISH_BYTES} bytes).`,
    );
  }
  return groups;
}

/** PublishBatch: request-level batch errors, then per-entry Successful/Failed. */
export function publishBatch(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  const successful: XmlNode[][] = [];
  const failed: XmlNode[][] = [];
  for (const group of batchGroups(params)) {
    const id = group.get('Id') ?? '';
    try {
      successful.push([
        ['Id', id],
        ['MessageId', publishEntry(topic, parseEntry(group), context)],
      ]);
    } catch (error) {
      if (!(error instanceof SnsError)) throw error;
      failed.push([
        ['Id', id],
        ['Code', error.code],
        ['Message', error.message],
        ['SenderFault', error.fault === 'Sender'],
      ]);
    }
  }
  return [
    ['Successful', members(successful)],
    ['Failed', members(failed)],
  ];
}
