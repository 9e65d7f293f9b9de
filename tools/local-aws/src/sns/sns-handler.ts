import { signedRegion, type EdgeRequest } from '../http/edge-request';
import type { HttpReply } from '../http/reply';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { SnsContext, SnsOperation } from './context';
import { SnsError } from './errors';
import { parseForm } from './form';
import { publish, publishBatch } from './publish-operations';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './subscription-operations';
import { listTagsForResource, tagResource, untagResource } from './tag-operations';
import {
  createTopic,
  deleteTopic,
  getTopicAttributes,
  listTopics,
  setTopicAttributes,
} from './topic-operations';
import { actionResponse, errorResponse } from './xml';

const OPERATIONS: Readonly<Record<string, SnsOperation>> = {
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  ListTopics: listTopics,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  ConfirmSubscription: confirmSubscription,
  Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  Publish: publish,
  PublishBatch: publishBatch,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

/** An XML answer carrying its request id. */
export function xmlReply(status: number, body: string, requestId: string): HttpReply {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** The XML `<ErrorResponse>` answer for an SNS error. */
export function snsErrorReply(error: SnsError): HttpReply {
  const requestId = newId();
  return xmlReply(
    error.status,
    errorResponse(error.fault, error.code, error.message, requestId),
    requestId,
  );
}

/** The parameters of a query-protocol request: the form body of a POST, the query of a GET. */
export function queryParams(request: EdgeRequest): Map<string, string> {
  return request.method === 'GET'
    ? parseForm(request.url.search)
    : parseForm(request.body.toString('utf8'));
}

/** Creates the handler of SNS query-protocol requests (`Action=…&Version=2010-03-31`). */
export function createSnsHandler(context: SnsContext, logger: Logger) {
  return function handleSnsRequest(request: EdgeRequest): HttpReply {
    const params = queryParams(request);
    const action = params.get('Action') ?? '';
    try {
      const operation = Object.hasOwn(OPERATIONS, action) ? OPERATIONS[action] : undefined;
      if (!operation) {
        const detail =
          action === ''
            ? 'The request has no Action parameter'
            : `Could not find operation ${action} for version 2010-03-31`;
        throw new SnsError('InvalidAction', detail);
      }
      const requestId = newId();
      return xmlReply(
        200,
        actionResponse(
          action,
          operation(params, { ...context, region: signedRegion(request.headers) }),
          requestId,
        ),
        requestId,
      );
    } catch (error) {
      if (error instanceof SnsError) return snsErrorReply(error);
      logger.error('sns operation failed', { action, error });
      return snsErrorReply(
        new SnsError('InternalError', 'We encountered an internal error. Please try again.'),
      );
    }
  };
}
