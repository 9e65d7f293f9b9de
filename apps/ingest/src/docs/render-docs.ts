import type { OpenApiDocument } from '../routes/openapi-document';
import { DOCS_CSS } from './docs-style';
import { anchor, escapeHtml, renderMarkdown } from './html';
import { renderSchema, schemaConstraints, schemaType, type JsonSchema } from './render-schema';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly description?: string;
  readonly schema?: JsonSchema;
}

interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>>;
  };
  readonly responses?: Readonly<
    Record<
      string,
      {
        readonly description?: string;
        readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>>;
      }
    >
  >;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The API reference as one self-contained HTML page: no scripts, no external resources. */
export function renderDocs(document: OpenApiDocument): string {
  const operations = listOperations(document);
  const schemas = Object.entries(
    (document.components?.schemas ?? {}) as Record<string, JsonSchema>,
  );
  const nav = [
    '<h2>Operations</h2>',
    ...operations.map(
      ({ method, path }) =>
        `<a href="#${opAnchor(method, path)}">${method.toUpperCase()} ${escapeHtml(path)}</a>`,
    ),
    '<h2>Reference</h2><a href="#errors">Error codes</a><a href="#limits">Limits</a>',
    '<h2>Schemas</h2>',
    ...schemas.map(([name]) => `<a href="#${anchor('schema', name)}">${escapeHtml(name)}</a>`),
    '<h2>Machine-readable</h2><a href="/openapi.json">openapi.json</a>',
  ].join('');
  const main = [
    `<h1>${escapeHtml(document.info.title)}</h1><div class="version">version ${escapeHtml(document.info.version)} · OpenAPI ${escapeHtml(document.openapi)}</div>`,
    renderMarkdown(document.info.description),
    '<h2 class="section">Operations</h2>',
    ...operations.map(({ method, path, operation }) =>
      renderOperation(method, path, operation, (ref) => resolveRef(document, ref)),
    ),
    renderErrors(document),
    renderLimits(document),
    '<h2 class="section">Schemas</h2>',
    ...schemas.map(
      ([name, schema]) =>
        `<section class="schema" id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3>${renderSchema(schema)}</section>`,
    ),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)}</title><style>${DOCS_CSS}</style></head>
<body><div class="layout"><nav>${nav}</nav><main>${main}</main></div></body></html>`;
}

function listOperations(
  document: OpenApiDocument,
): { method: string; path: string; operation: Operation }[] {
  const paths = (document.paths ?? {}) as Record<
    string,
    Partial<Record<(typeof METHODS)[number], Operation>>
  >;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
}

function opAnchor(method: string, path: string): string {
  return anchor('op', method, path);
}

/** The named schema a `$ref` points at, so request bodies show their fields in place. */
function resolveRef(document: OpenApiDocument, ref: string): JsonSchema | undefined {
  const name = ref.split('/').pop() ?? '';
  return ((document.components?.schemas ?? {}) as Record<string, JsonSchema>)[name];
}

function renderOperation(
  method: string,
  path: string,
  operation: Operation,
  resolve: (ref: string) => JsonSchema | undefined,
): string {
  const secured = (operation.security ?? []).length > 0;
  const parts = [
    `<div class="op-head"><span class="method ${method}">${method}</span><span class="path">${escapeHtml(path)}</span><span class="summary">${escapeHtml(operation.summary ?? '')}</span></div>`,
    secured
      ? '<p><span class="scope">Authorization: Bearer &lt;api key&gt;</span></p>'
      : '<p><span class="scope">no authentication</span></p>',
    renderMarkdown(operation.description),
  ];
  if (operation.parameters?.length)
    parts.push('<h4>Parameters</h4>', renderParameters(operation.parameters));
  const body = operation.requestBody?.content;
  if (body) {
    for (const [mediaType, content] of Object.entries(body)) {
      parts.push(
        `<h4>Request body <code>${escapeHtml(mediaType)}</code>${operation.requestBody.required ? ' <span class="req">required</span>' : ''}</h4>`,
      );
      const schema = content.schema?.$ref ? resolve(content.schema.$ref) : content.schema;
      if (content.schema?.$ref)
        parts.push(`<div class="schema-type">${schemaType(content.schema)}</div>`);
      if (schema) parts.push(renderSchema(schema));
    }
  }
  parts.push('<h4>Responses</h4>', renderResponses(operation.responses ?? {}));
  return `<section class="op" id="${opAnchor(method, path)}">${parts.join('\n')}</section>`;
}

function renderParameters(parameters: readonly Parameter[]): string {
  const rows = parameters.map((parameter) => {
    const notes = parameter.schema ? schemaConstraints(parameter.schema) : [];
    return `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.required ? ' <span class="req">required</span>' : ''}</td><td>${escapeHtml(parameter.in)}</td><td>${schemaType(parameter.schema)}${
      notes.length ? `<div class="notes">${notes.join(' · ')}</div>` : ''
    }</td><td>${renderMarkdown(parameter.description ?? parameter.schema?.description)}</td></tr>`;
  });
  return `<table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderResponses(responses: NonNullable<Operation['responses']>): string {
  const rows = Object.entries(responses).map(([status, response]) => {
    const content = Object.entries(response.content ?? {})
      .map(
        ([mediaType, media]) => `<code>${escapeHtml(mediaType)}</code> ${schemaType(media.schema)}`,
      )
      .join('<br>');
    return `<tr><td><span class="status s${status[0] ?? ''}">${escapeHtml(status)}</span></td><td>${renderMarkdown(response.description)}</td><td>${content}</td></tr>`;
  });
  return `<table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderErrors(document: OpenApiDocument): string {
  const rows = document['x-herald-problems'].map(
    (problem) =>
      `<tr><td><code>${escapeHtml(problem.code)}</code></td><td><span class="status s${String(problem.status)[0] ?? ''}">${problem.status}</span></td><td>${escapeHtml(problem.title)}</td><td>${renderMarkdown(problem.meaning)}</td></tr>`,
  );
  return `<h2 class="section" id="errors">Error codes</h2><p>Every error is <code>application/problem+json</code> (RFC 9457) with one of these stable codes.</p><table><thead><tr><th>Code</th><th>Status</th><th>Title</th><th>What to do</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderLimits(document: OpenApiDocument): string {
  const rows = document['x-herald-limits'].map(
    (limit) =>
      `<tr><td><code>${escapeHtml(limit.name)}</code></td><td>${limit.value}</td><td>${escapeHtml(limit.unit)}</td></tr>`,
  );
  return `<h2 class="section" id="limits">Limits</h2><table><thead><tr><th>Limit</th><th>Value</th><th>Unit</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
