import type { MessageInputRaw, Priority } from '@herald/contracts';

export interface MessageFlags {
  readonly channel?: string;
  readonly priority?: Priority;
  readonly sender?: string;
  readonly attr?: readonly string[];
  /** Send the body argument as text even when it parses as JSON. */
  readonly text?: boolean;
}

/** Thrown for input the command cannot turn into a message; main prints its message. */
export class SendInputError extends Error {
  override readonly name = 'SendInputError';
}

/** `--attr key=value`, repeated, as an attributes record. */
export function parseAttributes(pairs: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new SendInputError(`--attr ${pair}: expected key=value`);
    attributes[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return attributes;
}

/**
 * The message of `herald send <channel> <body>`: the body is JSON when it parses as JSON
 * (`42`, `{"a":1}`, `"text"`), text otherwise or with `--text`.
 */
export function messageFromArguments(
  channel: string,
  body: string,
  flags: MessageFlags,
): MessageInputRaw {
  return withFlags({ channel, body: flags.text ? body : jsonOrText(body) }, flags);
}

/**
 * One NDJSON line of `herald send` on stdin: a MessageInput object; `--channel`, `--priority`,
 * `--sender` and `--attr` fill what the line leaves out. Throws with the reason.
 */
export function messageFromLine(line: string, flags: MessageFlags): MessageInputRaw {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SendInputError('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SendInputError('expected a JSON object like {"channel":"orders","body":…}');
  const message = value as Partial<MessageInputRaw>;
  const channel = message.channel ?? flags.channel;
  if (channel === undefined) throw new SendInputError('no "channel" (or pass --channel)');
  // The server validates the rest (and names each bad field).
  return withFlags({ ...message, channel } as MessageInputRaw, flags, true);
}

function withFlags(
  message: MessageInputRaw,
  flags: MessageFlags,
  keepMessageFields = false,
): MessageInputRaw {
  const attributes = parseAttributes(flags.attr ?? []);
  const merged: MessageInputRaw = { ...message };
  if (flags.priority && !(keepMessageFields && message.priority)) merged.priority = flags.priority;
  if (flags.sender && !(keepMessageFields && message.sender)) merged.sender = flags.sender;
  if (Object.keys(attributes).length > 0)
    merged.attributes = { ...attributes, ...(keepMessageFields ? message.attributes : {}) };
  return merged;
}

function jsonOrText(body: string): MessageInputRaw['body'] {
  try {
    return JSON.parse(body) as MessageInputRaw['body'];
  } catch {
    return body;
  }
}
