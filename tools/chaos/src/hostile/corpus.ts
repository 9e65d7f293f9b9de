import fc from 'fast-check';
import type { HostileCase, StoredExpectation } from './hostile-case';
import { abortMidBody, drip, httpRequest } from './raw-http';
import { generatedCases } from './generated';

export interface CorpusKeys {
  /** A write+read key of the tenant under attack. */
  readonly key: string;
  /** A message id of another tenant (must answer 404: docs/invariants.md#7). */
  readonly otherTenantMessageId: string;
  readonly revokedKey: string;
  readonly seed: number;
  readonly generated: number;
  /** Bound for slow requests: the server must answer or close before this. */
  readonly slowBoundMs: number;
}

const json = (key: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
  ...extra,
});

/** A POST /v1/messages whose JSON text is given verbatim. */
export function postText(key: string, text: string | Buffer, headers: Record<string, string> = {}) {
  return httpRequest({
    method: 'POST',
    path: '/v1/messages',
    headers: json(key, headers),
    body: text,
  });
}

function message(
  id: string,
  kind: string,
  key: string,
  text: string,
  stored: StoredExpectation | undefined,
  defect?: number,
): HostileCase {
  return {
    id,
    kind,
    ...(defect === undefined ? {} : { defect }),
    request: postText(key, text),
    expect: stored ? 'faithful' : 'reject',
    ...(stored ? { stored } : {}),
  };
}

/** The corpus: hand-written cases for every class of issue 9, then `generated` seeded ones. */
export function buildCorpus(keys: CorpusKeys): HostileCase[] {
  const { key } = keys;
  const cases: HostileCase[] = [
    ...valueCases(key),
    ...protocolCases(key),
    ...authCases(keys),
    ...pathCases(keys),
    ...cursorCases(key),
    ...slowCases(keys),
    ...generatedCases(key, keys.seed, keys.generated),
  ];
  const ids = new Set<string>();
  for (const item of cases) {
    if (ids.has(item.id)) throw new Error(`duplicate hostile case id ${item.id}`);
    ids.add(item.id);
  }
  return cases;
}

