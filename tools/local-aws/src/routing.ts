import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, signedService } from './http/edge-request';

/** Which service of the edge answers a request. */
export type Route =
  | { readonly service: 'herald' }
  | { readonly service: 'sqs'; readonly operation: string }
  | { readonly service: 'sns' }
  | { readonly service: 'dynamodb' }
  | { readonly service: 'unknown'; readonly reason: string; readonly format: 'json' | 'xml' };

/** Bytes a request body may have: DynamoDB batches may reach 16 MiB, everything else far less. */
export function bodyLimit(route: Route): number {
  return route.service === 'dynamodb' ? 16 * 1024 * 1024 : 2 * 1024 * 1024;
}

/**
 * Routes like LocalStack's edge: `/_herald/*` to the emulator's own endpoints, then by
 * `x-amz-target` (AWS JSON protocols: SQS, DynamoDB), then form-encoded `Action=` requests
 * (the query protocol: SNS).
 */
export function routeRequest(method: string, url: URL, headers: IncomingHttpHeaders): Route {
  if (url.pathname === '/_herald' || url.pathname.startsWith('/_herald/'))
    return { service: 'herald' };
  const target = headerValue(headers, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.indexOf('.');
    const prefix = dot < 0 ? target : target.slice(0, dot);
    if (prefix === 'AmazonSQS') return { service: 'sqs', operation: target.slice(dot + 1) };
    if (prefix.startsWith('DynamoDB_')) return { service: 'dynamodb' };
    return {
      service: 'unknown',
      reason: `No service of this edge answers the target ${target}.`,
      format: 'json',
    };
  }
  const contentType = headerValue(headers, 'content-type') ?? '';
  const isQuery =
    (method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) ||
    (method === 'GET' && url.searchParams.has('Action'));
  if (isQuery && signedService(headers) === 'sqs') {
    return {
      service: 'unknown',
      reason:
        'SQS is emulated over the AWS JSON 1.0 protocol only (AWS SDK v3 ≥ 3.446), not the query protocol.',
      format: 'xml',
    };
  }
  if (isQuery) return { service: 'sns' };
  return {
    service: 'unknown',
    reason: 'The request names no operation: send an x-amz-target header or an Action parameter.',
    format: 'json',
  };
}
