import { describe, expect, it } from 'vitest';
import type { MessageAttributeValue } from '../sqs/md5';
import { SnsError } from './errors';
import { matchesFilterPolicy, parseFilterPolicy } from './filter-policy';

function attributes(values: Record<string, MessageAttributeValue>) {
  return new Map(Object.entries(values));
}

const critical = attributes({
  severity: { dataType: 'String', stringValue: 'critical' },
  retries: { dataType: 'Number', stringValue: '3' },
  tags: { dataType: 'String.Array', stringValue: '["db","eu"]' },
});

function matches(policy: object, message = { body: '{}', attributes: critical }): boolean {
  return matchesFilterPolicy(
    parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'),
    'MessageAttributes',
    message,
  );
}

describe('matchesFilterPolicy on message attributes', () => {
  it.each([
    [{ severity: ['critical'] }, true],
    [{ severity: ['info', 'critical'] }, true],
    [{ severity: ['info'] }, false],
    [{ severity: [{ prefix: 'crit' }] }, true],
    [{ severity: [{ suffix: 'cal' }] }, true],
    [{ severity: [{ 'equals-ignore-case': 'CRITICAL' }] }, true],
    [{ severity: [{ 'anything-but': ['info', 'debug'] }] }, true],
    [{ severity: [{ 'anything-but': 'critical' }] }, false],
    [{ retries: [3] }, true],
    [{ retries: [{ numeric: ['>', 2, '<=', 3] }] }, true],
    [{ retries: [{ numeric: ['<', 3] }] }, false],
    [{ tags: ['eu'] }, true],
    [{ missing: [{ exists: false }] }, true],
    [{ severity: [{ exists: false }] }, false],
    [{ severity: ['critical'], retries: [1] }, false],
  ])('evaluates %j as %s', (policy, expected) => {
    expect(matches(policy)).toBe(expected);
  });

  it('matches nested keys against a JSON body with scope MessageBody', () => {
    const policy = parseFilterPolicy(JSON.stringify({ alert: { level: ['high'] } }), 'MessageBody');
    const message = (body: string) => ({ body, attributes: new Map() });
    expect(matchesFilterPolicy(policy, 'MessageBody', message('{"alert":{"level":"high"}}'))).toBe(
      true,
    );
    expect(matchesFilterPolicy(policy, 'MessageBody', message('{"alert":{"level":"low"}}'))).toBe(
      false,
    );
    expect(matchesFilterPolicy(policy, 'MessageBody', message('not json'))).toBe(false);
  });

  it.each(['not json', '[]', '{"a":"not-an-array"}', '{"a":[{"wildcard":"x*"}]}'])(
    'rejects the policy %s',
    (raw) => {
      expect(() => parseFilterPolicy(raw, 'MessageAttributes')).toThrow(SnsError);
    },
  );
});

describe('parseFilterPolicy limits', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

  it('accepts 5 keys and 150 combinations', () => {
    const policy = { a: values(5), b: values(5), c: values(6), d: ['x'], e: ['y'] };
    expect(() => parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes')).not.toThrow();
  });

  it.each([
    [
      '6 keys',
      { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] },
      'MessageAttributes',
      'more than 5 keys',
    ],
    ['151 combinations', { a: values(151) }, 'MessageAttributes', 'too complex'],
    [
      '6 nested body keys',
      { a: { b: ['1'], c: ['1'], d: ['1'] }, e: { f: ['1'], g: ['1'], h: ['1'] } },
      'MessageBody',
      'more than 5 keys',
    ],
    ['10 × 16 combinations', { a: values(10), b: values(16) }, 'MessageAttributes', 'too complex'],
  ] as const)('refuses %s', (_label, policy, scope, message) => {
    let error: unknown;
    try {
      parseFilterPolicy(JSON.stringify(policy), scope);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SnsError);
    expect((error as SnsError).message).toContain(message);
  });
});