function valueCases(key: string): HostileCase[] {
  const m = (
    id: string,
    kind: string,
    text: string,
    stored: StoredExpectation | undefined,
    defect?: number,
  ) => message(id, kind, key, text, stored, defect);
  const body = (value: string) => `{"channel":"hostile","body":${value}}`;
  return [
    m('null-body', 'null', body('null'), { body: null }, 1),
    m('inf-body', 'number', body('1e400'), { bodyTextIncludes: '1'.padEnd(401, '0') }, 1),
    m('neg-inf-body', 'number', body('-1e400'), { bodyTextIncludes: '-1'.padEnd(402, '0') }, 1),
    m('nested-null', 'null', body('{"a":null,"b":[null]}'), { body: { a: null, b: [null] } }),
    m('lone-high-surrogate', 'surrogate', body('"\\ud800"'), { body: '\ud800' }, 2),
    m('lone-low-surrogate', 'surrogate', body('"\\udfff"'), { body: '\udfff' }, 2),
    m('surrogate-in-key', 'surrogate', body('{"\\ud800":1}'), { body: { '\ud800': 1 } }, 2),
    m(
      'surrogate-in-nested',
      'surrogate',
      body('{"a":["x\\udbff"]}'),
      { body: { a: ['x\udbff'] } },
      2,
    ),
    m(
      'surrogate-attribute',
      'surrogate',
      '{"channel":"hostile","body":1,"attributes":{"k":"\\ud800"}}',
      { attributes: { k: '\ud800' } },
      2,
    ),
    m(
      'surrogate-sender',
      'surrogate',
      '{"channel":"hostile","body":1,"sender":"\\udc00"}',
      { body: 1 },
      2,
    ),
    m('surrogate-channel', 'surrogate', '{"channel":"a\\ud800","body":1}', undefined),
    m('valid-pair', 'surrogate', body('"\\ud83d\\ude00"'), { body: '😀' }),
    m(
      'proto-key',
      'proto',
      body('{"__proto__":{"polluted":true},"x":1}'),
      { bodyTextIncludes: '"__proto__"' },
      3,
    ),
    m(
      'proto-nested',
      'proto',
      body('{"a":{"__proto__":[]}}'),
      { bodyTextIncludes: '"__proto__"' },
      3,
    ),
    m(
      'proto-attribute-key',
      'proto',
      '{"channel":"hostile","body":1,"attributes":{"__proto__":"x"}}',
      undefined,
      3,
    ),
    m('constructor-key', 'proto', body('{"constructor":{"prototype":{"x":1}}}'), {
      body: { constructor: { prototype: { x: 1 } } },
    }),
    m(
      'two-pow-64',
      'number',
      body('18446744073709551616'),
      { bodyTextIncludes: '18446744073709551616' },
      3,
    ),
    m(
      'unsafe-int',
      'number',
      body('9007199254740993'),
      { bodyTextIncludes: '9007199254740993' },
      3,
    ),
    m('negative-zero', 'number', body('-0'), { body: -0 }, 3),
    m('underflow', 'number', body('1e-400'), { bodyTextIncludes: `0.${'0'.repeat(399)}1` }, 3),
    m(
      'many-digits',
      'number',
      body('0.1000000000000000055511151231257827'),
      { bodyTextIncludes: '0.1000000000000000055511151231257827' },
      3,
    ),
    m('nul-in-body', 'nul', body('"a\\u0000b"'), { body: 'a\u0000b' }),
    m('nul-in-key', 'nul', body('{"a\\u0000":1}'), { body: { 'a\u0000': 1 } }),
    m('nul-in-channel', 'nul', '{"channel":"a\\u0000","body":1}', undefined),
    m('nul-in-attribute', 'nul', '{"channel":"hostile","body":1,"attributes":{"k":"\\u0000"}}', {
      attributes: { k: '\u0000' },
    }),
    m('deep-array', 'depth', body('['.repeat(100_000) + ']'.repeat(100_000)), undefined),
    m('deep-object', 'depth', body('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)), undefined),
    m(
      'wide-object',
      'width',
      body(`{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`),
      { body: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) },
    ),
    m('body-at-limit', 'size', body(JSON.stringify('x'.repeat(256 * 1024 - 2))), {
      body: 'x'.repeat(256 * 1024 - 2),
    }),
    m('body-over-limit', 'size', body(JSON.stringify('x'.repeat(256 * 1024 + 10))), undefined),
    m('duplicate-keys', 'json', '{"channel":"hostile","channel":"hostile2","body":1}', {
      channel: 'hostile2',
      body: 1,
    }),
    m('trailing-garbage', 'json', `${body('1')}xyz`, undefined),
    m('empty-text', 'json', '', undefined),
    m('top-null', 'json', 'null', undefined),
    m('top-array', 'json', '[]', undefined),
    m('top-string', 'json', '"x"', undefined),
    m('unknown-field', 'json', '{"channel":"hostile","body":1,"extra":1}', undefined),
    m('bad-priority', 'json', '{"channel":"hostile","body":1,"priority":"urgent"}', undefined),
    m('attribute-number', 'json', '{"channel":"hostile","body":1,"attributes":{"k":1}}', undefined),
    m(
      'too-many-attributes',
      'json',
      JSON.stringify({
        channel: 'hostile',
        body: 1,
        attributes: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])),
      }),
      undefined,
    ),
    m('channel-too-long', 'json', JSON.stringify({ channel: 'c'.repeat(129), body: 1 }), undefined),
    m('channel-slash', 'traversal', JSON.stringify({ channel: '../etc', body: 1 }), undefined),
    m('missing-body', 'json', '{"channel":"hostile"}', undefined),
    {
      id: 'bom-prefix',
      kind: 'json',
      request: postText(
        key,
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body('1'))]),
      ),
      expect: 'faithful',
      stored: { body: 1 },
    },
    ...batchCases(key),
  ];
}

