import { describe, expect, it } from 'vitest';
import { newReceiptHandle } from './ids';

describe('newReceiptHandle', () => {
  // One bare base64url token in 64 starts with "-": 2,000 handles would hold about 31 of them.
  it('never starts with "-", which the AWS CLI would take for an option', () => {
    const handles = Array.from({ length: 2_000 }, newReceiptHandle);
    expect(handles.filter((handle) => handle.startsWith('-'))).toEqual([]);
    expect(new Set(handles).size).toBe(handles.length);
    for (const handle of handles) expect(handle).toMatch(/^AQEB[A-Za-z0-9_-]{64}$/);
  });
});
