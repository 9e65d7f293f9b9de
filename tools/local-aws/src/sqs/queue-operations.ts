import type { SqsContext } from './context';
import { SqsError } from './errors';
import {
  optionalInteger,
  optionalString,
  requiredString,
  stringList,
  stringMap,
  type JsonObject,
} from './input';
import type { Queue } from './queue';
import {
  applyQueueAttributes,
  DEFAULT_QUEUE_SETTINGS,
  SETTABLE_ATTRIBUTES,
  settingValue,
  type QueueSettings,
} from './queue-settings';
import { queueUrl, validateQueueName, type SqsStore } from './sqs-store';

function checkDeadLetterTarget(store: SqsStore, settings: QueueSettings): void {
  const policy = settings.redrivePolicy;
  if (policy && !store.findByArn(policy.deadLetterTargetArn)) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${JSON.stringify(policy)} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    );
  }
}

function ensureSameAttributes(
  queue: Queue,
  requested: ReadonlyMap<string, string>,
  wanted: QueueSettings,
): void {
  for (const name of requested.keys()) {
    if (settingValue(queue.settings, name) !== settingValue(wanted, name)) {
      throw new SqsError(
        'QueueNameExists',
        `A queue already exists with the same name and a different value for attribute ${name}`,
      );
    }
  }
}

/** CreateQueue: idempotent for the same attributes, QueueNameExists for different ones. */
export function createQueue(input: JsonObject, context: SqsContext): JsonObject {
  const name = requiredString(input, 'QueueName');
  validateQueueName(name);
  const attributes = stringMap(input, 'Attributes');
  const settings = applyQueueAttributes(DEFAULT_QUEUE_SETTINGS, attributes);
  checkDeadLetterTarget(context.store, settings);
  const existing = context.store.find(name);
  if (existing) {
    ensureSameAttributes(existing, attributes, settings);
  } else {
    const queue = context.store.create(name, settings, context.region);
    for (const [key, value] of stringMap(input, 'tags')) queue.tags.set(key, value);
  }
  return { QueueUrl: queueUrl(context.host, name) };
}

/** DeleteQueue: in-flight long polls on it answer empty. */
export function deleteQueue(input: JsonObject, context: SqsContext): JsonObject {
  context.store.delete(context.store.get(requiredString(input, 'QueueUrl')));
  return {};
}

/** PurgeQueue: deletes every message, visible or in flight; once per 60 s. */
export function purgeQueue(input: JsonObject, context: SqsContext): JsonObject {
  context.store.get(requiredString(input, 'QueueUrl')).requestPurge();
  return {};
}

/** GetQueueUrl by name. */
export function getQueueUrl(input: JsonObject, context: SqsContext): JsonObject {
  const name = requiredString(input, 'QueueName');
  if (!context.store.find(name))
    throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  return { QueueUrl: queueUrl(context.host, name) };
}

/** ListQueues, optionally by name prefix and paginated with MaxResults/NextToken. */
export function listQueues(input: JsonObject, context: SqsContext): JsonObject {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  const maxResults = optionalInteger(input, 'MaxResults', 1, 1000);
  const token = optionalString(input, 'NextToken');
  const after = token === undefined ? '' : Buffer.from(token, 'base64url').toString('utf8');
  const names = context.store
    .list()
    .map((queue) => queue.name)
    .filter((name) => name.startsWith(prefix) && name > after);
  const page = names.slice(0, maxResults ?? 1000);
  const output: JsonObject = {};
  if (page.length > 0) output.QueueUrls = page.map((name) => queueUrl(context.host, name));
  const last = page.at(-1);
  if (maxResults !== undefined && names.length > page.length && last !== undefined) {
    output.NextToken = Buffer.from(last, 'utf8').toString('base64url');
  }
  return output;
}

function allAttributes(queue: Queue): Map<string, string> {
  const counts = queue.counts();
  const attributes = new Map<string, string>([
    ['QueueArn', queue.arn],
    ['ApproximateNumberOfMessages', String(counts.visible)],
    ['ApproximateNumberOfMessagesNotVisible', String(counts.inflight)],
    ['ApproximateNumberOfMessagesDelayed', String(counts.delayed)],
    ['CreatedTimestamp', String(Math.floor(queue.createdAt / 1000))],
    ['LastModifiedTimestamp', String(Math.floor(queue.lastModifiedAt / 1000))],
  ]);
  for (const name of SETTABLE_ATTRIBUTES) {
    const value = settingValue(queue.settings, name);
    if (value !== undefined) attributes.set(name, value);
  }
  return attributes;
}

const READABLE_ATTRIBUTES = new Set([
  'All',
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  ...SETTABLE_ATTRIBUTES,
]);

/** GetQueueAttributes: `All` or the named ones; unknown names are InvalidAttributeName. */
export function getQueueAttributes(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const names = stringList(input, 'AttributeNames');
  const unknown = names.find((name) => !READABLE_ATTRIBUTES.has(name));
  if (unknown !== undefined)
    throw new SqsError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
  if (names.length === 0) return {};
  const all = allAttributes(queue);
  const selected = names.includes('All')
    ? [...all]
    : [...all].filter(([name]) => names.includes(name));
  return { Attributes: Object.fromEntries(selected) };
}

/** SetQueueAttributes: validates every attribute before changing any. */
export function setQueueAttributes(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const settings = applyQueueAttributes(queue.settings, stringMap(input, 'Attributes'));
  checkDeadLetterTarget(context.store, settings);
  queue.updateSettings(settings);
  return {};
}

/** ListDeadLetterSourceQueues: the queues whose RedrivePolicy targets this one. */
export function listDeadLetterSourceQueues(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  const sources = context.store
    .list()
    .filter((q) => q.settings.redrivePolicy?.deadLetterTargetArn === queue.arn);
  return { queueUrls: sources.map((source) => queueUrl(context.host, source.name)) };
}

/** TagQueue. */
export function tagQueue(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  for (const [key, value] of stringMap(input, 'Tags')) queue.tags.set(key, value);
  return {};
}

/** UntagQueue. */
export function untagQueue(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  for (const key of stringList(input, 'TagKeys')) queue.tags.delete(key);
  return {};
}

/** ListQueueTags. */
export function listQueueTags(input: JsonObject, context: SqsContext): JsonObject {
  const queue = context.store.get(requiredString(input, 'QueueUrl'));
  return queue.tags.size > 0 ? { Tags: Object.fromEntries(queue.tags) } : {};
}