function batchCases(key: string): HostileCase[] {
  const post = (text: string) =>
    httpRequest({ method: 'POST', path: '/v1/messages/batch', headers: json(key), body: text });
  const entries = (bodies: string[]) =>
    `{"messages":[${bodies.map((value) => `{"channel":"hostile","body":${value}}`).join(',')}]}`;
  return [
    {
      id: 'batch-surrogates',
      kind: 'surrogate',
      defect: 2,
      request: post(entries(['"\\ud800"', '"\\udbff"', '{"\\udc00":1}', '["\\udfff"]'])),
      expect: 'faithful',
      stored: [
        { body: '\ud800' },
        { body: '\udbff' },
        { body: { '\udc00': 1 } },
        { body: ['\udfff'] },
      ],
    },
    {
      id: 'batch-nulls',
      kind: 'null',
      defect: 1,
      request: post(entries(['null', '1e400', '1'])),
      expect: 'faithful',
      stored: [{ body: null }, { bodyTextIncludes: '1'.padEnd(401, '0') }, { body: 1 }],
    },
    {
      id: 'batch-mixed',
      kind: 'batch',
      request: post(
        `{"messages":[{"channel":"hostile","body":1},{"channel":"","body":2},{"channel":"hostile","body":"x"}]}`,
      ),
      expect: 'faithful',
      stored: [{ body: 1 }, undefined, { body: 'x' }],
    },
    { id: 'batch-empty', kind: 'batch', request: post('{"messages":[]}'), expect: 'reject' },
    {
      id: 'batch-101',
      kind: 'batch',
      request: post(entries(Array.from({ length: 101 }, () => '1'))),
      expect: 'reject',
    },
    {
      id: 'batch-idempotency-key',
      kind: 'batch',
      request: httpRequest({
        method: 'POST',
        path: '/v1/messages/batch',
        headers: json(key, { 'idempotency-key': 'k1' }),
        body: entries(['1']),
      }),
      expect: 'reject',
    },
    {
      id: 'batch-not-array',
      kind: 'batch',
      request: post('{"messages":{"0":{"channel":"a","body":1}}}'),
      expect: 'reject',
    },
  ];
}

