import type { RawOutcome, RawRequest } from './raw-http';

/**
 * What a hostile request may get back:
 * - `reject`: a 4xx problem document (application/problem+json with `code`).
 * - `reject-or-close`: any 4xx, or a closed connection (oversized and slow requests; Node's
 *   own parser answers some of them before the app sees anything).
 * - `faithful`: a 4xx problem document, or 202 and then stored by the worker unchanged.
 * - `answered`: anything but a 5xx, a reset or a hang (valid-looking reads).
 */
export type Expectation = 'reject' | 'reject-or-close' | 'faithful' | 'answered';

/** What a faithful 202 must be stored as (compared with PostgreSQL's copy). */
export interface StoredExpectation {
  readonly body?: unknown;
  readonly attributes?: Record<string, string>;
  readonly channel?: string;
  /** Text that must appear in body::text (numbers JSON.parse would round). */
  readonly bodyTextIncludes?: string;
}

export interface HostileCase {
  /** Stable within a seed: names the request in a failure. */
  readonly id: string;
  /** The class of input (null, surrogate, proto, traversal…), for the summary. */
  readonly kind: string;
  /** Issue 9's defect this case reproduced (all fixed): a failure names it as a regression. */
  readonly defect?: number;
  readonly request: RawRequest;
  readonly expect: Expectation;
  /** For faithful single posts; batch entries are matched by index. */
  readonly stored?: StoredExpectation | readonly (StoredExpectation | undefined)[];
  /** An extra check of the answer; returns why it fails. */
  readonly check?: (outcome: RawOutcome) => string | undefined;
  readonly timeoutMs?: number;
}
