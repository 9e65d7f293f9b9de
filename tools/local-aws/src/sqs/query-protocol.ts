import { indexedGroups, type FormParams } from '../sns/form';
import type { XmlNode } from '../sns/xml';
import type { JsonObject } from './input';

// The SQS query protocol (2012-11-05) flattens lists and maps into numbered parameters and
// elements. These tables translate it to and from the AWS JSON 1.0 shapes the operations take,
// so both protocols run the same code and see the same queues.

/** Flattened lists of strings: `AttributeName.1=All` ↔ `AttributeNames: ['All']`. */
const STRING_LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
};

/** Flattened string maps: `Attribute.1.Name=…&Attribute.1.Value=…` ↔ `Attributes: {…}`. */
const STRING_MAPS: Readonly<Record<string, readonly [json: string, key: string, value: string]>> = {
  Attribute: ['Attributes', 'Name', 'Value'],
  Tag: ['Tags', 'Key', 'Value'],
};

/** Flattened message attribute maps: `MessageAttribute.1.Name` / `.Value.StringValue`… */
const ATTRIBUTE_MAPS: Readonly<Record<string, string>> = {
  MessageAttribute: 'MessageAttributes',
  MessageSystemAttribute: 'MessageSystemAttributes',
};

/** Members that are integers in the JSON protocol (they arrive as text in a form). */
const INTEGERS = new Set([
  'DelaySeconds',
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'MaxResults',
  'MaxNumberOfMessagesPerSecond',
]);

const INTEGER = /^[-+]?\d{1,15}$/;

function scalar(key: string, value: string): unknown {
  // A malformed number stays a string, so the operation answers InvalidParameterValue for it.
  return INTEGERS.has(key) && INTEGER.test(value) ? Number(value) : value;
}

function attributeMap(groups: readonly FormParams[]): JsonObject {
  const map: JsonObject = {};
  for (const group of groups) {
    const name = group.get('Name');
    if (name === undefined) continue;
    const value: JsonObject = {};
    for (const [key, text] of group) if (key.startsWith('Value.')) value[key.slice(6)] = text;
    map[name] = value;
  }
  return map;
}

function stringMap(groups: readonly FormParams[], keyField: string, valueField: string) {
  const map: Record<string, string> = {};
  for (const group of groups) {
    const key = group.get(keyField);
    if (key !== undefined) map[key] = group.get(valueField) ?? '';
  }
  return map;
}

/**
 * The JSON input of an SQS operation from its query-protocol parameters (without `Action` and
 * `Version`). `Tag.N` becomes `tags` for CreateQueue and `Tags` elsewhere, as in the JSON model.
 */
export function queryToJsonInput(action: string, params: FormParams): JsonObject {
  const input: JsonObject = {};
  const heads = new Set<string>();
  for (const [key, value] of params) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      if (key !== 'Action' && key !== 'Version') input[key] = scalar(key, value);
    } else heads.add(key.slice(0, dot));
  }
  for (const head of heads) {
    const groups = indexedGroups(params, head);
    const list = STRING_LISTS[head];
    const map = STRING_MAPS[head];
    const attributes = ATTRIBUTE_MAPS[head];
    if (list !== undefined) {
      input[list] = [...params]
        .filter(([key]) => /^\d+$/.test(key.slice(head.length + 1)) && key.startsWith(`${head}.`))
        .sort(([a], [b]) => Number(a.slice(head.length + 1)) - Number(b.slice(head.length + 1)))
        .map(([, value]) => value);
    } else if (map !== undefined) {
      const json = head === 'Tag' && action === 'CreateQueue' ? 'tags' : map[0];
      input[json] = stringMap(groups, map[1], map[2]);
    } else if (attributes !== undefined) {
      input[attributes] = attributeMap(groups);
    } else if (head.endsWith('RequestEntry')) {
      input.Entries = groups.map((group) => queryToJsonInput(action, group));
    }
  }
  return input;
}

/** How a JSON list member is spelled as repeated (flattened) XML elements. */
function listElement(action: string, key: string): string {
  switch (key) {
    case 'QueueUrls':
    case 'queueUrls':
      return 'QueueUrl';
    case 'Messages':
      return 'Message';
    case 'Successful':
      return `${action}ResultEntry`;
    case 'Failed':
      return 'BatchResultErrorEntry';
    default:
      return key.endsWith('s') ? key.slice(0, -1) : key;
  }
}

function nodesOf(action: string, key: string, value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    const element = listElement(action, key);
    return value.map((item): XmlNode => [element, contentOf(action, item)]);
  }
  if (typeof value === 'object') {
    const map = Object.entries(value as JsonObject);
    if (key === 'Attributes')
      return map.map(([name, text]) => [
        'Attribute',
        [
          ['Name', name],
          ['Value', String(text)],
        ],
      ]);
    if (key === 'Tags')
      return map.map(([name, text]) => [
        'Tag',
        [
          ['Key', name],
          ['Value', String(text)],
        ],
      ]);
    if (key === 'MessageAttributes')
      return map.map(([name, attribute]) => [
        'MessageAttribute',
        [
          ['Name', name],
          ['Value', contentOf(action, attribute)],
        ],
      ]);
    return [[key, contentOf(action, value)]];
  }
  return [[key, contentOf(action, value)]];
}

function contentOf(action: string, value: unknown): XmlNode[] | string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value as JsonObject).flatMap(([key, member]) =>
    nodesOf(action, key, member),
  );
}

/** Actions whose response has no `<{Action}Result>` element (their JSON output is `{}`). */
const WITHOUT_RESULT = new Set([
  'AddPermission',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'DeleteQueue',
  'PurgeQueue',
  'RemovePermission',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

/**
 * The `<{Action}Result>` children of a JSON output (an empty list when it has none, since SDKs
 * expect the element), or undefined for the actions that answer without a result.
 */
export function jsonOutputToXml(action: string, output: JsonObject): XmlNode[] | undefined {
  if (WITHOUT_RESULT.has(action)) return undefined;
  return Object.entries(output).flatMap(([key, value]) => nodesOf(action, key, value));
}
