import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { Mailbox } from '../mailbox';
import { buildMessage } from '../sqs/message-factory';
import type { SqsStore } from '../sqs/sqs-store';
import {
  messageFor,
  notificationEnvelope,
  type EnvelopeLinks,
  type SnsNotification,
} from './envelope';
import { matchesFilterPolicy } from './filter-policy';
import { deadLetterTarget, type Subscription, type Topic } from './topic-store';

/** What deliveries need from the rest of the emulator. */
export interface DeliveryDeps {
  readonly sqs: SqsStore;
  readonly mailbox: Mailbox;
  readonly logger: Logger;
  readonly links: () => EnvelopeLinks;
  /** Aborted at shutdown: pending HTTP deliveries stop. */
  readonly signal: AbortSignal;
}

// SenderId of messages SNS puts on a queue (an SNS service principal id on AWS).
const SNS_SENDER_ID = 'AIDAIHERALDSNSLOCAL00';
const HTTP_ATTEMPTS = 3;
const HTTP_TIMEOUT_MS = 15_000;

function isRaw(subscription: Subscription): boolean {
  return subscription.attributes.get('RawMessageDelivery') === 'true';
}

/**
 * Fans a published message out to a topic's subscriptions: onto emulated queues and into the
 * mailbox synchronously (so they are there when Publish answers), to HTTP endpoints in the
 * background with a few retries, as SNS does.
 */
export class SnsDelivery {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Delivers to every subscription whose filter policy the message passes. */
  publish(topic: Topic, notification: SnsNotification): void {
    for (const subscription of topic.subscriptions.values()) {
      if (subscription.pending) continue;
      const body = messageFor(notification, subscription.protocol);
      const filter = subscription.filter;
      if (
        filter &&
        !matchesFilterPolicy(filter.policy, filter.scope, {
          body,
          attributes: notification.attributes,
        })
      )
        continue;
      this.deliver(subscription, notification);
    }
  }

  /** Resolves once background HTTP deliveries have finished (or been aborted). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private envelope(subscription: Subscription, notification: SnsNotification): string {
    return notificationEnvelope(
      notification,
      subscription.arn,
      subscription.protocol,
      this.deps.links(),
    );
  }

  private deliver(subscription: Subscription, notification: SnsNotification): void {
    switch (subscription.protocol) {
      case 'sqs':
        this.toQueue(subscription, notification);
        return;
      case 'http':
      case 'https':
        this.toHttp(subscription, notification);
        return;
      case 'email':
      case 'email-json':
        this.toMailbox(subscription, notification);
        return;
    }
  }

  /**
   * An undeliverable message goes to the subscription's dead-letter queue (its RedrivePolicy), as
   * the SNS envelope with the failure in ErrorCode/ErrorMessage attributes; without one it is
   * dropped. Either way it is logged.
   */
  private deadLetter(
    subscription: Subscription,
    notification: SnsNotification,
    code: string,
    reason: string,
  ): void {
    const target = deadLetterTarget(subscription);
    const queue = target === undefined ? undefined : this.deps.sqs.findByArn(target);
    this.deps.logger.warn(queue ? 'sns delivery dead-lettered' : 'sns delivery dropped', {
      subscription: subscription.arn,
      reason,
    });
    if (!queue) return;
    const attributes = new Map([
      ['ErrorCode', { dataType: 'String', stringValue: code }],
      ['ErrorMessage', { dataType: 'String', stringValue: reason }],
    ]);
    try {
      queue.send(
        buildMessage(
          queue,
          { body: this.envelope(subscription, notification), attributes },
          SNS_SENDER_ID,
        ),
      );
    } catch (error) {
      this.deps.logger.warn('sns dead-letter delivery failed', {
        subscription: subscription.arn,
        error,
      });
    }
  }

