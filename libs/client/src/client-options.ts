import { z } from 'zod';

const positiveMs = z.number().int('must be a whole number of ms').positive('must be > 0');

/** Options of {@link HeraldClient}, validated when it is built. */
export const heraldClientOptionsSchema = z.object({
  /** The ingest API, e.g. `http://127.0.0.1:3000` or `https://api.example.com/herald/`. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:3000' })
    .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  apiKey: z.string().min(1, 'must not be empty (an API key, e.g. from `herald keys create`)'),
  /** Per request; the last attempt is also cut by `retry.maxElapsedMs`. */
  timeoutMs: positiveMs.default(10_000),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1, 'must be ≥ 1 (1 disables retries)').default(5),
      maxElapsedMs: positiveMs.default(30_000),
      baseDelayMs: positiveMs.default(200),
      maxDelayMs: positiveMs.default(5_000),
    })
    .prefault({}),
  fetch: z.custom<typeof globalThis.fetch>((value) => typeof value === 'function').optional(),
  /** Uniform in [0, 1): the backoff jitter (tests pass a fixed one). */
  random: z.custom<() => number>((value) => typeof value === 'function').optional(),
});

/** What `new HeraldClient(…)` accepts (every field but `baseUrl` and `apiKey` has a default). */
export type HeraldClientOptions = z.input<typeof heraldClientOptionsSchema>;
export type ResolvedClientOptions = z.output<typeof heraldClientOptionsSchema>;

/** Thrown by the constructor for bad options; the message names each offending option. */
export class HeraldClientOptionsError extends Error {
  override readonly name = 'HeraldClientOptionsError';
}

export function resolveClientOptions(options: HeraldClientOptions): ResolvedClientOptions {
  const parsed = heraldClientOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new HeraldClientOptionsError(`invalid HeraldClient options: ${problems.join('; ')}`);
}
