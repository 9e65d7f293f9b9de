import type { MessageAttributeMap } from '../sqs/md5';
import type { SnsProtocol } from './topic-store';

/** One published message, as every subscription of the topic receives it. */
export interface SnsNotification {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  /** The message text, or the `default` entry when MessageStructure is json. */
  readonly message: string;
  /** Per-protocol texts of a MessageStructure=json publish. */
  readonly perProtocol?: ReadonlyMap<string, string>;
  /** ISO-8601 publish time. */
  readonly timestamp: string;
  readonly attributes: MessageAttributeMap;
}

/** Where the envelope's URLs point. */
export interface EnvelopeLinks {
  readonly region: string;
  /** Base URL of the edge, for UnsubscribeURL. */
  readonly edgeUrl: string;
}

/** The text a subscription of `protocol` receives. */
export function messageFor(notification: SnsNotification, protocol: SnsProtocol): string {
  return notification.perProtocol?.get(protocol) ?? notification.message;
}

function envelopeAttributes(
  attributes: MessageAttributeMap,
): Record<string, { Type: string; Value: string }> {
  return Object.fromEntries(
    [...attributes].map(([name, value]) => [
      name,
      {
        Type: value.dataType,
        Value: value.binaryValue
          ? Buffer.from(value.binaryValue).toString('base64')
          : (value.stringValue ?? ''),
      },
    ]),
  );
}

/**
 * The JSON notification SNS wraps a message in for sqs, http(s) and email-json subscriptions
 * without raw delivery. The signature fields are placeholders: nothing here is signed.
 */
export function notificationEnvelope(
  notification: SnsNotification,
  subscriptionArn: string,
  protocol: SnsProtocol,
  links: EnvelopeLinks,
): string {
  const envelope = {
    Type: 'Notification',
    MessageId: notification.messageId,
    TopicArn: notification.topicArn,
    Subject: notification.subject,
    Message: messageFor(notification, protocol),
    Timestamp: notification.timestamp,
    SignatureVersion: '1',
    Signature: 'SGVyYWxkIGxvY2FsIGVtdWxhdG9yOiBub3Qgc2lnbmVk',
    SigningCertURL: `https://sns.${links.region}.amazonaws.com/SimpleNotificationService-local.pem`,
    UnsubscribeURL: `${links.edgeUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
    MessageAttributes:
      notification.attributes.size > 0 ? envelopeAttributes(notification.attributes) : undefined,
  };
  return JSON.stringify(envelope);
}
