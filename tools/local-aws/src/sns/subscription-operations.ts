import { ACCOUNT_ID } from '../ids';
import type { SnsContext } from './context';
import { invalidParameter } from './errors';
import { formMap, paginate, requireParam, type FormParams } from './form';
import {
  applySubscriptionAttributes,
  parseProtocol,
  type SnsProtocol,
  type Subscription,
} from './topic-store';
import { entries, members, type XmlNode } from './xml';

const ENDPOINT_RULES: Readonly<
  Record<SnsProtocol, { test: (endpoint: string) => boolean; expected: string }>
> = {
  sqs: { test: (e) => e.startsWith('arn:aws:sqs:'), expected: 'an SQS queue ARN' },
  http: { test: (e) => e.startsWith('http://'), expected: 'an http:// URL' },
  https: { test: (e) => e.startsWith('https://'), expected: 'an https:// URL' },
  email: { test: (e) => /^[^@\s]+@[^@\s]+$/.test(e), expected: 'an email address' },
  'email-json': { test: (e) => /^[^@\s]+@[^@\s]+$/.test(e), expected: 'an email address' },
};

/** Subscribe: confirmed at once (no confirmation round trip), idempotent per topic/protocol/endpoint. */
export function subscribe(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  const protocol = parseProtocol(requireParam(params, 'Protocol'));
  const endpoint = requireParam(params, 'Endpoint');
  const rule = ENDPOINT_RULES[protocol];
  if (!rule.test(endpoint))
    throw invalidParameter('Endpoint', `${protocol} endpoint must be ${rule.expected}.`);
  const subscription = context.topics.subscribe(
    topic,
    protocol,
    endpoint,
    formMap(params, 'Attributes'),
  );
  return [['SubscriptionArn', subscription.arn]];
}

/** ConfirmSubscription: every subscription is already confirmed; returns the topic's first match. */
export function confirmSubscription(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  requireParam(params, 'Token');
  const first = [...topic.subscriptions.values()][0];
  if (!first) throw invalidParameter('Token');
  return [['SubscriptionArn', first.arn]];
}

/** Unsubscribe: idempotent (an unknown subscription succeeds), InvalidParameter for a bad ARN. */
export function unsubscribe(params: FormParams, context: SnsContext): undefined {
  context.topics.unsubscribe(requireParam(params, 'SubscriptionArn'));
  return undefined;
}

function subscriptionMember(subscription: Subscription): XmlNode[] {
  return [
    ['SubscriptionArn', subscription.arn],
    ['Owner', ACCOUNT_ID],
    ['Protocol', subscription.protocol],
    ['Endpoint', subscription.endpoint],
    ['TopicArn', subscription.topicArn],
  ];
}

/** ListSubscriptions, 100 per page. */
export function listSubscriptions(params: FormParams, context: SnsContext): XmlNode[] {
  const { page, nextToken } = paginate(context.topics.subscriptions(), params, 100);
  return [
    ['Subscriptions', members(page.map(subscriptionMember))],
    ['NextToken', nextToken],
  ];
}

/** ListSubscriptionsByTopic, 100 per page; NotFound for an unknown topic. */
export function listSubscriptionsByTopic(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  const { page, nextToken } = paginate([...topic.subscriptions.values()], params, 100);
  return [
    ['Subscriptions', members(page.map(subscriptionMember))],
    ['NextToken', nextToken],
  ];
}

/** GetSubscriptionAttributes. */
export function getSubscriptionAttributes(params: FormParams, context: SnsContext): XmlNode[] {
  const subscription = context.topics.subscription(requireParam(params, 'SubscriptionArn'));
  const attributes = new Map([
    ['SubscriptionArn', subscription.arn],
    ['TopicArn', subscription.topicArn],
    ['Owner', ACCOUNT_ID],
    ['Protocol', subscription.protocol],
    ['Endpoint', subscription.endpoint],
    ['ConfirmationWasAuthenticated', 'true'],
    ['PendingConfirmation', 'false'],
    ['RawMessageDelivery', 'false'],
    // Who subscribed: one account here, so its root principal.
    ['SubscriptionPrincipal', `arn:aws:iam::${ACCOUNT_ID}:root`],
    ...subscription.attributes,
  ]);
  return [['Attributes', entries(attributes)]];
}

/** SetSubscriptionAttributes. */
export function setSubscriptionAttributes(params: FormParams, context: SnsContext): undefined {
  const subscription = context.topics.subscription(requireParam(params, 'SubscriptionArn'));
  const name = requireParam(params, 'AttributeName');
  applySubscriptionAttributes(subscription, new Map([[name, params.get('AttributeValue') ?? '']]));
  return undefined;
}
