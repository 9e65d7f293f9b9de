import type { IncomingMessage } from 'node:http';

// Past this many bytes an oversized body is no longer drained (to answer cleanly) but cut off.
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/** A request body exceeded the edge's limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';

  constructor(readonly limit: number) {
    super(`Request body exceeds the limit of ${limit} bytes.`);
  }
}

/** The client went away before sending its whole body. */
export class ClientAbortedError extends Error {
  override readonly name = 'ClientAbortedError';

  constructor() {
    super('The client closed the connection before the request body was complete.');
  }
}

/**
 * Reads a request body of at most `limit` bytes. A larger body is drained and discarded (so the
 * client can read the 413 that follows) and rejected with BodyTooLargeError.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > DRAIN_CAP_BYTES) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_CAP_BYTES) req.destroy();
    });
    req.on('end', () => {
      if (size > limit) reject(new BodyTooLargeError(limit));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', () => {
      reject(size > limit ? new BodyTooLargeError(limit) : new ClientAbortedError());
    });
    req.on('close', () => {
      if (!req.complete)
        reject(size > limit ? new BodyTooLargeError(limit) : new ClientAbortedError());
    });
  });
}
