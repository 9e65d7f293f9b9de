import { anchor, escapeHtml, renderMarkdown } from './html';

/** The part of a JSON Schema (OpenAPI 3.1) the docs page shows. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly example?: unknown;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
}

const MAX_DEPTH = 3;

/** A link to a named schema, or the name of an inline type. */
export function schemaType(schema: JsonSchema | undefined): string {
  if (!schema) return '<span class="type">any</span>';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? schema.$ref;
    return `<a class="type" href="#${anchor('schema', name)}">${escapeHtml(name)}</a>`;
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants)
    return variants.map((variant) => schemaType(variant)).join(' <span class="or">or</span> ');
  if (schema.enum)
    return `<span class="type">${schema.enum.map((value) => escapeHtml(JSON.stringify(value))).join(' | ')}</span>`;
  if (schema.type === 'array')
    return `<span class="type">array of</span> ${schemaType(schema.items)}`;
  if (
    schema.type === 'object' &&
    !schema.properties &&
    typeof schema.additionalProperties === 'object'
  ) {
    return `<span class="type">map of string →</span> ${schemaType(schema.additionalProperties)}`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  return `<span class="type">${escapeHtml(String(type))}${schema.format ? ` (${escapeHtml(schema.format)})` : ''}</span>`;
}

/** Bounds and defaults of a schema, as short human phrases. */
export function schemaConstraints(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    if (min !== undefined && max !== undefined) notes.push(`${min}–${max} ${unit}`);
    else if (max !== undefined) notes.push(`at most ${max} ${unit}`);
    else if (min !== undefined) notes.push(`at least ${min} ${unit}`);
  };
  range(schema.minLength, schema.maxLength, 'characters');
  range(schema.minItems, schema.maxItems, 'items');
  range(schema.minimum, schema.maximum, '(value)');
  if (schema.pattern) notes.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  if (schema.additionalProperties === false) notes.push('no other fields');
  if (schema.default !== undefined)
    notes.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  if (schema.example !== undefined)
    notes.push(`example <code>${escapeHtml(JSON.stringify(schema.example))}</code>`);
  return notes;
}

/** A schema as a type line, its constraints, and a table of its fields (nested objects inline). */
export function renderSchema(schema: JsonSchema, depth = 0): string {
  const notes = schemaConstraints(schema);
  const head = `<div class="schema-type">${schemaType(schema)}${notes.length ? ` <span class="notes">· ${notes.join(' · ')}</span>` : ''}</div>`;
  const description = schema.description ? renderMarkdown(schema.description) : '';
  const variants = (schema.oneOf ?? schema.anyOf ?? []).filter((variant) => variant.properties);
  const body = schema.properties
    ? propertiesTable(schema, depth)
    : variants
        .map(
          (variant, index) =>
            `<div class="variant">Variant ${index + 1}${propertiesTable(variant, depth)}</div>`,
        )
        .join('');
  return `${head}${description}${body}`;
}

function propertiesTable(schema: JsonSchema, depth: number): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const nested =
      property.properties && depth < MAX_DEPTH ? propertiesTable(property, depth + 1) : '';
    const notes = schemaConstraints(property);
    return `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${schemaType(property)}${
      notes.length ? `<div class="notes">${notes.join(' · ')}</div>` : ''
    }</td><td>${renderMarkdown(property.description)}${nested}</td></tr>`;
  });
  return `<table class="fields"><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
