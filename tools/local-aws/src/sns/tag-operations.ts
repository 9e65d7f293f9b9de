import type { SnsContext } from './context';
import { invalidParameter, SnsError } from './errors';
import { indexedGroups, requireParam, type FormParams } from './form';
import type { Topic } from './topic-store';
import { members, type XmlNode } from './xml';

/** The most tags one topic may carry, as on AWS. */
export const MAX_TAGS = 50;

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** The `Tags.member.N.Key` / `.Value` of a request, validated as SNS validates them. */
export function parseTags(params: FormParams): Map<string, string> {
  const tags = new Map<string, string>();
  for (const group of indexedGroups(params, 'Tags.member')) {
    const key = group.get('Key') ?? '';
    const value = group.get('Value') ?? '';
    if (!TAG_KEY.test(key) || key.toLowerCase().startsWith('aws:'))
      throw invalidParameter(
        'Tags',
        `tag key "${key}" must be 1 to 128 allowed characters and not start with aws:`,
      );
    if (!TAG_VALUE.test(value))
      throw invalidParameter(
        'Tags',
        `tag value of "${key}" must be at most 256 allowed characters`,
      );
    tags.set(key, value);
  }
  return tags;
}

/** Adds tags to a topic, refusing to go past {@link MAX_TAGS}. */
export function addTags(topic: Topic, tags: ReadonlyMap<string, string>): void {
  const keys = new Set([...topic.tags.keys(), ...tags.keys()]);
  if (keys.size > MAX_TAGS)
    throw new SnsError(
      'TagLimitExceeded',
      'Could not complete request: tag quota of per resource exceeded',
    );
  for (const [key, value] of tags) topic.tags.set(key, value);
}

function taggedTopic(params: FormParams, context: SnsContext): Topic {
  const arn = requireParam(params, 'ResourceArn');
  const topic = context.topics.find(arn);
  if (!topic) throw new SnsError('ResourceNotFound', 'Resource does not exist');
  return topic;
}

/** TagResource: at most 50 tags per topic. */
export function tagResource(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = taggedTopic(params, context);
  const tags = parseTags(params);
  if (tags.size === 0) throw invalidParameter('Tags', 'no tags given');
  addTags(topic, tags);
  return [];
}

/** UntagResource: unknown keys are ignored. */
export function untagResource(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = taggedTopic(params, context);
  for (const [key, value] of params)
    if (/^TagKeys\.member\.\d+$/.test(key)) topic.tags.delete(value);
  return [];
}

/** ListTagsForResource. */
export function listTagsForResource(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = taggedTopic(params, context);
  const tags = [...topic.tags].map(([key, value]): XmlNode[] => [
    ['Key', key],
    ['Value', value],
  ]);
  return [['Tags', members(tags)]];
}
