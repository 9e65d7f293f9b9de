import { describe, expect, it } from 'vitest';
import { actionResponse, entries, errorResponse, escapeXml, members, renderXml } from './xml';

describe('xml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
  });

  it('renders lists, maps and leaves out undefined elements', () => {
    const xml = renderXml([
      ['Topics', members([[['TopicArn', 'arn:1']]])],
      ['Attributes', entries(new Map([['k', 'v']]))],
      ['NextToken', undefined],
    ]);
    expect(xml).toBe(
      '<Topics><member><TopicArn>arn:1</TopicArn></member></Topics><Attributes><entry><key>k</key><value>v</value></entry></Attributes>',
    );
  });

  it('wraps results in the action response with request metadata', () => {
    expect(actionResponse('Publish', [['MessageId', 'm-1']], 'r-1')).toBe(
      '<?xml version="1.0"?><PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
    );
    expect(actionResponse('DeleteTopic', undefined, 'r-2')).not.toContain('DeleteTopicResult');
  });

  it('renders an ErrorResponse', () => {
    expect(errorResponse('Sender', 'NotFound', 'Topic does not exist', 'r-3')).toContain(
      '<Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r-3</RequestId>',
    );
  });
});
