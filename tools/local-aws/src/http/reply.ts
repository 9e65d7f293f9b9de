import type { ServerResponse } from 'node:http';
import { newId } from '../ids';

/** A complete HTTP answer, built by a service handler and written by the edge. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A JSON answer with a fresh `x-amzn-RequestId`. */
export function jsonReply(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  contentType = 'application/x-amz-json-1.0',
): HttpReply {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': newId(), ...headers },
    body: JSON.stringify(body),
  };
}

/** Writes a reply unless the client already went away. */
export function writeReply(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}
