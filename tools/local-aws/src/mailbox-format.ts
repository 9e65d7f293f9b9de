import type { MailboxMessage } from './mailbox';

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function readableBody(message: MailboxMessage): string {
  if (message.protocol !== 'email-json') return message.body;
  try {
    return JSON.stringify(JSON.parse(message.body), null, 2);
  } catch {
    return message.body;
  }
}

function formatOne(message: MailboxMessage, index: number): string {
  return [
    `#${index + 1}  ${message.receivedAt}  to ${message.to} (${message.protocol})`,
    `    topic:   ${message.topicArn}`,
    `    subject: ${message.subject}`,
    `    message: ${message.messageId}`,
    '',
    indent(readableBody(message)),
  ].join('\n');
}

/** The mailbox as text for people: a header line, then each message with its body indented. */
export function formatMailbox(messages: readonly MailboxMessage[], endpoint: string): string {
  if (messages.length === 0) return `The mailbox at ${endpoint} is empty.`;
  const noun = messages.length === 1 ? 'message' : 'messages';
  const header = `${messages.length} ${noun} in the mailbox at ${endpoint}`;
  return [header, ...messages.map(formatOne)].join('\n\n');
}
