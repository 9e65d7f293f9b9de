import { describe, expect, it } from 'vitest';
import { LIMITS } from '@herald/contracts';
import { chunkBatch } from './batch-chunks';

const utf8 = new TextEncoder();

describe('chunkBatch', () => {
  it('splits at the API limit of messages per request, keeping order', () => {
    const messages = Array.from({ length: LIMITS.batchMaxMessages * 2 + 1 }, (_, i) => ({
      channel: 'c',
      body: i,
    }));
    const { chunks, oversized } = chunkBatch(messages);
    expect(oversized).toEqual([]);
    expect(chunks.map((chunk) => chunk.indexes.length)).toEqual([
      LIMITS.batchMaxMessages,
      LIMITS.batchMaxMessages,
      1,
    ]);
    expect(chunks.flatMap((chunk) => chunk.indexes)).toEqual(messages.map((_, i) => i));
    const parsed = JSON.parse(chunks[2]!.body) as { messages: unknown[] };
    expect(parsed.messages).toEqual([messages[200]]);
  });

  it('keeps every request body within the byte limit, counting UTF-8 bytes', () => {
    // 200 KiB of 3-byte characters each: four fit in 1 MiB by characters, only one by bytes.
    const body = '€'.repeat(70_000);
    const messages = Array.from({ length: 7 }, () => ({ channel: 'c', body }));
    const { chunks } = chunkBatch(messages);
    for (const chunk of chunks)
      expect(utf8.encode(chunk.body).byteLength).toBeLessThanOrEqual(LIMITS.requestMaxBytes);
    expect(chunks.map((chunk) => chunk.indexes.length)).toEqual([4, 3]);
  });

  it('fills a request up to exactly the byte limit', () => {
    const limits = { maxMessages: 100, maxBytes: 100 };
    // {"messages":[ + ]} is 15 bytes; each message below is 27 bytes; 3 + 2 commas = 98.
    const message = { channel: 'c', body: 'xx' };
    expect(JSON.stringify(message)).toHaveLength(27);
    const { chunks } = chunkBatch([message, message, message, message], limits);
    expect(chunks.map((chunk) => chunk.body.length)).toEqual([98, 42]);
  });

  it('sets aside a message that no request could carry', () => {
    const limits = { maxMessages: 100, maxBytes: 100 };
    const { chunks, oversized } = chunkBatch(
      [
        { channel: 'c', body: 1 },
        { channel: 'c', body: 'x'.repeat(100) },
        { channel: 'c', body: 3 },
      ],
      limits,
    );
    expect(oversized).toEqual([{ index: 1, bytes: 125 }]);
    expect(chunks.flatMap((chunk) => chunk.indexes)).toEqual([0, 2]);
  });
});
