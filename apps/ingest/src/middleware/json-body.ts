import type { MiddlewareHandler } from 'hono';
import { parseStorableJson } from '@herald/contracts';
import type { IngestEnv } from '../deps';
import { ApiError, ClientAbortError } from '../errors/api-error';
import { jsonDepthExceeds } from './json-depth';

/** Deepest nesting of objects and arrays accepted in a request (deeper junk could exhaust the stack). */
export const JSON_MAX_DEPTH = 32;

const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Reads a JSON request body within `maxBytes` before anything parses it: 415 for another media
 * type, 413 past the limit (declared or counted while streaming, so chunked bodies are bounded
 * too), 400 for an empty, non-UTF-8 or malformed body, 422 when nested too deep. The parsed value
 * is handed to the route's validator as `c.req.json()`.
 */
export function jsonBody(maxBytes: number): MiddlewareHandler<IngestEnv> {
  return async function jsonBodyMiddleware(c, next) {
    const contentType = c.req.header('content-type') ?? '';
    if (!JSON_MEDIA_TYPE.test(contentType.trim())) {
      throw new ApiError(
        'unsupported_media_type',
        'send the body as `Content-Type: application/json` (UTF-8)',
      );
    }
    const declared = c.req.header('content-length');
    if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) {
      throw tooLarge(maxBytes, declared);
    }
    // With a declared length the HTTP parser delivers exactly that many bytes, so the whole body
    // can be read at once (@hono/node-server reads it straight off the socket); without one the
    // stream is counted and cut at the limit.
    const bytes = await readBody(c.req.raw, declared, maxBytes);
    if (bytes.byteLength === 0) throw new ApiError('malformed_json', 'the request body is empty');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ApiError('malformed_json', 'the request body is not valid UTF-8');
    }
    if (jsonDepthExceeds(text, JSON_MAX_DEPTH)) {
      throw new ApiError('validation_failed', `JSON nested deeper than ${JSON_MAX_DEPTH} levels`, {
        errors: [
          {
            path: '',
            message: `must not nest objects and arrays deeper than ${JSON_MAX_DEPTH} levels`,
          },
        ],
      });
    }
    let value: unknown;
    try {
      // Numbers that would not read back as written are marked for the schema to refuse.
      value = parseStorableJson(text);
    } catch {
      throw new ApiError('malformed_json', 'the request body is not valid JSON');
    }
    // Hono's `c.req.json()` (which the route validator calls) caches bodies as text and
    // re-parses them with JSON.parse, which would undo the marks above and parse a second time:
    // hand the validator this value instead.
    const parsed = Promise.resolve(value);
    Object.defineProperty(c.req, 'json', { value: () => parsed, configurable: true });
    await next();
  };
}

async function readBody(
  request: Request,
  declared: string | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  try {
    return declared !== undefined
      ? new Uint8Array(await request.arrayBuffer())
      : await readBounded(request.body, maxBytes);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // The stream broke: the client hung up (or a proxy cut it) mid-body.
    throw new ClientAbortError({ cause: error });
  }
}

function tooLarge(maxBytes: number, declared?: string): ApiError {
  if (declared !== undefined && !/^\d+$/.test(declared))
    return new ApiError('bad_request', 'Content-Length is not a number');
  return new ApiError('payload_too_large', `the request body exceeds ${maxBytes} bytes`);
}

async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
