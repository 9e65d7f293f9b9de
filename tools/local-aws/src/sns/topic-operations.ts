import { ACCOUNT_ID } from '../ids';
import type { SnsContext } from './context';
import { invalidParameter } from './errors';
import { formMap, paginate, requireParam, type FormParams } from './form';
import type { Topic } from './topic-store';
import { addTags, parseTags } from './tag-operations';
import { entries, members, type XmlNode } from './xml';

// What AWS answers for a topic with no DeliveryPolicy of its own.
const EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

/** The access policy AWS gives a new topic: the owner account may do everything. */
function defaultPolicy(arn: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT_ID } },
      },
    ],
  });
}

const TOPIC_ATTRIBUTES = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'DataProtectionPolicy',
  'ArchivePolicy',
]);

function checkTopicAttribute(name: string, value: string): void {
  if (name === 'FifoTopic' && value === 'true') {
    throw invalidParameter('Attributes', 'FIFO topics are not supported by the Herald emulator.');
  }
  if (name !== 'FifoTopic' && !TOPIC_ATTRIBUTES.has(name))
    throw invalidParameter('AttributeName', `Unknown attribute ${name}.`);
}

/** CreateTopic: idempotent; attributes apply when the topic is new and must agree otherwise. */
export function createTopic(params: FormParams, context: SnsContext): XmlNode[] {
  const name = requireParam(params, 'Name');
  const attributes = formMap(params, 'Attributes');
  for (const [key, value] of attributes) checkTopicAttribute(key, value);
  const tags = parseTags(params);
  const isNew = context.topics.find(context.topics.arnOf(name, context.region)) === undefined;
  const topic = context.topics.create(name, context.region);
  if (!isNew && tags.size > 0) {
    const same =
      tags.size === topic.tags.size &&
      [...tags].every(([key, value]) => topic.tags.get(key) === value);
    if (!same) throw invalidParameter('Tags', 'Topic already exists with different tags');
  }
  for (const [key, value] of attributes) {
    if (!isNew && topic.attributes.get(key) !== value) {
      throw invalidParameter('Attributes', 'Topic already exists with different attributes');
    }
    topic.attributes.set(key, value);
  }
  if (isNew) addTags(topic, tags);
  return [['TopicArn', topic.arn]];
}

/** DeleteTopic: idempotent, removes the topic's subscriptions. */
export function deleteTopic(params: FormParams, context: SnsContext): undefined {
  context.topics.delete(requireParam(params, 'TopicArn'));
  return undefined;
}

/** ListTopics, 100 per page. */
export function listTopics(params: FormParams, context: SnsContext): XmlNode[] {
  const { page, nextToken } = paginate(context.topics.list(), params, 100);
  return [
    ['Topics', members(page.map((topic): XmlNode[] => [['TopicArn', topic.arn]]))],
    ['NextToken', nextToken],
  ];
}

function topicAttributes(topic: Topic): Map<string, string> {
  const pending = [...topic.subscriptions.values()].filter((s) => s.pending).length;
  return new Map([
    ['TopicArn', topic.arn],
    ['Owner', ACCOUNT_ID],
    ['DisplayName', ''],
    ['SubscriptionsConfirmed', String(topic.subscriptions.size - pending)],
    ['SubscriptionsPending', String(pending)],
    ['SubscriptionsDeleted', '0'],
    ['Policy', defaultPolicy(topic.arn)],
    [
      'EffectiveDeliveryPolicy',
      topic.attributes.get('DeliveryPolicy') ?? EFFECTIVE_DELIVERY_POLICY,
    ],
    ...topic.attributes,
  ]);
}

/** GetTopicAttributes: NotFound for an unknown topic. */
export function getTopicAttributes(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  return [['Attributes', entries(topicAttributes(topic))]];
}

/** SetTopicAttributes. */
export function setTopicAttributes(params: FormParams, context: SnsContext): undefined {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  const name = requireParam(params, 'AttributeName');
  const value = params.get('AttributeValue') ?? '';
  checkTopicAttribute(name, value);
  topic.attributes.set(name, value);
  return undefined;
}
