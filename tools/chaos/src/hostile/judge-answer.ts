import type { HostileCase } from './hostile-case';
import type { RawOutcome } from './raw-http';

/** How one answer was judged, and what it acknowledged (ids with their expected stored form). */
export interface AnswerVerdict {
  readonly failure?: string;
  readonly accepted: readonly { id: string; index: number }[];
}

/** A 4xx application/problem+json whose `status` matches and that carries a `code`. */
export function problemError(
  outcome: Extract<RawOutcome, { kind: 'response' }>,
): string | undefined {
  if (outcome.status < 400 || outcome.status > 499) return `expected a 4xx, got ${outcome.status}`;
  if (!outcome.headers['content-type']?.startsWith('application/problem+json'))
    return `${outcome.status} without a problem document (content-type ${outcome.headers['content-type'] ?? 'absent'})`;
  try {
    const problem = JSON.parse(outcome.body) as { code?: unknown; status?: unknown };
    if (typeof problem.code !== 'string')
      return `${outcome.status} problem document without a code`;
    if (problem.status !== outcome.status)
      return `problem status ${String(problem.status)} ≠ HTTP ${outcome.status}`;
  } catch {
    return `${outcome.status} problem document is not JSON`;
  }
  return undefined;
}

function acceptedIds(
  outcome: Extract<RawOutcome, { kind: 'response' }>,
): { id: string; index: number }[] {
  try {
    const answer = JSON.parse(outcome.body) as {
      id?: string;
      results?: { index: number; status: string; id?: string }[];
    };
    if (typeof answer.id === 'string') return [{ id: answer.id, index: 0 }];
    return (answer.results ?? []).flatMap((result) =>
      result.status === 'accepted' && result.id ? [{ id: result.id, index: result.index }] : [],
    );
  } catch {
    return [];
  }
}

/** Judges one answer against its case's expectation (storage is judged later, on the ids). */
export function judgeAnswer(item: HostileCase, outcome: RawOutcome): AnswerVerdict {
  const fail = (failure: string): AnswerVerdict => ({ failure, accepted: [] });
  if (outcome.kind === 'timeout')
    return fail(`no answer within ${outcome.ms} ms: the connection was held open`);
  if (outcome.kind === 'closed')
    return item.expect === 'reject-or-close'
      ? { accepted: [] }
      : fail(`connection closed without an answer (${outcome.detail}) after ${outcome.ms} ms`);
  if (outcome.status >= 500)
    return fail(`answered ${outcome.status}: ${outcome.body.slice(0, 160)}`);
  const extra = item.check?.(outcome);
  if (extra) return fail(extra);
  if (outcome.status === 429 && item.expect !== 'reject')
    return fail('answered 429: the case was not exercised');
  switch (item.expect) {
    case 'reject': {
      const error = problemError(outcome);
      return error ? fail(error) : { accepted: [] };
    }
    case 'reject-or-close':
      return outcome.status >= 400 ? { accepted: [] } : fail(`accepted with ${outcome.status}`);
    case 'answered':
      return { accepted: [] };
    case 'faithful': {
      if (outcome.status === 202) return { accepted: acceptedIds(outcome) };
      const error = problemError(outcome);
      return error ? fail(error) : { accepted: [] };
    }
  }
}
