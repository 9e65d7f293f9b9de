import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDbBackend } from './dynamodb/dynalite-backend';
import { BodyTooLargeError, readBody } from './http/body';
import { headerValue, type EdgeRequest } from './http/edge-request';
import { jsonReply, writeReply, type HttpReply } from './http/reply';
import type { Logger } from './logger';
import { bodyLimit, resolveQueryRoute, routeRequest, type Route } from './routing';
import { SnsError } from './sns/errors';
import { queryParams, snsErrorReply } from './sns/sns-handler';
import { sqsError } from './sqs/sqs-handler';
import { sqsQueryErrorReply } from './sqs/sqs-query-handler';

/** The services the edge dispatches to. */
export interface EdgeServices {
  readonly sqs: (request: EdgeRequest, operation: string) => Promise<HttpReply>;
  /** SQS over the query protocol (form in, XML out). */
  readonly sqsQuery: (request: EdgeRequest) => Promise<HttpReply>;
  readonly sns: (request: EdgeRequest) => HttpReply;
  readonly herald: (request: EdgeRequest) => HttpReply;
  readonly dynamodb: DynamoDbBackend;
  readonly logger: Logger;
  /** Aborted when the edge shuts down: every request signal aborts with it. */
  readonly shutdown: AbortSignal;
}

function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://edge.invalid');
  } catch {
    // An unparseable request target (e.g. a broken absolute URI) is routed like `/`.
    return new URL('/', 'http://edge.invalid');
  }
}

function errorReply(route: Route, status: 413 | 500, message: string): HttpReply {
  const code = status === 413 ? 'RequestEntityTooLarge' : 'InternalError';
  // An undecided query request (too large to read) is answered as SNS, the default query service.
  if (route.service === 'sns' || route.service === 'query')
    return snsErrorReply(new SnsError(code, message));
  if (route.service === 'sqs' && route.protocol === 'query')
    return sqsQueryErrorReply(status, code, status === 413 ? 'Sender' : 'Receiver', message);
  if (route.service === 'sqs') return sqsError(code, message);
  const type = status === 413 ? 'RequestEntityTooLargeException' : 'InternalFailure';
  return jsonReply(status, { __type: `com.amazon.coral.service#${type}`, message });
}

function unknownReply(route: Extract<Route, { service: 'unknown' }>): HttpReply {
  return jsonReply(400, {
    __type: 'com.amazon.coral.service#UnknownOperationException',
    message: route.reason,
  });
}

function operationOf(route: Route, request: EdgeRequest): string | undefined {
  if (route.service === 'sqs' && route.protocol === 'json') return route.operation;
  if (route.service === 'dynamodb')
    return headerValue(request.headers, 'x-amz-target')?.split('.')[1];
  if (route.service === 'sns' || route.service === 'sqs') return queryParams(request).get('Action');
  return undefined;
}

/**
 * The single HTTP endpoint of the emulator. It reads each body (bounded), routes by header and
 * action, and answers every failure in the shape of the addressed service; nothing a client
 * sends can crash it.
 */
export class EdgeServer {
  readonly server: Server;
  private inFlight = 0;
  private fallbackHost = 'localhost';
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly services: EdgeServices) {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  /** Listens on host:port (port 0: an ephemeral port) and returns the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const bound = typeof address === 'object' && address !== null ? address.port : port;
        this.fallbackHost = `${host.includes(':') ? `[${host}]` : host}:${bound}`;
        resolve(bound);
      });
    });
  }

  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then drops every socket. */
  async close(graceMs = 2000): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.server.closeIdleConnections();
    await Promise.race([this.whenIdle(), sleep(graceMs)]);
    this.server.closeAllConnections();
    await closed;
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private track(res: ServerResponse): void {
    this.inFlight += 1;
    res.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight > 0) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.track(res);
    const started = performance.now();
    const url = parseUrl(req.url);
    const method = req.method ?? 'GET';
    const routed = routeRequest(method, url, req.headers);
    const client = new AbortController();
    res.once('close', () => {
      client.abort();
    });
    let body: Buffer;
    try {
      body = await readBody(req, bodyLimit(routed));
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) return;
      res.setHeader('connection', 'close');
      writeReply(res, errorReply(routed, 413, error.message));
      return;
    }
    const signal = AbortSignal.any([client.signal, this.services.shutdown]);
    const host = req.headers.host ?? this.fallbackHost;
    const request: EdgeRequest = { method, url, headers: req.headers, body, host, signal };
    const route = routed.service === 'query' ? resolveQueryRoute(queryParams(request)) : routed;
    res.once('close', () => {
      const ms = Math.round(performance.now() - started);
      const operation = operationOf(route, request);
      this.services.logger.info('request', {
        service: route.service,
        operation,
        status: res.statusCode,
        ms,
      });
    });
    writeReply(res, await this.dispatch(route, request));
  }

  private async dispatch(route: Route, request: EdgeRequest): Promise<HttpReply> {
    try {
      switch (route.service) {
        case 'herald':
          return this.services.herald(request);
        case 'sqs':
          return route.protocol === 'json'
            ? await this.services.sqs(request, route.operation)
            : await this.services.sqsQuery(request);
        case 'sns':
        case 'query':
          return this.services.sns(request);
        case 'dynamodb':
          return await this.services.dynamodb.handle(request);
        case 'unknown':
          return unknownReply(route);
      }
    } catch (error) {
      this.services.logger.error('edge request failed', { service: route.service, error });
      return errorReply(route, 500, 'We encountered an internal error. Please try again.');
    }
  }
}