function protocolCases(key: string): HostileCase[] {
  const good = '{"channel":"hostile","body":"ok"}';
  const ct = (id: string, type: string | undefined, expect: 'reject' | 'faithful') => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (type !== undefined) headers['content-type'] = type;
    return {
      id,
      kind: 'content-type',
      request: httpRequest({ method: 'POST', path: '/v1/messages', headers, body: good }),
      expect,
      ...(expect === 'faithful' ? { stored: { body: 'ok' } } : {}),
    } satisfies HostileCase;
  };
  const raw = (id: string, kind: string, request: Buffer, defect?: number): HostileCase => ({
    id,
    kind,
    ...(defect === undefined ? {} : { defect }),
    request,
    expect: 'reject-or-close',
  });
  const invalidUtf8 = (bytes: number[]) =>
    Buffer.concat([
      Buffer.from('{"channel":"hostile","body":"a'),
      Buffer.from(bytes),
      Buffer.from('"}'),
    ]);
  return [
    ct('ct-missing', undefined, 'reject'),
    ct('ct-text-plain', 'text/plain', 'reject'),
    ct('ct-form', 'application/x-www-form-urlencoded', 'reject'),
    ct('ct-multipart', 'multipart/form-data; boundary=x', 'reject'),
    ct('ct-json-suffix', 'application/jsonx', 'reject'),
    ct('ct-json-seq', 'application/json-seq', 'reject'),
    ct('ct-utf16', 'application/json; charset=utf-16', 'reject'),
    ct('ct-list', 'application/json, text/plain', 'reject'),
    ct('ct-upper', 'APPLICATION/JSON', 'faithful'),
    ct('ct-charset-utf8', 'application/json; charset=utf-8', 'faithful'),
    ct('ct-problem-json', 'application/problem+json', 'reject'),
    {
      id: 'invalid-utf8-ff',
      kind: 'utf8',
      request: postText(key, invalidUtf8([0xff, 0xfe])),
      expect: 'reject',
    },
    {
      id: 'invalid-utf8-overlong',
      kind: 'utf8',
      request: postText(key, invalidUtf8([0xc0, 0xaf])),
      expect: 'reject',
    },
    {
      id: 'invalid-utf8-cesu-surrogate',
      kind: 'utf8',
      request: postText(key, invalidUtf8([0xed, 0xa0, 0x80])),
      expect: 'reject',
    },
    {
      id: 'invalid-utf8-truncated',
      kind: 'utf8',
      request: postText(key, invalidUtf8([0xe2, 0x82])),
      expect: 'reject',
    },
    {
      id: 'raw-nul-byte',
      kind: 'nul',
      request: postText(key, invalidUtf8([0x00])),
      expect: 'reject',
    },
    {
      id: 'utf8-in-header',
      kind: 'header',
      request: Buffer.concat([
        Buffer.from(
          `POST /v1/messages HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\nx-name: `,
        ),
        Buffer.from('é\u0000', 'utf8'),
        Buffer.from(`\r\ncontent-length: ${good.length}\r\n\r\n${good}`),
      ]),
      expect: 'reject-or-close',
    },
    raw(
      'bare-cr-header',
      'crlf',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key),
        rawHeaderLines: ['x-a: a\rb'],
        body: good,
      }),
    ),
    raw(
      'bare-lf-header',
      'crlf',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key),
        rawHeaderLines: ['x-a: a\nx-b: b'],
        body: good,
      }),
    ),
    raw(
      'obs-fold-header',
      'crlf',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key),
        rawHeaderLines: ['x-a: a', ' folded'],
        body: good,
      }),
    ),
    raw(
      'crlf-in-idempotency-key',
      'crlf',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key),
        rawHeaderLines: ['idempotency-key: a\r\n\r'],
        body: good,
      }),
    ),
    raw(
      'header-64kb',
      'size',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key, { 'x-big': 'a'.repeat(64 * 1024) }),
        body: good,
      }),
    ),
    raw(
      'many-headers',
      'size',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key),
        rawHeaderLines: Array.from({ length: 3_000 }, (_, i) => `x-h${i}: v`),
        body: good,
      }),
    ),
    raw(
      'body-10mb',
      'size',
      postText(key, `{"channel":"hostile","body":"${'x'.repeat(10 * 1024 * 1024)}"}`),
    ),
    raw(
      'body-10mb-chunked',
      'size',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key, { 'transfer-encoding': 'chunked' }),
        body: chunked(`{"channel":"hostile","body":"${'y'.repeat(10 * 1024 * 1024)}"}`),
      }),
    ),
    raw(
      'length-and-chunked',
      'smuggling',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key, { 'content-length': '5', 'transfer-encoding': 'chunked' }),
        body: chunked(good),
      }),
    ),
    raw(
      'negative-length',
      'smuggling',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key, { 'content-length': '-1' }),
        body: good,
      }),
    ),
    raw(
      'two-lengths',
      'smuggling',
      httpRequest({
        method: 'POST',
        path: '/v1/messages',
        headers: json(key),
        rawHeaderLines: ['content-length: 3'],
        body: good,
      }),
    ),
    raw('http-0.9', 'protocol', Buffer.from('GET /v1/messages\r\n\r\n')),
    raw(
      'garbage-request-line',
      'protocol',
      Buffer.from('\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003', 'latin1'),
    ),
    {
      id: 'method-delete',
      kind: 'method',
      defect: 9,
      request: httpRequest({ method: 'DELETE', path: '/v1/messages', headers: json(key) }),
      expect: 'reject',
      check: statusIs(405, 'allow'),
    },
    {
      id: 'method-put-message',
      kind: 'method',
      defect: 9,
      request: httpRequest({
        method: 'PUT',
        path: '/v1/messages/batch',
        headers: json(key),
        body: good,
      }),
      expect: 'reject',
      check: statusIs(405, 'allow'),
    },
    {
      id: 'method-trace',
      kind: 'method',
      request: httpRequest({ method: 'TRACE', path: '/v1/messages', headers: json(key) }),
      expect: 'reject-or-close',
    },
    {
      id: 'nosniff',
      kind: 'headers',
      defect: 9,
      request: postText(key, '{'),
      expect: 'reject',
      check: headerIs('x-content-type-options', 'nosniff'),
    },
  ];
}

