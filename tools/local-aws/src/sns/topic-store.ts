import { randomBytes } from 'node:crypto';
import { ACCOUNT_ID, newId } from '../ids';
import { invalidParameter, SnsError } from './errors';
import { parseFilterPolicy, type FilterPolicy, type FilterScope } from './filter-policy';

/** The subscription protocols the emulator delivers to. */
export type SnsProtocol = 'sqs' | 'http' | 'https' | 'email' | 'email-json';

const PROTOCOLS: ReadonlySet<string> = new Set<SnsProtocol>([
  'sqs',
  'http',
  'https',
  'email',
  'email-json',
]);

const SUBSCRIPTION_ATTRIBUTES = new Set([
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'DeliveryPolicy',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

/**
 * A subscription. http(s) ones wait for ConfirmSubscription with their `token` (unless the edge
 * auto-confirms them); the others are confirmed at once.
 */
export interface Subscription {
  readonly arn: string;
  /** The token sent to the endpoint in its SubscriptionConfirmation. */
  readonly token: string;
  /** True until ConfirmSubscription: nothing is delivered meanwhile. */
  pending: boolean;
  readonly topicArn: string;
  readonly protocol: SnsProtocol;
  readonly endpoint: string;
  readonly attributes: Map<string, string>;
  filter?: { readonly policy: FilterPolicy; readonly scope: FilterScope };
}

/** A standard topic and its subscriptions. */
export interface Topic {
  readonly arn: string;
  readonly name: string;
  readonly attributes: Map<string, string>;
  readonly subscriptions: Map<string, Subscription>;
  readonly tags: Map<string, string>;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const SUBSCRIPTION_ARN = /^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}:[A-Za-z0-9-]+$/;

/** Checks a protocol name and narrows it. */
export function parseProtocol(protocol: string): SnsProtocol {
  if (!PROTOCOLS.has(protocol)) {
    throw invalidParameter(
      'Protocol',
      `${protocol} is not supported by the Herald emulator (sqs, http, https, email, email-json).`,
    );
  }
  return protocol as SnsProtocol;
}

function isFilterScope(scope: string): scope is FilterScope {
  return scope === 'MessageAttributes' || scope === 'MessageBody';
}

const QUEUE_ARN = /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;

/** Checks a subscription RedrivePolicy: `{"deadLetterTargetArn": <SQS queue ARN>}` or empty. */
function checkRedrivePolicy(raw: string): void {
  if (raw === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter('RedrivePolicy', 'Redrive policy is not a valid JSON document.');
  }
  const target = (parsed as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  const keys = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed) : [];
  if (typeof target !== 'string' || !QUEUE_ARN.test(target) || keys.length !== 1)
    throw invalidParameter(
      'RedrivePolicy',
      'deadLetterTargetArn must be an SQS queue ARN, and the only key of the policy.',
    );
}

/** The dead-letter queue ARN of a subscription's RedrivePolicy, if it has one. */
export function deadLetterTarget(subscription: Subscription): string | undefined {
  const raw = subscription.attributes.get('RedrivePolicy');
  if (raw === undefined || raw === '') return undefined;
  return (JSON.parse(raw) as { deadLetterTargetArn: string }).deadLetterTargetArn;
}

/** Validates subscription attributes and applies them (FilterPolicy is parsed here). */
export function applySubscriptionAttributes(
  subscription: Subscription,
  attributes: ReadonlyMap<string, string>,
): void {
  const merged = new Map([...subscription.attributes, ...attributes]);
  for (const [name, value] of attributes) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name))
      throw invalidParameter('AttributeName', `Unknown attribute ${name}.`);
    if (name === 'RawMessageDelivery' && value !== 'true' && value !== 'false') {
      throw invalidParameter('Attributes', 'RawMessageDelivery must be true or false.');
    }
    if (name === 'RedrivePolicy') checkRedrivePolicy(value);
  }
  const scope = merged.get('FilterPolicyScope') ?? 'MessageAttributes';
  if (!isFilterScope(scope)) {
    throw invalidParameter(
      'Attributes',
      'FilterPolicyScope must be MessageAttributes or MessageBody.',
    );
  }
  const rawPolicy = merged.get('FilterPolicy');
  const filter =
    rawPolicy === undefined || rawPolicy === ''
      ? undefined
      : { policy: parseFilterPolicy(rawPolicy, scope), scope };
  for (const [name, value] of attributes) subscription.attributes.set(name, value);
  subscription.filter = filter;
}

