/** What an API key may do. `messages:write` posts messages; `messages:read` reads status and history. */
export const API_KEY_SCOPES = ['messages:write', 'messages:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Thrown for an unknown scope, naming it and the known ones. */
export class InvalidScopeError extends Error {
  override readonly name = 'InvalidScopeError';

  constructor(readonly scope: string) {
    super(`unknown scope "${scope}": expected one of ${API_KEY_SCOPES.join(', ')}`);
  }
}

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/**
 * Checks scopes (deduplicated, in the canonical order) and throws on an unknown one.
 * @example parseScopes('messages:write,messages:read'.split(','))
 */
export function parseScopes(values: readonly string[]): ApiKeyScope[] {
  const wanted = new Set(values.map((value) => value.trim()).filter((value) => value !== ''));
  for (const scope of wanted) if (!isApiKeyScope(scope)) throw new InvalidScopeError(scope);
  return API_KEY_SCOPES.filter((scope) => wanted.has(scope));
}