function authCases(keys: CorpusKeys): HostileCase[] {
  const good = '{"channel":"hostile","body":1}';
  const auth = (id: string, authorization: string | undefined): HostileCase => ({
    id,
    kind: 'auth',
    request: httpRequest({
      method: 'POST',
      path: '/v1/messages',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: good,
    }),
    expect: 'reject',
    check: statusIn([401, 429]),
  });
  return [
    auth('auth-missing', undefined),
    auth('auth-empty-bearer', 'Bearer '),
    auth('auth-basic', 'Basic dXNlcjpwYXNz'),
    auth('auth-revoked', `Bearer ${keys.revokedKey}`),
    auth('auth-10kb-token', `Bearer hk_${'a'.repeat(10 * 1024)}`),
    auth('auth-lowercase-scheme', `bearer hk_${'b'.repeat(40)}`),
    auth('auth-two-tokens', `Bearer ${keys.key} ${keys.key}`),
    auth('auth-key-with-suffix', `Bearer ${keys.key}x`),
    {
      ...auth('auth-revoked-read', undefined),
      id: 'auth-revoked-read',
      request: httpRequest({
        method: 'GET',
        path: `/v1/messages/${keys.otherTenantMessageId}`,
        headers: { authorization: `Bearer ${keys.revokedKey}` },
      }),
    },
    ...Array.from({ length: 50 }, (_, index) =>
      auth(
        `auth-unknown-${index}`,
        `Bearer hk_${fc.sample(fc.stringMatching(/^[A-Za-z0-9_-]{40}$/), { seed: keys.seed + index, numRuns: 1 })[0] ?? ''}`,
      ),
    ),
  ];
}

function pathCases(keys: CorpusKeys): HostileCase[] {
  const get = (
    id: string,
    kind: string,
    path: string,
    check?: HostileCase['check'],
  ): HostileCase => ({
    id,
    kind,
    request: httpRequest({ method: 'GET', path, headers: { authorization: `Bearer ${keys.key}` } }),
    expect: 'reject',
    ...(check ? { check } : {}),
  });
  return [
    get('other-tenant-id', 'tenant', `/v1/messages/${keys.otherTenantMessageId}`, statusIs(404)),
    get(
      'other-tenant-id-upper',
      'tenant',
      `/v1/messages/${keys.otherTenantMessageId.toUpperCase()}`,
    ),
    get('traversal-encoded', 'traversal', '/v1/messages/..%2F..%2Fetc%2Fpasswd'),
    get('traversal-plain', 'traversal', '/v1/messages/../../etc/passwd'),
    get('traversal-dots', 'traversal', '/v1/messages/%2e%2e'),
    get('traversal-backslash', 'traversal', '/v1/messages/..%5c..%5cwindows'),
    get('traversal-double-encoded', 'traversal', '/v1/messages/%252e%252e%252f'),
    get('id-nul', 'traversal', '/v1/messages/00000000-0000-7000-8000-000000000000%00'),
    get('id-10kb', 'size', `/v1/messages/${'a'.repeat(10 * 1024)}`),
    get('id-sql', 'traversal', "/v1/messages/'%20or%201=1--"),
    get('channel-traversal', 'traversal', '/v1/channels/..%2F..%2Fadmin/messages'),
    get('history-channel-too-long', 'size', `/v1/channels/${'c'.repeat(300)}/messages`),
    get('history-limit-zero', 'query', '/v1/channels/hostile/messages?limit=0'),
    get('history-limit-negative', 'query', '/v1/channels/hostile/messages?limit=-1'),
    get('history-limit-huge', 'query', '/v1/channels/hostile/messages?limit=1e400'),
    get('history-limit-text', 'query', '/v1/channels/hostile/messages?limit=abc'),
    get('history-unknown-param', 'query', '/v1/channels/hostile/messages?admin=1'),
    get('unknown-route', 'path', '/v1/admin'),
    get('docs-traversal', 'traversal', '/docs/..%2F..%2Fpackage.json'),
    {
      id: 'history-cache-control',
      kind: 'headers',
      defect: 9,
      request: httpRequest({
        method: 'GET',
        path: '/v1/channels/hostile/messages',
        headers: { authorization: `Bearer ${keys.key}` },
      }),
      expect: 'answered',
      check: headerMatches('cache-control', /no-store|private/),
    },
  ];
}

