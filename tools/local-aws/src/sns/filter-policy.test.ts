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
