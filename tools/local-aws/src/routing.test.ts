import { describe, expect, it } from 'vitest';
import { routeRequest } from './routing';

const url = (path: string) => new URL(path, 'http://edge.invalid');
const SIGNED_FOR = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
});

describe('routeRequest', () => {
  it.each([
    ['emulator endpoints', 'GET', '/_herald/mailbox', {}, { service: 'herald' }],
    [
      'SQS by target',
      'POST',
      '/',
      { 'x-amz-target': 'AmazonSQS.SendMessage' },
      { service: 'sqs', operation: 'SendMessage' },
    ],
    [
      'DynamoDB by target',
      'POST',
      '/',
      { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      { service: 'dynamodb' },
    ],
    [
      'SNS by form',
      'POST',
      '/',
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      { service: 'sns' },
    ],
    [
      'SNS by GET with Action',
      'GET',
      '/?Action=Unsubscribe&SubscriptionArn=x',
      {},
      { service: 'sns' },
    ],
  ])('routes %s', (_label, method, path, headers, expected) => {
    expect(routeRequest(method, url(path), headers)).toEqual(expected);
  });

  it('refuses SQS over the query protocol with an explanation', () => {
    const route = routeRequest('POST', url('/'), {
      'content-type': 'application/x-www-form-urlencoded',
      ...SIGNED_FOR('sqs'),
    });
    expect(route).toMatchObject({ service: 'unknown', format: 'xml' });
  });

  it('leaves unknown targets and bare requests unrouted', () => {
    expect(
      routeRequest('POST', url('/'), { 'x-amz-target': 'Kinesis_20131202.PutRecord' }),
    ).toMatchObject({ service: 'unknown', format: 'json' });
    expect(routeRequest('GET', url('/'), {})).toMatchObject({ service: 'unknown' });
  });
});
