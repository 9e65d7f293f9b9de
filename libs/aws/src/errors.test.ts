import { describe, expect, it } from 'vitest';
import { isTransientAwsError } from './errors';

function awsError(name: string, status?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe('isTransientAwsError', () => {
  it.each([
    ['throttling', awsError('ThrottlingException', 400)],
    ['a 503', awsError('ServiceUnavailable', 503)],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
  ])('treats %s as transient', (_name, error) => {
    expect(isTransientAwsError(error)).toBe(true);
  });

  it.each([
    ['a missing queue', awsError('QueueDoesNotExist', 400)],
    ['a validation error', awsError('ValidationException', 400)],
    ['a non-error', 'boom'],
  ])('treats %s as permanent', (_name, error) => {
    expect(isTransientAwsError(error)).toBe(false);
  });
});
