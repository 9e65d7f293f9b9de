import type { AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type BinaryLike } from 'node:crypto';
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

/**
 * One attempt of an AWS JSON 1.0 call (`POST /` with `X-Amz-Target`), the whole wire protocol of
 * SQS and DynamoDB, signed with the SDK's own SigV4 signer and credential provider, on the
 * client's keep-alive sockets. It answers the parsed body of a 2xx answer and `undefined` for
 * anything else (an error answer, a network failure, a timeout, an abort): the caller then hands
 * the same command to the SDK, whose retries, error classes and messages stay the only ones a
 * failure ever shows. The SDK spends about 1.2 ms of CPU per call around the same bytes
 * (middleware, schema serde, endpoint rules); this about 0.5 ms (`docs/decisions/0010-sqs-fast-path.md`).
 */
export interface JsonFastPathOptions {
  /** The service's signing name: `sqs`, `dynamodb`. */
  readonly service: string;
  /** The `X-Amz-Target` prefix: `AmazonSQS`, `DynamoDB_20120810`. */
  readonly targetPrefix: string;
  readonly region: string;
  /** The SDK client's own credential provider (memoized, refreshed before expiry). */
  readonly credentials: AwsCredentialIdentityProvider;
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  readonly connectionTimeoutMs: number;
  /** Gives up on an answer after this long; the SDK then makes its own attempts. */
  readonly requestTimeoutMs: number;
  /** Extra headers on every call (SQS: `x-amzn-query-mode`, as the SDK sends). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What `send(command, { abortSignal })` passes: a DOM or a smithy abort signal. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener?: (type: 'abort', listener: () => void, options?: { once?: boolean }) => void;
  removeEventListener?: (type: 'abort', listener: () => void) => void;
}

/** The answer's parsed body plus the SDK's `$metadata`. */
export type FastPathOutput = Record<string, unknown> & {
  $metadata: { httpStatusCode: number; requestId?: string; attempts: 1; totalRetryDelay: 0 };
};

/** `crypto`'s SHA-256 in the shape the signer takes (`@smithy/hash-node`'s, without a copy). */
export class NodeSha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: SourceData) {
    this.#hash =
      secret === undefined ? createHash('sha256') : createHmac('sha256', toBinary(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(toBinary(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#hash.digest());
  }
}

function toBinary(data: SourceData): BinaryLike {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export class JsonFastPath {
  readonly #options: JsonFastPathOptions;
  readonly #signer: SignatureV4;

  constructor(options: JsonFastPathOptions) {
    this.#options = options;
    this.#signer = new SignatureV4({
      credentials: options.credentials,
      region: options.region,
      service: options.service,
      sha256: NodeSha256,
    });
  }

  /** One attempt of `operation` with `body` (JSON) at `endpoint`; `undefined` unless 2xx. */
  async tryCall(
    operation: string,
    body: string,
    endpoint: URL,
    signal?: AbortSignalLike,
  ): Promise<FastPathOutput | undefined> {
    if (signal?.aborted) return undefined;
    const port = endpoint.port ? Number(endpoint.port) : undefined;
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(port === undefined ? {} : { port }),
      path: '/',
      query: {},
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `${this.#options.targetPrefix}.${operation}`,
        ...this.#options.headers,
      },
      body,
    });
    const https = endpoint.protocol === 'https:';
    return new Promise<FastPathOutput | undefined>((resolve) => {
      let settled = false;
      const finish = (output: FastPathOutput | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(answerTimer);
        signal?.removeEventListener?.('abort', giveUp);
        resolve(output);
      };
      const request = (https ? httpsRequest : httpRequest)(
        {
          method: 'POST',
          host: endpoint.hostname,
          port,
          path: '/',
          headers: signed.headers,
          agent: https ? this.#options.httpsAgent : this.#options.httpAgent,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', () => {
            finish(undefined);
          });
          // A connection cut mid-answer: 'close' without 'end' (after 'end' it changes nothing).
          response.on('close', () => {
            finish(undefined);
          });
          response.on('end', () => {
            if (status < 200 || status >= 300) {
              finish(undefined);
              return;
            }
            let parsed: Record<string, unknown>;
            try {
              const text = Buffer.concat(chunks).toString('utf8');
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              finish(undefined);
              return;
            }
            const requestId = response.headers['x-amzn-requestid'];
            finish(
              Object.assign(parsed, {
                $metadata: {
                  httpStatusCode: status,
                  ...(typeof requestId === 'string' ? { requestId } : {}),
                  attempts: 1 as const,
                  totalRetryDelay: 0 as const,
                },
              }),
            );
          });
        },
      );
      function giveUp(): void {
        request.destroy();
        finish(undefined);
      }
      const connectTimer = setTimeout(giveUp, this.#options.connectionTimeoutMs);
      const answerTimer = setTimeout(giveUp, this.#options.requestTimeoutMs);
      request.on('socket', (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else
          socket.once('connect', () => {
            clearTimeout(connectTimer);
          });
      });
      request.on('error', () => {
        finish(undefined);
      });
      signal?.addEventListener?.('abort', giveUp, { once: true });
      request.end(body);
    });
  }
}
