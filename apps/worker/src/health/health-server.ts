import { createServer, type Server } from 'node:http';

export interface HealthReport {
  readonly healthy: boolean;
  /** Why it is unhealthy (absent when healthy). */
  readonly reason?: string;
  readonly [detail: string]: unknown;
}

/**
 * `GET /healthz` for the container health check: 200 with the report while healthy, 503 when
 * not. Anything else answers 404. It reads state only; it never touches the queue or a store.
 */
export function createHealthServer(check: () => HealthReport): Server {
  return createServer(function handleHealthRequest(request, response) {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/healthz' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const report = check();
    const body = JSON.stringify(report);
    response.writeHead(report.healthy ? 200 : 503, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
}

/** Starts listening; rejects when the port is taken. */
export function listen(server: Server, port: number, host: string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}

/** Stops accepting and closes idle keep-alive sockets. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeIdleConnections();
  });
}
