import { describe, expect, it } from 'vitest';
import type { MailboxMessage } from './mailbox';
import { formatMailbox } from './mailbox-format';

const message: MailboxMessage = {
  id: 'm-1',
  receivedAt: '2026-01-01T00:00:00.000Z',
  to: 'ops@example.com',
  protocol: 'email',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:ops',
  subscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ops:s-1',
  messageId: 'n-1',
  subject: 'DLQ depth',
  body: 'line one\nline two',
};

describe('formatMailbox', () => {
  it('says when the mailbox is empty', () => {
    expect(formatMailbox([], 'http://127.0.0.1:4566')).toBe(
      'The mailbox at http://127.0.0.1:4566 is empty.',
    );
  });

  it('lists each message with its headers and indented body', () => {
    const text = formatMailbox([message], 'http://127.0.0.1:4566');
    expect(text).toContain('1 message in the mailbox at http://127.0.0.1:4566');
    expect(text).toContain('#1  2026-01-01T00:00:00.000Z  to ops@example.com (email)');
    expect(text).toContain('subject: DLQ depth');
    expect(text).toContain('    line one\n    line two');
  });

  it('pretty-prints email-json bodies', () => {
    const text = formatMailbox(
      [{ ...message, protocol: 'email-json', body: '{"Type":"Notification"}' }],
      'x',
    );
    expect(text).toContain('    {\n      "Type": "Notification"\n    }');
  });
});
