/**
 * The one "storable JSON value" check (docs/invariants.md#6, the converse): what the API accepts, the
 * worker can store in PostgreSQL and read back unchanged. Both the ingest's validation (through
 * the schemas in `message.ts`) and the worker's envelope check (`parseEnvelope`) use it, so the
 * two sides cannot disagree.
 *
 * Refused, each with the path of the offending value:
 * - numbers a 64-bit float cannot hold exactly as written: 2^64, 9007199254740993, 1e400
 *   (Infinity), 1e-400 (0), 0.1000000000000000000001, and -0 (PostgreSQL has no negative zero);
 * - strings and keys with a lone UTF-16 surrogate (not UTF-8, PostgreSQL refuses them) or NUL;
 * - `__proto__` keys (JavaScript objects cannot carry one through a copy: it would vanish).
 * A number is stored by value, so `1.0` and `1e2` read back as `1` and `100`.
 */

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

export interface StorableIssue {
  readonly path: JsonPath;
  readonly message: string;
}

/**
 * What `parseStorableJson` leaves in place of a number literal that would not read back as
 * written, so a schema check can refuse it at its own path (one batch entry, not the batch).
 */
export class InexactNumber {
  constructor(
    /** The literal as written (bounded). */
    readonly literal: string,
    /** What JavaScript (and so the stored copy) would make of it. */
    readonly parsed: number,
  ) {}

  toJSON(): number {
    return this.parsed;
  }
}

// With the `u` flag a well-formed pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Why a string cannot be stored unchanged, if it cannot. */
export function unstorableStringReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value))
    return 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)';
  return undefined;
}

/** Why a number cannot be stored unchanged, if it cannot. */
function unstorableNumberReason(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Object.is(value, -0)) return 'must not be -0 (it would be stored as 0)';
  return undefined;
}

/**
 * The first value inside `value` that cannot be stored unchanged, with its path, or undefined.
 * `value` is what `parseStorableJson` (or `JSON.parse`) returned: own keys only, no prototype.
 */
export function findUnstorable(value: unknown, path: JsonPath = []): StorableIssue | undefined {
  if (typeof value === 'string') {
    const message = unstorableStringReason(value);
    return message === undefined ? undefined : { path, message };
  }
  if (typeof value === 'number') {
    const message = unstorableNumberReason(value);
    return message === undefined ? undefined : { path, message };
  }
  if (typeof value === 'boolean' || value === null) return undefined;
  if (value instanceof InexactNumber) {
    return {
      path,
      message: `must be a number a 64-bit float holds exactly: ${value.literal} would be stored as ${String(value.parsed)}`,
    };
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const issue = findUnstorable(value[index], [...path, index]);
      if (issue) return issue;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const keyPath = [...path, key];
      if (key === '__proto__') return { path: keyPath, message: 'the key __proto__ is refused' };
      const keyReason = unstorableStringReason(key);
      if (keyReason !== undefined) return { path: keyPath, message: `key ${keyReason}` };
      const issue = findUnstorable((value as Record<string, unknown>)[key], keyPath);
      if (issue) return issue;
    }
    return undefined;
  }
  return { path, message: 'must be a JSON value' };
}

/**
 * `JSON.parse`, except that each number literal that would not read back as written becomes an
 * `InexactNumber` for `findUnstorable` to refuse where it stands. Throws a SyntaxError exactly
 * when `JSON.parse` does.
 */
export function parseStorableJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const inexact = findInexactNumbers(text);
  if (inexact.length === 0) return value;
  for (const { path, literal, parsed } of inexact) replaceAt(value, path, literal, parsed);
  return value;
}

function replaceAt(root: unknown, path: JsonPath, literal: string, parsed: number): void {
  let container = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1))
    container = container[segment] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) return;
  // A duplicated key keeps only its last value (JSON.parse does the same): leave others alone.
  if (container[last] === parsed) container[last] = new InexactNumber(literal, parsed);
}

interface Frame {
  readonly array: boolean;
  index: number;
  keyStart: number;
  keyEnd: number;
  expectKey: boolean;
}

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Up to 15 significant digits, every integer literal is exact (2^53 has 16).
const SHORT_INTEGER = /^-?(?:0|[1-9]\d{0,14})$/;
const MAX_REPORTED = 50;

/**
 * Every number literal of valid JSON `text` whose value a double does not hold exactly, with
 * its path, in one pass that skips strings (a root number has the empty path). The path of a
 * root value is `[]`; bounded to the first 50.
 */
export function findInexactNumbers(
  text: string,
): { path: JsonPath; literal: string; parsed: number }[] {
  const found: { path: JsonPath; literal: string; parsed: number }[] = [];
  const stack: Frame[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      const end = stringEnd(text, index);
      const frame = stack.at(-1);
      if (frame?.expectKey) {
        frame.keyStart = index;
        frame.keyEnd = end + 1;
        frame.expectKey = false;
      }
      index = end;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      stack.push({
        array: char === 0x5b,
        index: 0,
        keyStart: 0,
        keyEnd: 0,
        expectKey: char === 0x7b,
      });
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      stack.pop();
    } else if (char === 0x2c /* , */) {
      const frame = stack.at(-1);
      if (frame?.array) frame.index += 1;
      else if (frame) frame.expectKey = true;
    } else if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = index;
      const literal = NUMBER_TOKEN.exec(text)?.[0] ?? text[index] ?? '';
      index += literal.length - 1;
      const parsed = Number(literal);
      if (SHORT_INTEGER.test(literal) && literal !== '-0') continue;
      if (Object.is(parsed, -0) || !sameDecimal(literal, String(parsed))) {
        found.push({ path: pathOf(text, stack), literal: bounded(literal), parsed });
        if (found.length >= MAX_REPORTED) break;
      }
    }
  }
  return found;
}

function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x5c /* \ */) index += 1;
    else if (char === 0x22) return index;
  }
  return text.length;
}

function pathOf(text: string, stack: readonly Frame[]): JsonPath {
  return stack.map((frame) =>
    frame.array ? frame.index : (JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string),
  );
}

function bounded(literal: string): string {
  return literal.length > 40 ? `${literal.slice(0, 40)}…` : literal;
}

/** Whether two decimal literals (JSON or `String(number)`, e.g. `1e+21`) denote one value. */
function sameDecimal(a: string, b: string): boolean {
  return canonicalDecimal(a) === canonicalDecimal(b);
}

/** `[-]digits e exponent` with no leading or trailing zero in the digits; zero is `0`. */
function canonicalDecimal(literal: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return literal; // Infinity, NaN: never equal to a JSON literal
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  let scale = Number(exponent) - fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  scale += digits.length - trimmed.length;
  digits = trimmed;
  return `${sign}${digits}e${String(scale)}`;
}
