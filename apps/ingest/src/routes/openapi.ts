import type { OpenAPIHono } from '@hono/zod-openapi';
import type { IngestEnv } from '../deps';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';

/** Builds the document once, on first use (every route is registered by then). */
export function lazyOpenApiDocument(app: OpenAPIHono<IngestEnv>): () => OpenApiDocument {
  let document: OpenApiDocument | undefined;
  return () => (document ??= buildOpenApiDocument(app));
}

/** `GET /openapi.json`: the OpenAPI 3.1 document generated from the zod schemas. */
export function registerOpenApi(
  app: OpenAPIHono<IngestEnv>,
  document = lazyOpenApiDocument(app),
): void {
  app.get('/openapi.json', function openApiJson(c) {
    return c.json(document());
  });
}
