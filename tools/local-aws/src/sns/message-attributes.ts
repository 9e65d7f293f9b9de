import type { MessageAttributeMap, MessageAttributeValue } from '../sqs/md5';
import { isNumeric, isValidAttributeName } from '../sqs/message-content';
import { SnsError } from './errors';
import { indexedGroups, type FormParams } from './form';

const DATA_TYPE = /^(String|Number|Binary)(\..{1,250})?$/;

function invalid(message: string): SnsError {
  return new SnsError('ParameterValueInvalid', message);
}

function checkStringValue(name: string, dataType: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw invalid(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
    );
  }
  if (dataType.startsWith('Number') && !isNumeric(value)) {
    throw invalid(`Could not cast message attribute '${name}' value to number.`);
  }
  if (dataType === 'String.Array') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed))
      throw invalid(
        `The message attribute '${name}' with type 'String.Array' must be a JSON array.`,
      );
  }
  return value;
}

function parseOne(group: ReadonlyMap<string, string>): [string, MessageAttributeValue] {
  const name = group.get('Name') ?? '';
  if (!isValidAttributeName(name))
    throw invalid(`The message attribute name '${name}' is invalid.`);
  const dataType = group.get('Value.DataType');
  if (dataType === undefined || !DATA_TYPE.test(dataType)) {
    throw invalid(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (dataType.startsWith('Binary')) {
    const binary = group.get('Value.BinaryValue');
    if (binary === undefined || binary === '') {
      throw invalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
      );
    }
    return [name, { dataType, binaryValue: Buffer.from(binary, 'base64') }];
  }
  return [
    name,
    { dataType, stringValue: checkStringValue(name, dataType, group.get('Value.StringValue')) },
  ];
}

/** The `MessageAttributes.entry.N` of a Publish request (or batch entry), validated. */
export function parseSnsMessageAttributes(params: FormParams): MessageAttributeMap {
  const attributes = new Map<string, MessageAttributeValue>();
  for (const group of indexedGroups(params, 'MessageAttributes.entry')) {
    const [name, value] = parseOne(group);
    if (attributes.has(name)) throw invalid(`The message attribute '${name}' is repeated.`);
    attributes.set(name, value);
  }
  return attributes;
}