/** Every topic and subscription of the emulator. */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();

  /**
   * @param region the edge's region
   * @param autoConfirm whether http(s) subscriptions are confirmed at once, without the round trip
   */
  constructor(
    readonly region: string,
    private readonly autoConfirm = false,
  ) {}

  /** The ARN of a topic of that name in `region` (the edge's region unless told). */
  arnOf(name: string, region = this.region): string {
    return `arn:aws:sns:${region}:${ACCOUNT_ID}:${name}`;
  }

  /**
   * Creates a topic in `region`, or returns the existing one of that name there (CreateTopic is
   * idempotent); topics of different regions are distinct, as their ARNs are.
   */
  create(name: string, region = this.region): Topic {
    if (name.endsWith('.fifo'))
      throw invalidParameter('Topic Name', 'FIFO topics are not supported by the Herald emulator.');
    if (!TOPIC_NAME.test(name)) throw invalidParameter('Topic Name');
    const arn = this.arnOf(name, region);
    const existing = this.topics.get(arn);
    if (existing) return existing;
    const topic: Topic = {
      arn,
      name,
      attributes: new Map(),
      subscriptions: new Map(),
      tags: new Map(),
    };
    this.topics.set(arn, topic);
    return topic;
  }

  /** The topic of an ARN, or NotFound. */
  get(arn: string): Topic {
    const topic = this.topics.get(arn);
    if (!topic) throw new SnsError('NotFound', 'Topic does not exist');
    return topic;
  }

  /** The topic of an ARN, if any. */
  find(arn: string): Topic | undefined {
    return this.topics.get(arn);
  }

  delete(arn: string): void {
    this.topics.delete(arn);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  subscriptions(): Subscription[] {
    return this.list().flatMap((topic) => [...topic.subscriptions.values()]);
  }

  /** The subscription of an ARN, or NotFound. */
  subscription(arn: string): Subscription {
    const topicArn = arn.split(':').slice(0, -1).join(':');
    const subscription = this.topics.get(topicArn)?.subscriptions.get(arn);
    if (!subscription) throw new SnsError('NotFound', 'Subscription does not exist');
    return subscription;
  }

  /** Subscribes an endpoint; the same topic, protocol and endpoint give the same subscription. */
  subscribe(
    topic: Topic,
    protocol: SnsProtocol,
    endpoint: string,
    attributes: ReadonlyMap<string, string>,
  ): Subscription {
    const existing = [...topic.subscriptions.values()].find(
      (s) => s.protocol === protocol && s.endpoint === endpoint,
    );
    if (existing) {
      const differs = [...attributes].some(
        ([name, value]) => existing.attributes.get(name) !== value,
      );
      if (differs)
        throw invalidParameter(
          'Attributes',
          'Subscription already exists with different attributes',
        );
      return existing;
    }
    const subscription: Subscription = {
      arn: `${topic.arn}:${newId()}`,
      token: randomBytes(64).toString('hex'),
      pending: !this.autoConfirm && (protocol === 'http' || protocol === 'https'),
      topicArn: topic.arn,
      protocol,
      endpoint,
      attributes: new Map(),
    };
    applySubscriptionAttributes(subscription, attributes);
    topic.subscriptions.set(subscription.arn, subscription);
    return subscription;
  }

  /** Confirms the topic's subscription that was sent `token`; InvalidParameter for another token. */
  confirm(topic: Topic, token: string): Subscription {
    const subscription = [...topic.subscriptions.values()].find((s) => s.token === token);
    if (!subscription) throw invalidParameter('Token', 'Invalid token');
    subscription.pending = false;
    return subscription;
  }

  /** Removes a subscription; an unknown (or already removed) one is no error, as on AWS. */
  unsubscribe(arn: string): void {
    if (!SUBSCRIPTION_ARN.test(arn)) throw invalidParameter('SubscriptionArn');
    const topicArn = arn.split(':').slice(0, -1).join(':');
    this.topics.get(topicArn)?.subscriptions.delete(arn);
  }
}
