import { invalidParameter } from './errors';

/** Decoded query-protocol parameters (`Action=Publish&TopicArn=…`). */
export type FormParams = ReadonlyMap<string, string>;

/** Decodes a form-encoded body or query string; the first of repeated keys wins. */
export function parseForm(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text))
    if (!params.has(key)) params.set(key, value);
  return params;
}

/**
 * The members of a query-protocol list or map (`Prefix.1.Name`, `Prefix.2.Name`…) as one
 * parameter set per index, keys stripped of `Prefix.N.`, in order of index.
 */
export function indexedGroups(params: FormParams, prefix: string): Map<string, string>[] {
  const groups = new Map<number, Map<string, string>>();
  const lead = `${prefix}.`;
  for (const [key, value] of params) {
    if (!key.startsWith(lead)) continue;
    const match = /^(\d+)\.(.+)$/.exec(key.slice(lead.length));
    if (!match?.[1] || !match[2]) continue;
    const index = Number(match[1]);
    const group = groups.get(index) ?? new Map<string, string>();
    group.set(match[2], value);
    groups.set(index, group);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** A query-protocol string map (`Attributes.entry.N.key` / `.value`). */
export function formMap(params: FormParams, prefix: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of indexedGroups(params, `${prefix}.entry`)) {
    const key = group.get('key');
    if (key !== undefined) map.set(key, group.get('value') ?? '');
  }
  return map;
}

/** A parameter that must be present and non-empty, else InvalidParameter. */
export function requireParam(params: FormParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '')
    throw invalidParameter(name, 'no value for required parameter');
  return value;
}

/** The page of `items` after `NextToken` (an index), and the token of the next page. */
export function paginate<T>(
  items: readonly T[],
  params: FormParams,
  pageSize: number,
): { page: T[]; nextToken?: string } {
  const start = Number(params.get('NextToken') ?? '0');
  const from = Number.isInteger(start) && start > 0 ? start : 0;
  const page = items.slice(from, from + pageSize);
  const next = from + pageSize;
  return next < items.length ? { page, nextToken: String(next) } : { page };
}
