import type { MessageAttributeMap } from '../sqs/md5';
import { invalidParameter } from './errors';

/** A subscription filter policy, parsed. */
export type FilterPolicy = Readonly<Record<string, unknown>>;

/** What a filter policy is matched against. */
export type FilterScope = 'MessageAttributes' | 'MessageBody';

type Scalar = string | number | boolean | null;
/** Values found under a policy key; undefined when the key is absent. */
type Found = readonly Scalar[] | undefined;

const OPERATORS = new Set([
  'exists',
  'prefix',
  'suffix',
  'anything-but',
  'numeric',
  'equals-ignore-case',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkRules(key: string, value: unknown, scope: FilterScope): void {
  if (isObject(value) && scope === 'MessageBody') {
    for (const [inner, rules] of Object.entries(value)) checkRules(inner, rules, scope);
    return;
  }
  if (!Array.isArray(value))
    throw invalidParameter('FilterPolicy', `Match value for "${key}" must be an array.`);
  for (const rule of value) {
    if (isObject(rule) && !Object.keys(rule).every((operator) => OPERATORS.has(operator))) {
      throw invalidParameter(
        'FilterPolicy',
        `Unsupported operator in "${key}": ${JSON.stringify(rule)}`,
      );
    }
  }
}

/** The most keys (leaves, for a body policy) and value combinations a filter policy may have. */
export const FILTER_POLICY_LIMITS = { keys: 5, combinations: 150 } as const;

/** The match arrays of a policy, nested objects (body policies) flattened. */
function leaves(policy: Record<string, unknown>): unknown[][] {
  return Object.values(policy).flatMap((value) =>
    isObject(value) ? leaves(value) : Array.isArray(value) ? [value] : [],
  );
}

function checkLimits(policy: Record<string, unknown>): void {
  const arrays = leaves(policy);
  if (arrays.length > FILTER_POLICY_LIMITS.keys)
    throw invalidParameter(
      'FilterPolicy',
      `Filter policy can not have more than ${FILTER_POLICY_LIMITS.keys} keys`,
    );
  // AWS counts the product of the number of values of each key.
  const combinations = arrays.reduce((product, values) => product * Math.max(values.length, 1), 1);
  if (combinations > FILTER_POLICY_LIMITS.combinations)
    throw invalidParameter('FilterPolicy', 'Filter policy is too complex');
}

/** Parses and checks a FilterPolicy attribute value, AWS's size limits included. */
export function parseFilterPolicy(raw: string, scope: FilterScope): FilterPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter('FilterPolicy', 'failed to parse JSON.');
  }
  if (!isObject(parsed))
    throw invalidParameter('FilterPolicy', 'Filter policy must be a JSON object.');
  for (const [key, value] of Object.entries(parsed)) checkRules(key, value, scope);
  checkLimits(parsed);
  return parsed;
}

function numericMatches(conditions: unknown, value: number): boolean {
  if (!Array.isArray(conditions)) return false;
  for (let index = 0; index + 1 < conditions.length; index += 2) {
    const operator: unknown = conditions[index];
    const bound: unknown = conditions[index + 1];
    if (typeof bound !== 'number') return false;
    const ok = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[String(operator)];
    if (ok !== true) return false;
  }
  return true;
}

function anythingBut(excluded: unknown, values: readonly Scalar[]): boolean {
  if (isObject(excluded) && typeof excluded.prefix === 'string') {
    const prefix = excluded.prefix;
    return values.every((value) => typeof value !== 'string' || !value.startsWith(prefix));
  }
  const list: unknown[] = Array.isArray(excluded) ? excluded : [excluded];
  return values.every((value) => !list.includes(value));
}

function operatorMatches(rule: Record<string, unknown>, found: Found): boolean {
  if ('exists' in rule) return (found !== undefined) === rule.exists;
  if (found === undefined) return false;
  const strings = found.filter((value): value is string => typeof value === 'string');
  if (typeof rule.prefix === 'string')
    return strings.some((value) => value.startsWith(rule.prefix as string));
  if (typeof rule.suffix === 'string')
    return strings.some((value) => value.endsWith(rule.suffix as string));
  const ignoreCase = rule['equals-ignore-case'];
  if (typeof ignoreCase === 'string')
    return strings.some((value) => value.toLowerCase() === ignoreCase.toLowerCase());
  if ('anything-but' in rule) return anythingBut(rule['anything-but'], found);
  if ('numeric' in rule)
    return found.some((value) => typeof value === 'number' && numericMatches(rule.numeric, value));
  return false;
}

function ruleMatches(rule: unknown, found: Found): boolean {
  if (isObject(rule)) return operatorMatches(rule, found);
  return found !== undefined && found.includes(rule as Scalar);
}

function attributeValues(attributes: MessageAttributeMap, key: string): Found {
  const attribute = attributes.get(key);
  if (!attribute || attribute.stringValue === undefined) return attribute ? [] : undefined;
  if (attribute.dataType.startsWith('Number')) return [Number(attribute.stringValue)];
  if (attribute.dataType === 'String.Array') {
    const parsed: unknown = JSON.parse(attribute.stringValue);
    return Array.isArray(parsed) ? (parsed as Scalar[]) : [];
  }
  return [attribute.stringValue];
}

function bodyValues(value: unknown): Found {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value as Scalar[];
  return [value as Scalar];
}

function matchesBody(policy: Readonly<Record<string, unknown>>, body: unknown): boolean {
  const object = isObject(body) ? body : {};
  return Object.entries(policy).every(([key, rules]) =>
    isObject(rules)
      ? matchesBody(rules, object[key])
      : (rules as unknown[]).some((rule) => ruleMatches(rule, bodyValues(object[key]))),
  );
}

/**
 * Whether a message passes a subscription's filter policy: every key must match (AND), each
 * through any of its rules (OR). Supports exact values, prefix, suffix, anything-but, numeric,
 * exists and equals-ignore-case, on message attributes or (scope MessageBody) on a JSON body.
 */
export function matchesFilterPolicy(
  policy: FilterPolicy,
  scope: FilterScope,
  message: { readonly body: string; readonly attributes: MessageAttributeMap },
): boolean {
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      return false;
    }
    return matchesBody(policy, body);
  }
  return Object.entries(policy).every(([key, rules]) =>
    (rules as unknown[]).some((rule) =>
      ruleMatches(rule, attributeValues(message.attributes, key)),
    ),
  );
}
