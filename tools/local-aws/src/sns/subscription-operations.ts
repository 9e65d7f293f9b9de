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

// What AWS answers for the ARN of a subscription that awaits confirmation.
const PENDING_ARN = 'pending confirmation';

/**
 * Subscribe, idempotent per topic/protocol/endpoint. An http(s) subscription stays pending (its
 * ARN answered as "pending confirmation" unless ReturnSubscriptionArn is true) and its endpoint
 * is sent a SubscriptionConfirmation, again on each Subscribe while pending, as on AWS.
 */
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
  if (!subscription.pending) return [['SubscriptionArn', subscription.arn]];
  context.delivery.requestConfirmation(subscription);
  const returnArn = params.get('ReturnSubscriptionArn') === 'true';
  return [['SubscriptionArn', returnArn ? subscription.arn : PENDING_ARN]];
}

/** ConfirmSubscription: confirms the subscription whose endpoint was sent the Token. */
export function confirmSubscription(params: FormParams, context: SnsContext): XmlNode[] {
  const topic = context.topics.get(requireParam(params, 'TopicArn'));
  const subscription = context.topics.confirm(topic, requireParam(params, 'Token'));
  return [['SubscriptionArn', subscription.arn]];
}

/** Unsubscribe: idempotent (an unknown subscription succeeds), InvalidParameter for a bad ARN. */
export function unsubscribe(params: FormParams, context: SnsContext): undefined {
  context.topics.unsubscribe(requireParam(params, 'SubscriptionArn'));
  return undefined;
}

function subscriptionMember(subscription: Subscription): XmlNode[] {
  return [
    // AWS lists a subscription that awaits confirmation under this placeholder.
    ['SubscriptionArn', subscription.pending ? 'PendingConfirmation' : subscription.arn],
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
    ['ConfirmationWasAuthenticated', String(!subscription.pending)],
    ['PendingConfirmation', String(subscription.pending)],
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
