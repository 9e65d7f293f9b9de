import { describe, expect, it } from 'vitest';
import { batchInputSchema, bodyByteLength, messageInputSchema, utf8ByteLength } from './message';
import { LIMITS } from './limits';

const valid = { channel: 'orders', body: 'hello' };

describe('messageInputSchema', () => {
  it('applies defaults to a minimal message', () => {
    expect(messageInputSchema.parse(valid)).toEqual({
      ...valid,
      attributes: {},
      priority: 'normal',
    });
  });

  it('accepts a JSON body', () => {
    const parsed = messageInputSchema.parse({
      channel: 'a.b-c_d~e',
      body: { nested: [1, 'two', null, true] },
    });
    expect(parsed.body).toEqual({ nested: [1, 'two', null, true] });
  });

  it('accepts the text "\\u0000" written out, which is not a NUL', () => {
    expect(messageInputSchema.safeParse({ ...valid, body: { text: '\\u0000' } }).success).toBe(
      true,
    );
  });

  it('accepts a body of exactly the limit', () => {
    expect(
      messageInputSchema.safeParse({ ...valid, body: 'x'.repeat(LIMITS.bodyMaxBytes) }).success,
    ).toBe(true);
  });

  describe.each([
    ['an empty channel', { ...valid, channel: '' }, 'channel'],
    ['a channel with a slash', { ...valid, channel: 'a/b' }, 'channel'],
    ['a channel starting with a dot', { ...valid, channel: '.hidden' }, 'channel'],
    [
      'a too long channel',
      { ...valid, channel: 'c'.repeat(LIMITS.channelMaxLength + 1) },
      'channel',
    ],
    ['a missing body', { channel: 'orders' }, 'body'],
    [
      'a body one byte over the limit',
      { ...valid, body: 'x'.repeat(LIMITS.bodyMaxBytes + 1) },
      'body',
    ],
    [
      'a multi-byte body over the limit',
      { ...valid, body: 'é'.repeat(LIMITS.bodyMaxBytes / 2 + 1) },
      'body',
    ],
    ['an unknown priority', { ...valid, priority: 'urgent' }, 'priority'],
    ['an unknown field', { ...valid, color: 'red' }, ''],
    ['a numeric attribute value', { ...valid, attributes: { a: 1 } }, 'attributes.a'],
    ['an attribute key with spaces', { ...valid, attributes: { 'a b': 'x' } }, 'attributes.a b'],
    [
      'too many attributes',
      {
        ...valid,
        attributes: Object.fromEntries(
          Array.from({ length: LIMITS.attributesMaxCount + 1 }, (_, i) => [`k${i}`, 'v']),
        ),
      },
      'attributes',
    ],
    ['an empty sender', { ...valid, sender: '' }, 'sender'],
    ['a NUL in a text body', { ...valid, body: 'a\u0000b' }, 'body'],
    [
      'a NUL deep in a JSON body',
      { ...valid, body: { list: [{ note: 'x\u0000' }] } },
      'body.list.0.note',
    ],
    ['a NUL in a JSON key', { ...valid, body: { 'k\u0000': 1 } }, 'body.k\u0000'],
    ['a NUL in a sender', { ...valid, sender: '\u0000' }, 'sender'],
    ['a NUL in an attribute value', { ...valid, attributes: { a: '\u0000' } }, 'attributes.a'],
  ])('rejects %s', (_name, input, path) => {
    it(`with an issue at "${path}"`, () => {
      const result = messageInputSchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
    });
  });
});

describe('batchInputSchema', () => {
  it('rejects an empty batch and one over the limit', () => {
    expect(batchInputSchema.safeParse({ messages: [] }).success).toBe(false);
    expect(
      batchInputSchema.safeParse({
        messages: Array.from({ length: LIMITS.batchMaxMessages + 1 }, () => valid),
      }).success,
    ).toBe(false);
    expect(
      batchInputSchema.safeParse({
        messages: Array.from({ length: LIMITS.batchMaxMessages }, () => valid),
      }).success,
    ).toBe(true);
  });
});

describe('bodyByteLength', () => {
  it('counts UTF-8 bytes of text and of JSON', () => {
    expect(bodyByteLength('é')).toBe(2);
    expect(bodyByteLength({ a: 1 })).toBe('{"a":1}'.length);
  });
});

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['ascii', 5],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀é€', 10],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['\ud83d\ud83d\ude00', 7],
  ])('counts %j as TextEncoder does (%i bytes)', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(new TextEncoder().encode(text).byteLength).toBe(bytes);
  });
});
