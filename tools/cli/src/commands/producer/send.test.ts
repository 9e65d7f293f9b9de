import { PROBLEM_STATUS, type ProblemCode } from '@herald/contracts';
import { describe, expect, it } from 'vitest';
import { fakeFetch, jsonResponse, runCommand, type FetchCall } from '../../../test/run-command';
import { sendCommand } from './send';

const ID = '01936f0e-8a4b-7c3d-9e2f-0a1b2c3d4e5f';

function problem(code: ProblemCode, detail = `detail of ${code}`) {
  return jsonResponse(PROBLEM_STATUS[code], {
    type: 'x',
    title: code,
    status: PROBLEM_STATUS[code],
    detail,
    code,
    requestId: 'req-9',
  });
}

/** Answers a batch as the ingest does: every entry whose body is not "bad" is accepted. */
function batchServer(call: FetchCall): Response {
  const { messages } = call.body as { messages: { channel: string; body: unknown }[] };
  const results = messages.map((message, index) =>
    message.body === 'bad'
      ? {
          index,
          status: 'rejected',
          code: 'validation_failed',
          detail: '/body: bad',
          retryable: false,
        }
      : {
          index,
          status: 'accepted',
          id: `id-${String(message.body)}`,
          channel: message.channel,
          acceptedAt: '2026-12-01T00:00:00.000Z',
          replayed: false,
        },
  );
  const accepted = results.filter((result) => result.status === 'accepted').length;
  return jsonResponse(202, { accepted, rejected: results.length - accepted, results });
}

