import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findInexactNumbers,
  findUnstorable,
  InexactNumber,
  parseStorableJson,
} from './storable-json';

describe('findInexactNumbers', () => {
  it.each([
    ['18446744073709551616', []],
    ['9007199254740993', []],
    ['1e400', []],
    ['1e-400', []],
    ['-0', []],
    ['-0.0e5', []],
    ['0.1000000000000000000001', []],
  ])('reports %s at the root', (literal, path) => {
    expect(findInexactNumbers(literal)).toEqual([
      expect.objectContaining({ path, literal }) as unknown,
    ]);
  });

  it('names the path through objects, arrays and escaped keys, skipping strings', () => {
    const text = '{"a":[1,"9007199254740993",{"k\\"/":[0, 2e400]}],"b":-0}';
    expect(findInexactNumbers(text).map((found) => found.path)).toEqual([
      ['a', 2, 'k"/', 1],
      ['b'],
    ]);
  });

  it.each([
    '0',
    '0.1',
    '1.0',
    '1E2',
    '-12.5e-1',
    '5e-324',
    '1.7976931348623157e308',
    '123456789012345',
  ])('accepts %s, which a double holds', (literal) => {
    expect(findInexactNumbers(`[${literal}]`)).toEqual([]);
  });

  it('never reports what JSON.stringify of a finite double writes (other than -0)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        fc.pre(!Object.is(value, -0));
        expect(findInexactNumbers(JSON.stringify([value]))).toEqual([]);
      }),
    );
  });

  // Exact as a double is not enough: 81064243538952176 is a double exactly, but the worker
  // writes it as 81064243538952180 (the shortest decimal), so jsonb would hold another number.
  // What must hold is that the literal survives the round trip through a double as written.
  it('reports every integer beyond 2^53 that does not read back as written', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }), (value) => {
        const exact = String(Number(value)) === value.toString();
        expect(findInexactNumbers(value.toString()).length === 0).toBe(exact);
      }),
    );
  });
});

describe('parseStorableJson', () => {
  it('equals JSON.parse for exact input', () => {
    expect(parseStorableJson('{"a":[1,2.5,"x"],"__proto__":1}')).toEqual(
      JSON.parse('{"a":[1,2.5,"x"],"__proto__":1}'),
    );
  });

  it('marks an inexact number in place so findUnstorable names it', () => {
    const value = parseStorableJson('{"n":[9007199254740993]}');
    expect(findUnstorable(value)).toEqual({
      path: ['n', 0],
      message: expect.stringContaining(
        '9007199254740993 would be stored as 9007199254740992',
      ) as unknown,
    });
    expect(JSON.stringify(value)).toBe('{"n":[9007199254740992]}');
    expect((value as { n: unknown[] }).n[0]).toBeInstanceOf(InexactNumber);
  });

  it('throws on malformed JSON as JSON.parse does', () => {
    expect(() => parseStorableJson('{"a":')).toThrow(SyntaxError);
  });
});

describe('findUnstorable', () => {
  it.each([
    ['Infinity', { a: Infinity }, ['a']],
    ['-0', [1, -0], [1]],
    ['a lone high surrogate', { s: 'a\ud800' }, ['s']],
    ['a lone low surrogate in a key', { 'k\udc00': 1 }, ['k\udc00']],
    ['NUL', ['\u0000'], [0]],
    ['a __proto__ key', JSON.parse('{"x":{"__proto__":{}}}') as unknown, ['x', '__proto__']],
    ['undefined', [undefined], [0]],
  ])('refuses %s at its path', (_name, value, path) => {
    expect(findUnstorable(value)?.path).toEqual(path);
  });

  it('accepts surrogate pairs, null inside a value, and ordinary numbers', () => {
    expect(findUnstorable({ e: '😀', n: null, x: [0, 1.5, -2e10] })).toBeUndefined();
  });
});
