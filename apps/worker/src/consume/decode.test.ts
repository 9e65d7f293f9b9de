import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { decodeBatch } from './decode';

const ID = '0193a1b2-0000-7000-8000-000000000001';

/** An SQS message whose envelope body is `bodyText`, spliced in as raw JSON text. */
function sqsWithBody(bodyText: string, extra = ''): Message {
  return {
    MessageId: 'm-1',
    Body: `{"v":1,"id":"${ID}","tenant":"acme","channel":"orders","body":${bodyText},"attributes":{}${extra},"priority":"normal","acceptedAt":"2026-01-01T00:00:00.000Z","trace":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}`,
  };
}

describe('decodeBatch, the worker’s envelope check', () => {
  it('accepts a storable envelope', () => {
    const { accepted, rejected } = decodeBatch([sqsWithBody('{"n":1.5,"s":"😀"}')]);
    expect(rejected).toEqual([]);
    expect(accepted[0]?.envelope.body).toEqual({ n: 1.5, s: '😀' });
  });

  // The same check as the API's (issue 9, defects 1-3): an envelope that slipped past it is
  // rejected permanently, naming the path, instead of failing in PostgreSQL until it dead-letters.
  it.each([
    ['a null body', 'null', '', 'body'],
    ['a lone surrogate in the body', '"\\ud800"', '', 'body'],
    ['a lone surrogate in a body key', '{"\\udc00":1}', '', 'body.\udc00'],
    ['a __proto__ key in the body', '{"__proto__":{"x":1}}', '', 'body.__proto__'],
    ['9007199254740993', '{"n":9007199254740993}', '', 'body.n'],
    ['-0', '[-0]', '', 'body.0'],
    ['a lone surrogate in the sender', '"ok"', ',"sender":"\\ud800"', 'sender'],
  ])('rejects %s as invalid_envelope, naming the path', (_name, body, extra, path) => {
    const { accepted, rejected } = decodeBatch([sqsWithBody(body, extra)]);
    expect(accepted).toEqual([]);
    expect(rejected[0]).toMatchObject({ id: ID, tenant: 'acme', code: 'invalid_envelope' });
    expect(rejected[0]?.reason).toContain(`${path}: `);
  });

  it('rejects a __proto__ attribute key', () => {
    const message = sqsWithBody('"ok"');
    message.Body = message.Body?.replace('"attributes":{}', '"attributes":{"__proto__":"v"}');
    const { rejected } = decodeBatch([message]);
    expect(rejected[0]).toMatchObject({ code: 'invalid_envelope' });
    expect(rejected[0]?.reason).toContain('attributes.__proto__: ');
  });
});
