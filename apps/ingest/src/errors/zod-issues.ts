import type { z } from 'zod';
import type { FieldError } from './api-error';

const MAX_ERRORS = 50;
const MAX_SEGMENT = 128;

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: PropertyKey): string {
  // Keys come from untrusted input: echo a bounded part of a huge one.
  const text = String(segment);
  const bounded = text.length > MAX_SEGMENT ? `${text.slice(0, MAX_SEGMENT)}…` : text;
  return bounded.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A JSON pointer from a base pointer and path segments. */
export function jsonPointer(base: string, path: readonly PropertyKey[]): string {
  return base + path.map((segment) => `/${pointerSegment(segment)}`).join('');
}

/**
 * Every offending field of a zod error as a JSON pointer under `base`; an unknown key is
 * reported at its own path. Bounded, so junk input cannot make the answer huge.
 */
export function fieldErrors(error: z.ZodError, base = ''): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push({ path: jsonPointer(base, [...issue.path, key]), message: 'unknown field' });
    } else {
      errors.push({ path: jsonPointer(base, issue.path), message: issue.message });
    }
  }
  return errors.slice(0, MAX_ERRORS);
}

/** One line naming every offending field, for logs and batch entry results. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.path || '(body)'}: ${error.message}`).join('; ');
}
