import { Agent, createServer, request as httpRequest, type Server } from 'node:http';

/** The AWS services behind the one edge endpoint, as the proxy tells them apart. */
export type EdgeService = 'sqs' | 'dynamodb' | 'sns';

export interface FaultProxy {
  /** What the services get as AWS_ENDPOINT_URL. */
  readonly url: string;
  /** Makes one service unreachable: its requests have their connection reset, the others pass. */
  down(service: EdgeService): void;
  up(service: EdgeService): void;
  /** Requests refused per service while it was down. */
  readonly refused: Readonly<Record<EdgeService, number>>;
  close(): Promise<void>;
}

/** SQS and DynamoDB speak AWS JSON (x-amz-target); SNS is the query protocol (form POSTs). */
export function serviceOf(target: string | undefined): EdgeService {
  if (target?.startsWith('AmazonSQS.')) return 'sqs';
  if (target?.startsWith('DynamoDB_')) return 'dynamodb';
  return 'sns';
}

/**
 * A loopback HTTP proxy in front of the AWS edge that can take one service away while the
 * others keep answering: the edge serves SQS, SNS and DynamoDB on one port, so suspending it
 * (as the integration tests do) cannot make only DynamoDB or only SQS unavailable.
 */
export async function startFaultProxy(edgeUrl: string): Promise<FaultProxy> {
  const edge = new URL(edgeUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const downs = new Set<EdgeService>();
  const refused: Record<EdgeService, number> = { sqs: 0, dynamodb: 0, sns: 0 };
  const server: Server = createServer((request, response) => {
    const service = serviceOf(request.headers['x-amz-target'] as string | undefined);
    if (downs.has(service)) {
      refused[service] += 1;
      // What an unreachable endpoint looks like to the SDK: the connection goes away.
      request.socket.destroy();
      return;
    }
    const upstream = httpRequest(
      {
        host: edge.hostname,
        port: edge.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => request.socket.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    down: (service) => {
      downs.add(service);
    },
    up: (service) => {
      downs.delete(service);
    },
    refused,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