function cursorCases(key: string): HostileCase[] {
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const cursor = (id: string, value: string, defect?: number): HostileCase => ({
    id,
    kind: 'cursor',
    ...(defect === undefined ? {} : { defect }),
    request: httpRequest({
      method: 'GET',
      path: `/v1/channels/hostile/messages?cursor=${value}`,
      headers: { authorization: `Bearer ${key}` },
    }),
    expect: 'reject',
  });
  const uuid = '01a23318-b289-7385-baef-bd03e2a78fb3';
  return [
    cursor('cursor-issue-9', encode(`v1|999999999999999|${uuid}`), 4),
    cursor('cursor-negative-time', encode(`v1|-999999999999999|${uuid}`), 4),
    cursor('cursor-exponent-time', encode(`v1|1e400|${uuid}`), 4),
    cursor('cursor-fraction-time', encode(`v1|1.5|${uuid}`), 4),
    cursor('cursor-not-uuid', encode('v1|1700000000000|not-a-uuid')),
    cursor('cursor-v2', encode(`v2|1700000000000|${uuid}`)),
    cursor('cursor-extra-field', encode(`v1|1700000000000|${uuid}|x`)),
    cursor('cursor-empty', ''),
    cursor('cursor-not-base64', '!!!***'),
    cursor('cursor-nul', encode(`v1|1700000000000|${uuid}\u0000`)),
    cursor(
      'cursor-surrogate',
      encodeURIComponent(Buffer.from('v1|\ud800|x').toString('base64url')),
    ),
    cursor('cursor-too-long', 'A'.repeat(201)),
    cursor('cursor-sql', encode(`v1|1700000000000|${uuid}' or '1'='1`)),
  ];
}

function slowCases(keys: CorpusKeys): HostileCase[] {
  const good = '{"channel":"hostile","body":"slow"}';
  const head = (length: number) =>
    Buffer.from(
      `POST /v1/messages HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: Bearer ${keys.key}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`,
    );
  const bound = keys.slowBoundMs;
  return [
    {
      id: 'drip-body',
      kind: 'slow',
      defect: 6,
      request: drip(
        head(good.length + 10_000),
        Buffer.from(good.padEnd(good.length + 10_000, ' ')),
        1_000,
        bound + 5_000,
      ),
      expect: 'reject-or-close',
      timeoutMs: bound,
    },
    {
      id: 'drip-headers',
      kind: 'slow',
      defect: 6,
      request: drip(
        Buffer.from('POST /v1/messages HTTP/1.1\r\n'),
        Buffer.from('x-slow: '.padEnd(4_000, 'a')),
        1_000,
        bound + 5_000,
      ),
      expect: 'reject-or-close',
      timeoutMs: bound,
    },
    {
      id: 'stalled-body',
      kind: 'slow',
      defect: 6,
      request: async (socket) => {
        socket.write(Buffer.concat([head(1_000), Buffer.from('{"channel":')]));
        await new Promise((done) => socket.once('close', done));
      },
      expect: 'reject-or-close',
      timeoutMs: bound,
    },
    {
      id: 'abort-mid-body',
      kind: 'abort',
      defect: 8,
      request: abortMidBody(head(5_000), Buffer.from('{"channel":"hostile","body":"')),
      expect: 'reject-or-close',
      timeoutMs: 5_000,
    },
  ];
}

function chunked(text: string): Buffer {
  const data = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 64 * 1024) {
    const piece = data.subarray(offset, offset + 64 * 1024);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function statusIs(status: number, header?: string): HostileCase['check'] {
  return (outcome) => {
    if (outcome.kind !== 'response') return undefined;
    if (outcome.status !== status) return `expected ${status}, got ${outcome.status}`;
    if (header && outcome.headers[header] === undefined) return `no ${header} header`;
    return undefined;
  };
}

function headerIs(name: string, value: string): HostileCase['check'] {
  return headerMatches(name, new RegExp(`^${value}$`, 'i'));
}

function headerMatches(name: string, pattern: RegExp): HostileCase['check'] {
  return (outcome) => {
    if (outcome.kind !== 'response') return undefined;
    const actual = outcome.headers[name];
    return actual !== undefined && pattern.test(actual)
      ? undefined
      : `${name}: ${actual ?? '(absent)'}, expected ${String(pattern)}`;
  };
}

function statusIn(statuses: readonly number[]): HostileCase['check'] {
  return (outcome) =>
    outcome.kind !== 'response' || statuses.includes(outcome.status)
      ? undefined
      : `expected ${statuses.join(' or ')}, got ${outcome.status}`;
}
