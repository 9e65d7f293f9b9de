import { describe, expect, it } from 'vitest';
import { formMap, indexedGroups, paginate, parseForm } from './form';
import { parseSnsMessageAttributes } from './message-attributes';

const BATCH =
  'Action=PublishBatch&TopicArn=arn%3At&PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=m2' +
  '&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=m1' +
  '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=k' +
  '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=String' +
  '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=v' +
  '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Name=b' +
  '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Value.DataType=Binary' +
  '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Value.BinaryValue=AQID';

describe('query-protocol forms', () => {
  it('groups list members by index, in index order, as the SDK serializes PublishBatch', () => {
    const groups = indexedGroups(parseForm(BATCH), 'PublishBatchRequestEntries.member');
    expect(groups.map((group) => group.get('Id'))).toEqual(['a', 'b']);
    const attributes = parseSnsMessageAttributes(groups[0]!);
    expect(attributes.get('k')).toEqual({ dataType: 'String', stringValue: 'v' });
    expect(attributes.get('b')?.binaryValue).toEqual(Buffer.from([1, 2, 3]));
  });

  it('reads key/value maps', () => {
    const params = parseForm(
      'Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true',
    );
    expect(formMap(params, 'Attributes')).toEqual(new Map([['RawMessageDelivery', 'true']]));
  });

  it('paginates with index tokens', () => {
    const items = Array.from({ length: 5 }, (_, index) => index);
    const first = paginate(items, new Map(), 2);
    expect(first).toEqual({ page: [0, 1], nextToken: '2' });
    expect(paginate(items, new Map([['NextToken', '4']]), 2)).toEqual({ page: [4] });
  });
});
