import { describe, expect, it } from 'vitest';
import { resolveQueryRoute, routeRequest } from './routing';
import { parseForm } from './sns/form';

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
      { service: 'sqs', protocol: 'json', operation: 'SendMessage' },
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
      { service: 'query' },
    ],
    [
      'SNS by signature',
      'GET',
      '/?Action=Unsubscribe&SubscriptionArn=x',
      SIGNED_FOR('sns'),
      { service: 'sns' },
    ],
    [
      'SQS query by signature',
      'POST',
      '/',
      { 'content-type': 'application/x-www-form-urlencoded', ...SIGNED_FOR('sqs') },
      { service: 'sqs', protocol: 'query' },
    ],
    [
      'SQS query by queue URL path',
      'POST',
      '/000000000000/jobs',
      { 'content-type': 'application/x-www-form-urlencoded' },
      { service: 'sqs', protocol: 'query' },
    ],
  ])('routes %s', (_label, method, path, headers, expected) => {
    expect(routeRequest(method, url(path), headers)).toEqual(expected);
  });

  it.each([
    ['Version=2012-11-05&Action=Whatever', 'sqs'],
    ['Version=2010-03-31&Action=CreateQueue', 'sns'],
    ['Action=ReceiveMessage', 'sqs'],
    ['Action=AddPermission&QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq', 'sqs'],
    ['Action=AddPermission&TopicArn=arn', 'sns'],
    ['Action=Publish', 'sns'],
    ['', 'sns'],
  ])('tells SQS from SNS by the parameters %s', (form, service) => {
    expect(resolveQueryRoute(parseForm(form)).service).toBe(service);
  });

  it('leaves unknown targets and bare requests unrouted', () => {
    expect(
      routeRequest('POST', url('/'), { 'x-amz-target': 'Kinesis_20131202.PutRecord' }),
    ).toMatchObject({ service: 'unknown' });
    expect(routeRequest('GET', url('/'), {})).toMatchObject({ service: 'unknown' });
  });
});
