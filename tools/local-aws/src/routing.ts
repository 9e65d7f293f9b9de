import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, signedService } from './http/edge-request';
import { ACCOUNT_ID } from './ids';
import type { FormParams } from './sns/form';

/** Which service of the edge answers a request. */
export type Route =
  | { readonly service: 'herald' }
  | { readonly service: 'sqs'; readonly protocol: 'json'; readonly operation: string }
  | { readonly service: 'sqs'; readonly protocol: 'query' }
  | { readonly service: 'sns' }
  /** A query-protocol request whose service only its parameters tell (decided once read). */
  | { readonly service: 'query' }
  | { readonly service: 'dynamodb' }
  | { readonly service: 'unknown'; readonly reason: string };

/** Bytes a request body may have: DynamoDB batches may reach 16 MiB, everything else far less. */
export function bodyLimit(route: Route): number {
  return route.service === 'dynamodb' ? 16 * 1024 * 1024 : 2 * 1024 * 1024;
}

const SQS_QUERY: Route = { service: 'sqs', protocol: 'query' };
const SNS: Route = { service: 'sns' };
const QUEUE_PATH = new RegExp(`^/${ACCOUNT_ID}/[^/]+/?$`);

// The SQS API's actions; AddPermission and RemovePermission exist in SNS too, so they are left to
// the other signs.
const SQS_ACTIONS = new Set([
  'CancelMessageMoveTask',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks',
  'ListQueueTags',
  'ListQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
]);

/** The service a query request is for, from what the headers and URL tell; else undecided. */
function queryRoute(url: URL, headers: IncomingHttpHeaders): Route {
  const signed = signedService(headers);
  if (signed === 'sqs') return SQS_QUERY;
  if (signed === 'sns') return SNS;
  if (QUEUE_PATH.test(url.pathname)) return SQS_QUERY;
  return { service: 'query' };
}

/**
 * Tells SQS from SNS for a query-protocol request that neither its signature nor its path
 * settled: by `Version` (2012-11-05 is SQS, 2010-03-31 SNS), then an SQS action name or a
 * `QueueUrl` parameter; anything else is SNS's, which answers unknown actions.
 */
export function resolveQueryRoute(params: FormParams): Route {
  const version = params.get('Version');
  if (version === '2012-11-05') return SQS_QUERY;
  if (version === '2010-03-31') return SNS;
  if (SQS_ACTIONS.has(params.get('Action') ?? '') || params.has('QueueUrl')) return SQS_QUERY;
  return SNS;
}

/**
 * Routes like LocalStack's edge: `/_herald/*` to the emulator's own endpoints, then by
 * `x-amz-target` (AWS JSON protocols: SQS, DynamoDB), then form-encoded `Action=` requests
 * (the query protocol: SQS or SNS, told apart by the SigV4 credential scope, the queue URL path,
 * or once the body is read by {@link resolveQueryRoute}).
 */
export function routeRequest(method: string, url: URL, headers: IncomingHttpHeaders): Route {
  if (url.pathname === '/_herald' || url.pathname.startsWith('/_herald/'))
    return { service: 'herald' };
  const target = headerValue(headers, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.indexOf('.');
    const prefix = dot < 0 ? target : target.slice(0, dot);
    if (prefix === 'AmazonSQS')
      return { service: 'sqs', protocol: 'json', operation: target.slice(dot + 1) };
    if (prefix.startsWith('DynamoDB_')) return { service: 'dynamodb' };
    return {
      service: 'unknown',
      reason: `No service of this edge answers the target ${target}.`,
    };
  }
  const contentType = headerValue(headers, 'content-type') ?? '';
  const isQuery =
    (method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) ||
    (method === 'GET' && url.searchParams.has('Action'));
  if (isQuery) return queryRoute(url, headers);
  return {
    service: 'unknown',
    reason: 'The request names no operation: send an x-amz-target header or an Action parameter.',
  };
}
