import { describe, expect, it } from 'vitest';
import {
  attributesSize,
  hasOnlyValidCharacters,
  isValidAttributeName,
  parseMessageAttributes,
  selectAttributes,
} from './message-content';

describe('message content', () => {
  it.each([
    ['plain text', true],
    ['tabs\tnewlines\n\r', true],
    ['emoji 😀', true],
    ['nul \u0000', false],
    ['bell \u0007', false],
    ['lone surrogate \uD800', false],
    ['noncharacter \uFFFE', false],
  ])('accepts %s: %s', (text, valid) => {
    expect(hasOnlyValidCharacters(text)).toBe(valid);
  });

  it.each([
    ['trace.id', true],
    ['a_b-c', true],
    ['.leading', false],
    ['trailing.', false],
    ['double..dot', false],
    ['AWS.reserved', false],
    ['amazon.reserved', false],
    ['spa ce', false],
  ])('judges the attribute name %s valid: %s', (name, valid) => {
    expect(isValidAttributeName(name)).toBe(valid);
  });

  it('counts names, types and values toward the size limit', () => {
    const attributes = parseMessageAttributes({
      ab: { DataType: 'String', StringValue: 'xyz' },
      b: { DataType: 'Binary', BinaryValue: 'AQID' },
    });
    expect(attributesSize(attributes)).toBe(2 + 6 + 3 + (1 + 6 + 3));
  });

  it('rejects more than ten attributes', () => {
    const many = Object.fromEntries(
      Array.from({ length: 11 }, (_, index) => [
        `a${index}`,
        { DataType: 'String', StringValue: 'v' },
      ]),
    );
    expect(() => parseMessageAttributes(many)).toThrow(/exceeds the allowed maximum \[10\]/);
  });

  it('selects attributes by All, .*, prefix.* and exact name', () => {
    const attributes = parseMessageAttributes({
      'a.one': { DataType: 'String', StringValue: '1' },
      'a.two': { DataType: 'String', StringValue: '2' },
      b: { DataType: 'String', StringValue: '3' },
    });
    expect([...selectAttributes(attributes, ['All']).keys()]).toEqual(['a.one', 'a.two', 'b']);
    expect([...selectAttributes(attributes, ['a.*']).keys()]).toEqual(['a.one', 'a.two']);
    expect([...selectAttributes(attributes, ['b']).keys()]).toEqual(['b']);
    expect(selectAttributes(attributes, []).size).toBe(0);
  });
});
