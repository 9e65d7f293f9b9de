import type { OpenAPIHono } from '@hono/zod-openapi';
import type { IngestEnv } from '../deps';
import { renderDocs } from '../docs/render-docs';
import { lazyOpenApiDocument } from './openapi';

/** Nothing on the page loads from elsewhere: no scripts at all, styles inline. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /docs`: the API reference as one self-contained HTML page, rendered from the OpenAPI document. */
export function registerDocs(
  app: OpenAPIHono<IngestEnv>,
  document = lazyOpenApiDocument(app),
): void {
  let html: string | undefined;
  app.get('/docs', function docs(c) {
    html ??= renderDocs(document());
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    return c.html(html);
  });
}
