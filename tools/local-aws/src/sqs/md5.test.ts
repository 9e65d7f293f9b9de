import { describe, expect, it } from 'vitest';
import { md5Hex, md5OfAttributes, type MessageAttributeValue } from './md5';

function number(value: string): MessageAttributeValue {
  return { dataType: 'Number', stringValue: value };
}

// Digests AWS returned for these attributes, as pinned by the moto and LocalStack test suites.
describe('md5OfAttributes', () => {
  it.each([
    ['timestamp', '1493147359900', '235c5c510d26fb653d073faed50ae77c'],
    ['timestamp', '1493147359901', '994258b45346a2cc3f9cbb611aa7af30'],
    ['SOME_Valid.attribute-Name', '1493147359900', '36655e7e9d7c0e8479fa3f3f42247ae7'],
  ])('digests the Number attribute %s=%s as AWS does', (name, value, digest) => {
    expect(md5OfAttributes(new Map([[name, number(value)]]))).toBe(digest);
  });

  it('digests string, binary, number and non-ASCII attributes in order of name as AWS does', () => {
    const attributes = new Map<string, MessageAttributeValue>([
      ['ccc', { dataType: 'String', stringValue: 'testjunk' }],
      ['aaa', { dataType: 'Binary', binaryValue: new Uint8Array([2, 3, 4]) }],
      ['zzz', number('0230.01')],
      ['öther_encodings', { dataType: 'String', stringValue: 'Tüst' }],
    ]);
    expect(md5OfAttributes(attributes)).toBe('8ae21a7957029ef04146b42aeaa18a22');
  });

  it('does not depend on the order the attributes were given in', () => {
    const a = new Map([
      ['b', number('1')],
      ['a', number('2')],
    ]);
    const b = new Map([
      ['a', number('2')],
      ['b', number('1')],
    ]);
    expect(md5OfAttributes(a)).toBe(md5OfAttributes(b));
  });

  it('is undefined without attributes, as SQS then omits the field', () => {
    expect(md5OfAttributes(new Map())).toBeUndefined();
  });
});

describe('md5Hex', () => {
  it('digests the UTF-8 bytes of a body', () => {
    expect(md5Hex('derp')).toBe('58fd9edd83341c29f1aebba81c31e257');
    expect(md5Hex('This is a test message')).toBe('fafb00f5732ab283681e124bf8747ed1');
  });
});
