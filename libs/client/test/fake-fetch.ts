import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_STATUS,
  problemType,
  type ProblemCode,
} from '@herald/contracts';

export interface RecordedCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
}

type Answer = Response | Error | ((call: RecordedCall, signal: AbortSignal) => Promise<Response>);

/** A fetch that answers from a script, one answer per call, and records every call. */
export function scriptedFetch(answers: Answer[]): typeof fetch & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fake = async (input: string | URL | Request, init: RequestInit = {}) => {
    const call = {
      url: input instanceof Request ? input.url : input.toString(),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    calls.push(call);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected call ${call.method} ${call.url}`);
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function')
      return answer(call, init.signal ?? new AbortController().signal);
    return answer;
  };
  const typed: typeof fetch & { calls?: RecordedCall[] } = fake;
  typed.calls = calls;
  return typed as typeof fetch & { calls: RecordedCall[] };
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A problem document as the ingest writes it. */
export function problem(
  code: ProblemCode,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Response {
  const status = PROBLEM_STATUS[code];
  return new Response(
    JSON.stringify({
      type: problemType(code),
      title: code,
      status,
      detail: `detail of ${code}`,
      code,
      requestId: headers['x-request-id'] ?? 'req-from-server',
      ...extra,
    }),
    { status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers } },
  );
}

/** A fetch answer that never comes, until the request's signal aborts (like a hung server). */
export function hang(): (call: RecordedCall, signal: AbortSignal) => Promise<Response> {
  return (_call, signal) =>
    new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        reject(signal.reason as Error);
      });
    });
}

export const ACCEPTED = {
  id: '01936f0e-8a4b-7c3d-9e2f-0a1b2c3d4e5f',
  status: 'accepted',
  channel: 'orders',
  acceptedAt: '2026-12-01T20:00:00.000Z',
  replayed: false,
};
