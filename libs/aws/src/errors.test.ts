import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isConditionalCheckFailed } from './errors';

describe('isConditionalCheckFailed', () => {
  it('recognizes the SDK exception', () => {
    const error = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
    });
    expect(isConditionalCheckFailed(error)).toBe(true);
  });

  it('recognizes it by name, as a bundled second SDK copy throws it', () => {
    const error = Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
    expect(isConditionalCheckFailed(error)).toBe(true);
  });

  it.each([
    ['throttling', Object.assign(new Error('slow down'), { name: 'ThrottlingException' })],
    ['a plain error', new Error('ConditionalCheckFailedException')],
    ['a non-error', { name: 'ConditionalCheckFailedException' }],
  ])('rejects %s', (_name, error) => {
    expect(isConditionalCheckFailed(error)).toBe(false);
  });
});