describe('herald send', () => {
  it('sends one message from arguments and prints its id', async () => {
    const fetch = fakeFetch(() =>
      jsonResponse(202, {
        id: ID,
        status: 'accepted',
        channel: 'orders',
        acceptedAt: '2026-12-01T00:00:00.000Z',
        replayed: false,
      }),
    );
    const result = await runCommand(
      sendCommand,
      [
        'orders',
        '{"orderId":42}',
        '-p',
        'critical',
        '-a',
        'region=eu',
        '-a',
        'k=v=w',
        '-k',
        'order-42',
      ],
      { fetch },
    );
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe(`${ID}\n`);
    const [call] = fetch.calls;
    expect(call?.url.href).toBe('http://127.0.0.1:3999/v1/messages');
    expect(call?.headers.get('authorization')).toBe('Bearer hk_test');
    expect(call?.headers.get('idempotency-key')).toBe('order-42');
    expect(call?.body).toEqual({
      channel: 'orders',
      body: { orderId: 42 },
      priority: 'critical',
      attributes: { region: 'eu', k: 'v=w' },
    });
  });

  it('sends the body as text with --text, and prints the answer with --json', async () => {
    const answer = {
      id: ID,
      status: 'accepted',
      channel: 'c',
      acceptedAt: '2026-12-01T00:00:00.000Z',
      replayed: false,
    };
    const fetch = fakeFetch(() => jsonResponse(202, answer));
    const result = await runCommand(
      sendCommand,
      ['c', '42', '--text', '--json', '--api-url', 'http://h:1', '--api-key', 'k2'],
      { fetch },
    );
    expect(JSON.parse(result.stdout)).toEqual(answer);
    expect(fetch.calls[0]?.body).toEqual({ channel: 'c', body: '42' });
    expect(fetch.calls[0]?.url.origin).toBe('http://h:1');
    expect(fetch.calls[0]?.headers.get('authorization')).toBe('Bearer k2');
  });

  it('batches NDJSON lines from stdin, prints ids in order and reports bad lines by number', async () => {
    const lines = [
      ...Array.from({ length: 150 }, (_, i) => JSON.stringify({ body: i })),
      'not json',
      JSON.stringify({ body: 'bad' }),
      '',
      JSON.stringify({ channel: 'other', body: 'last' }),
    ].join('\n');
    const fetch = fakeFetch(batchServer);
    const result = await runCommand(sendCommand, ['--channel', 'orders'], { stdin: lines, fetch });
    // 100 lines per request; the stdin reader sends as it reads.
    expect(
      fetch.calls.map((call) => (call.body as { messages: unknown[] }).messages.length),
    ).toEqual([100, 52]);
    expect(result.stdout.trim().split('\n')).toEqual([
      ...Array.from({ length: 150 }, (_, i) => `id-${i}`),
      'id-last',
    ]);
    expect(result.stderr).toContain('line 151: invalid_line: not JSON\n');
    expect(result.stderr).toContain('line 152: validation_failed: /body: bad\n');
    expect(String(result.error)).toMatch(/2 of 153 messages were not accepted/);
    expect(
      (fetch.calls[1]?.body as { messages: { channel: string }[] }).messages.at(-1)?.channel,
    ).toBe('other');
  });

  it('prints one JSON result per line with --json', async () => {
    const fetch = fakeFetch(batchServer);
    const result = await runCommand(sendCommand, ['--json'], {
      stdin: '{"channel":"c","body":1}\n{"body":2}\n',
      fetch,
    });
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      expect.objectContaining({ line: 1, status: 'accepted', id: 'id-1' }),
      {
        line: 2,
        status: 'rejected',
        code: 'invalid_line',
        detail: 'no "channel" (or pass --channel)',
        retryable: false,
      },
    ]);
    expect(fetch.calls).toHaveLength(1);
  });

  it('draws a progress bar on stderr only when stdout is a terminal', async () => {
    const stdin = '{"channel":"c","body":1}\n{"channel":"c","body":2}\n';
    const piped = await runCommand(sendCommand, [], { stdin, fetch: fakeFetch(batchServer) });
    expect(piped.stderr).toBe('');
    const terminal = await runCommand(sendCommand, [], {
      stdin,
      fetch: fakeFetch(batchServer),
      stdoutIsTTY: true,
    });
    expect(terminal.stderr).toMatch(/sending \[.*\] 2\/2/);
    expect(terminal.stdout).toBe('id-1\nid-2\n');
  });

  it('throws the API error itself when nothing was accepted', async () => {
    const fetch = fakeFetch(() => problem('unauthorized', 'unknown API key'));
    const result = await runCommand(sendCommand, [], {
      stdin: '{"channel":"c","body":1}\n',
      fetch,
    });
    expect(result.error).toMatchObject({
      name: 'HeraldApiError',
      code: 'unauthorized',
      status: 401,
    });
    expect(String(result.error)).toContain('401 unauthorized: unknown API key [request req-9]');
  });

  it('refuses to wait on a terminal, or to run without a key', async () => {
    expect(String((await runCommand(sendCommand, [])).error)).toMatch(
      /nothing to send: give <channel> <body>, or pipe NDJSON/,
    );
    expect(String((await runCommand(sendCommand, ['c'])).error)).toMatch(/missing <body>/);
    expect(String((await runCommand(sendCommand, ['c', 'b'], { env: {} })).error)).toMatch(
      /no API key: set HERALD_API_KEY or pass --api-key/,
    );
    expect(String((await runCommand(sendCommand, ['c', 'b', '-a', 'novalue'])).error)).toMatch(
      /--attr novalue: expected key=value/,
    );
    expect(String((await runCommand(sendCommand, ['-k', 'x'], { stdin: '{}' })).error)).toMatch(
      /--idempotency-key needs <channel> <body>/,
    );
  });

  it('rejects an unknown priority through commander', async () => {
    const result = await runCommand(sendCommand, ['c', 'b', '-p', 'urgent']);
    expect(result.stderr).toMatch(/Allowed choices are low, normal, high, critical/);
  });

  it('has --help with examples', async () => {
    const result = await runCommand(sendCommand, ['--help']);
    expect(result.stdout).toContain('Usage: send [options] [channel] [body]');
    expect(result.stdout).toContain('--idempotency-key <key>');
    expect(result.stdout).toContain('cat messages.ndjson | herald send');
  });
});
