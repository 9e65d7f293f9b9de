import type { OpenAPIHono } from '@hono/zod-openapi';
import { LIMITS, PROBLEM_STATUS, STORABLE_RULES, type ProblemCode } from '@herald/contracts';
import type { IngestEnv } from '../deps';
import { PROBLEM_TITLES } from '../errors/problem';
import { BEARER_AUTH } from './route-helpers';

const API_DESCRIPTION = `The public HTTP API of Herald: producers send messages, which are accepted durably into a queue and stored by the worker; producers then read a message’s status and a channel’s history.

Authenticate every \`/v1\` call with \`Authorization: Bearer <api key>\`. A key belongs to one tenant and carries scopes (\`messages:write\`, \`messages:read\`); it reads and writes only its tenant’s messages. Revoked keys stop working within the key cache TTL (30 s by default).

**202 means durable**: the API answers 202 only once SQS has accepted every message it acknowledges. A 503 means nothing was acknowledged: send again after \`Retry-After\` seconds. With an \`Idempotency-Key\`, retries of \`POST /v1/messages\` are safe: they return the same id.

Errors are \`application/problem+json\` (RFC 9457) with a stable \`code\` and the \`requestId\` (also in the \`X-Request-Id\` header; send your own to correlate). Validation failures list every offending field in \`errors\` as a JSON pointer into the body (\`/query/…\`, \`/path/…\`, \`/headers/…\` for other parts of the request).

Each API key has a token bucket per ingest task (every request costs one token; a batch is one request); the \`RateLimit-Policy\` and \`RateLimit\` headers show it, and a 429 carries \`Retry-After\`.

**What is accepted is stored unchanged.** Rather than store a value differently from how it was sent, the API refuses it: ${STORABLE_RULES} A message body may not be \`null\`.`;

/** Limits shown in the docs, from the contracts. */
const LIMIT_NOTES: readonly [keyof typeof LIMITS, string][] = [
  ['requestMaxBytes', 'bytes per request body (checked before parsing: 413)'],
  ['batchMaxMessages', 'messages per batch'],
  ['bodyMaxBytes', 'bytes per message body (UTF-8; JSON text when not a string)'],
  ['channelMaxLength', 'characters per channel name'],
  ['senderMaxLength', 'characters per sender'],
  ['attributesMaxCount', 'attributes per message'],
  ['attributeKeyMaxLength', 'characters per attribute key'],
  ['attributeValueMaxLength', 'characters per attribute value'],
  ['idempotencyKeyMaxLength', 'characters per Idempotency-Key'],
  ['historyPageMax', 'items per history page'],
];

/** Registers what the routes share (the bearer scheme). Call before building the document. */
export function registerSecurityScheme(app: OpenAPIHono<IngestEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer <key>`.',
  });
}

/** The OpenAPI 3.1 document, with the limits and error codes as `x-` extensions for the docs page. */
export function buildOpenApiDocument(app: OpenAPIHono<IngestEnv>) {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Herald ingest API', version: '1.0.0', description: API_DESCRIPTION },
    tags: [
      { name: 'messages', description: 'Send messages and read their status.' },
      { name: 'channels', description: 'Read a channel’s history.' },
      { name: 'operations', description: 'Probes for load balancers and orchestrators.' },
    ],
  });
  return {
    ...document,
    'x-herald-limits': LIMIT_NOTES.map(([name, unit]) => ({ name, value: LIMITS[name], unit })),
    'x-herald-problems': (Object.keys(PROBLEM_STATUS) as ProblemCode[]).map((code) => ({
      code,
      status: PROBLEM_STATUS[code],
      title: PROBLEM_TITLES[code].title,
      meaning: PROBLEM_TITLES[code].meaning,
    })),
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
