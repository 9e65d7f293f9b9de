import { describe, expect, it } from 'vitest';
import { messageSize, sqsSafeJson } from './outgoing-message';

describe('messageSize', () => {
  it('counts UTF-8 bytes of the body and of each attribute name, type and value', () => {
    // "é" is 2 bytes, "😀" 4: 1 + 2 + 4 = 7; traceparent (11) + String (6) + "ü" (2) = 19.
    expect(messageSize('aé😀', { traceparent: 'ü' })).toBe(26);
  });

  it('counts a body without attributes alone', () => {
    expect(messageSize('{"x":1}', {})).toBe(7);
  });
});

describe('sqsSafeJson', () => {
  it('escapes the noncharacters SQS refuses', () => {
    expect(sqsSafeJson('"\uFFFE\uFFFF"')).toBe('"\\ufffe\\uffff"');
  });
});
