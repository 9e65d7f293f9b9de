import { describe, expect, it } from 'vitest';
import { SqsError } from './errors';
import { applyQueueAttributes, DEFAULT_QUEUE_SETTINGS, settingValue } from './queue-settings';

function codeOf(attributes: Record<string, string>): string | undefined {
  try {
    applyQueueAttributes(DEFAULT_QUEUE_SETTINGS, new Map(Object.entries(attributes)));
  } catch (error) {
    if (error instanceof SqsError) return error.code;
    throw error;
  }
  return undefined;
}

describe('queue settings', () => {
  it('applies and renders attributes as GetQueueAttributes returns them', () => {
    const policy =
      '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"4"}';
    const settings = applyQueueAttributes(
      DEFAULT_QUEUE_SETTINGS,
      new Map([
        ['VisibilityTimeout', '12'],
        ['RedrivePolicy', policy],
        ['Policy', '{}'],
      ]),
    );
    expect(settingValue(settings, 'VisibilityTimeout')).toBe('12');
    expect(settingValue(settings, 'RedrivePolicy')).toBe(
      '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":4}',
    );
    expect(settingValue(settings, 'Policy')).toBe('{}');
  });

  it('removes a RedrivePolicy set to the empty string', () => {
    const withPolicy = applyQueueAttributes(
      DEFAULT_QUEUE_SETTINGS,
      new Map([
        [
          'RedrivePolicy',
          '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:0:d","maxReceiveCount":1}',
        ],
      ]),
    );
    expect(
      applyQueueAttributes(withPolicy, new Map([['RedrivePolicy', '']])).redrivePolicy,
    ).toBeUndefined();
  });

  it.each([
    [{ VisibilityTimeout: '43201' }, 'InvalidAttributeValue'],
    [{ DelaySeconds: '-1' }, 'InvalidAttributeValue'],
    [{ MaximumMessageSize: '1048577' }, 'InvalidAttributeValue'],
    [{ MessageRetentionPeriod: 'ten' }, 'InvalidAttributeValue'],
    [{ RedrivePolicy: '{"maxReceiveCount":1}' }, 'InvalidAttributeValue'],
    [
      { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:0:d","maxReceiveCount":0}' },
      'InvalidAttributeValue',
    ],
    [{ Colour: 'blue' }, 'InvalidAttributeName'],
    [{ FifoQueue: 'true' }, 'UnsupportedOperation'],
    [{ FifoQueue: 'false' }, undefined],
  ])('answers %j with %s', (attributes, code) => {
    expect(codeOf(attributes)).toBe(code);
  });
});
