import { LIMITS, type MessageInputRaw } from '@herald/contracts';

/** One `POST /v1/messages/batch` request: its body and the input index of each entry. */
export interface BatchChunk {
  readonly body: string;
  readonly indexes: readonly number[];
}

/** A message that cannot travel in any request: alone it is already over the body limit. */
export interface OversizedEntry {
  readonly index: number;
  readonly bytes: number;
}

const utf8 = new TextEncoder();
const PREFIX = '{"messages":[';
const SUFFIX = ']}';

/**
 * Splits messages into batch requests within the API's limits (`LIMITS.batchMaxMessages`
 * entries, `LIMITS.requestMaxBytes` bytes of request body), keeping input order.
 */
export function chunkBatch(
  messages: readonly MessageInputRaw[],
  limits: { maxMessages: number; maxBytes: number } = {
    maxMessages: LIMITS.batchMaxMessages,
    maxBytes: LIMITS.requestMaxBytes,
  },
): { chunks: BatchChunk[]; oversized: OversizedEntry[] } {
  const chunks: BatchChunk[] = [];
  const oversized: OversizedEntry[] = [];
  const frame = utf8.encode(PREFIX + SUFFIX).byteLength;
  let parts: string[] = [];
  let indexes: number[] = [];
  let bytes = frame;
  const close = () => {
    if (parts.length === 0) return;
    chunks.push({ body: `${PREFIX}${parts.join(',')}${SUFFIX}`, indexes });
    parts = [];
    indexes = [];
    bytes = frame;
  };
  messages.forEach((message, index) => {
    const json = JSON.stringify(message);
    const size = utf8.encode(json).byteLength;
    if (frame + size > limits.maxBytes) {
      oversized.push({ index, bytes: size });
      return;
    }
    const separator = parts.length > 0 ? 1 : 0;
    if (parts.length >= limits.maxMessages || bytes + separator + size > limits.maxBytes) close();
    bytes += (parts.length > 0 ? 1 : 0) + size;
    parts.push(json);
    indexes.push(index);
  });
  close();
  return { chunks, oversized };
}
