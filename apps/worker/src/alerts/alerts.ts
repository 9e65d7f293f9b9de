import { type AlertPayload, type Envelope, previewOf } from '@herald/contracts';
import { type RejectedMessage, UNKNOWN_TENANT } from '../consume/decode';

/** SNS rejects subjects over 100 characters. */
const SUBJECT_MAX = 100;

export function subjectOf(text: string): string {
  // SNS subjects are one line of printable ASCII.
  const clean = text.replace(/[^\x20-\x7E]/g, '?');
  return clean.length <= SUBJECT_MAX ? clean : `${clean.slice(0, SUBJECT_MAX - 3)}...`;
}

/** The alert a stored critical message raises. */
export function criticalAlert(
  envelope: Envelope,
  storedAt: Date,
): { subject: string; payload: AlertPayload } {
  const payload: AlertPayload = {
    v: 1,
    kind: 'critical_message',
    messageId: envelope.id,
    tenant: envelope.tenant,
    channel: envelope.channel,
    priority: envelope.priority,
    ...(envelope.sender === undefined ? {} : { sender: envelope.sender }),
    acceptedAt: envelope.acceptedAt,
    storedAt: storedAt.toISOString(),
    preview: previewOf(envelope.body),
  };
  return {
    subject: subjectOf(`Herald: critical message in ${envelope.tenant}/${envelope.channel}`),
    payload,
  };
}

/** The alert a rejected envelope raises: someone must fix the producer or the ingest. */
export function rejectionAlert(rejected: RejectedMessage): {
  subject: string;
  payload: AlertPayload;
} {
  const payload: AlertPayload = {
    v: 1,
    kind: 'message_rejected',
    messageId: rejected.id,
    ...(rejected.tenant === UNKNOWN_TENANT ? {} : { tenant: rejected.tenant }),
    ...(rejected.channel === undefined ? {} : { channel: rejected.channel }),
    reason: `${rejected.code}: ${rejected.reason}`.slice(0, 1_000),
  };
  return { subject: subjectOf(`Herald: message rejected (${rejected.code})`), payload };
}