  private toQueue(subscription: Subscription, notification: SnsNotification): void {
    const queue = this.deps.sqs.findByArn(subscription.endpoint);
    if (!queue) {
      this.deadLetter(subscription, notification, 'NonExistentQueue', 'The queue does not exist.');
      return;
    }
    const raw = isRaw(subscription);
    const parts = raw
      ? { body: messageFor(notification, 'sqs'), attributes: notification.attributes }
      : { body: this.envelope(subscription, notification), attributes: new Map() };
    try {
      queue.send(buildMessage(queue, parts, SNS_SENDER_ID));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deadLetter(subscription, notification, 'InvalidParameterValue', reason);
    }
  }

  private toMailbox(subscription: Subscription, notification: SnsNotification): void {
    const protocol = subscription.protocol === 'email-json' ? 'email-json' : 'email';
    this.deps.mailbox.deliver({
      id: newId(),
      receivedAt: new Date().toISOString(),
      to: subscription.endpoint,
      protocol,
      topicArn: notification.topicArn,
      subscriptionArn: subscription.arn,
      messageId: notification.messageId,
      subject: notification.subject ?? 'AWS Notification Message',
      body:
        protocol === 'email-json'
          ? this.envelope(subscription, notification)
          : messageFor(notification, protocol),
    });
  }

  private toHttp(subscription: Subscription, notification: SnsNotification): void {
    const raw = isRaw(subscription);
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': notification.messageId,
      'x-amz-sns-topic-arn': notification.topicArn,
      'x-amz-sns-subscription-arn': subscription.arn,
    };
    if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
    const body = raw
      ? messageFor(notification, subscription.protocol)
      : this.envelope(subscription, notification);
    const task = this.post(subscription, body, headers)
      .then((delivered) => {
        if (!delivered && !this.deps.signal.aborted)
          this.deadLetter(
            subscription,
            notification,
            'EndpointUnavailable',
            `No success from ${subscription.endpoint} in ${HTTP_ATTEMPTS} attempts.`,
          );
      })
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /**
   * POSTs the SubscriptionConfirmation of a pending http(s) subscription to its endpoint, in the
   * background: the endpoint confirms with the Token (ConfirmSubscription) or by fetching the
   * SubscribeURL, as on AWS.
   */
  requestConfirmation(subscription: Subscription): void {
    const { edgeUrl, region } = this.deps.links();
    const messageId = newId();
    const subscribeUrl =
      `${edgeUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(subscription.topicArn)}` +
      `&Token=${subscription.token}`;
    const body = JSON.stringify({
      Type: 'SubscriptionConfirmation',
      MessageId: messageId,
      Token: subscription.token,
      TopicArn: subscription.topicArn,
      Message: `You have chosen to subscribe to the topic ${subscription.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: subscribeUrl,
      Timestamp: new Date().toISOString(),
      SignatureVersion: '1',
      Signature: 'SGVyYWxkIGxvY2FsIGVtdWxhdG9yOiBub3Qgc2lnbmVk',
      SigningCertURL: `https://sns.${region}.amazonaws.com/SimpleNotificationService-local.pem`,
    });
    const headers = {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': subscription.topicArn,
    };
    const task = this.post(subscription, body, headers)
      .then((delivered) => {
        if (!delivered && !this.deps.signal.aborted)
          this.deps.logger.warn('sns subscription confirmation not delivered', {
            subscription: subscription.arn,
          });
      })
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  private async post(
    subscription: Subscription,
    body: string,
    headers: Record<string, string>,
  ): Promise<boolean> {
    const { signal, logger } = this.deps;
    // A call, not a property read, so the check is not narrowed away across awaits.
    const stopped = (): boolean => signal.aborted;
    for (let attempt = 1; attempt <= HTTP_ATTEMPTS && !stopped(); attempt += 1) {
      try {
        const response = await fetch(subscription.endpoint, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
        });
        await response.arrayBuffer();
        if (response.ok) return true;
        logger.warn('sns http delivery answered an error', {
          subscription: subscription.arn,
          status: response.status,
          attempt,
        });
      } catch (error) {
        if (stopped()) return false;
        logger.warn('sns http delivery failed', { subscription: subscription.arn, attempt, error });
      }
      await sleep(200 * attempt, undefined, { signal }).catch(() => undefined);
    }
    return false;
  }
}
