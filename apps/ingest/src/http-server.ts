import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { LOAD_BALANCER } from '@herald/config';

export interface HttpServerOptions {
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly hostname: string;
  readonly port: number;
  /** The whole request head must arrive within this (Node's default is 60 s). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (Node's default is 300 s). */
  readonly requestTimeoutMs: number;
  readonly onListening?: (port: number) => void;
}

/**
 * The ingest's HTTP server: Hono on node:http with bounded request time, so a client that drips
 * its headers or body holds a connection for seconds, not minutes (issue 9, defect 6). Past a
 * bound Node answers 408 and closes the connection.
 */
export function startHttpServer(options: HttpServerOptions): Server {
  const server = serve(
    {
      fetch: options.fetch,
      hostname: options.hostname,
      port: options.port,
      serverOptions: {
        headersTimeout: options.headersTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
        // Node checks both bounds on this interval (30 s by default): check often enough that a
        // bound is kept to within a second.
        connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
      },
    },
    (info) => options.onListening?.(info.port),
  ) as Server;
  // Node closes an idle keep-alive socket after 5 s, well before the ALB's 60 s: the ALB would
  // then send a request on a socket the task has just closed and answer 502. Outlast the ALB.
  // (headersTimeout counts from a request's first byte, not from idleness, so it may stay shorter.)
  server.keepAliveTimeout = LOAD_BALANCER.targetKeepAliveSeconds * 1000;
  return server;
}
