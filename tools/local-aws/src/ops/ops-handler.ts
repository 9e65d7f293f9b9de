import type { OpsSnapshot } from './ops-types';
import { OPS_CONTENT_SECURITY_POLICY, opsPageAssets } from './ops-page';

/** An answer of the ops endpoints, for the edge and for `herald ops`'s own server alike. */
export interface OpsReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function asset(body: string, type: string): OpsReply {
  return {
    status: 200,
    headers: {
      'content-type': type,
      'content-security-policy': OPS_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
    body,
  };
}

/** True for the paths {@link answerOps} serves. */
export function isOpsPath(path: string): boolean {
  return (
    path === '/_herald/ops' || path === '/_herald/ops.json' || path.startsWith('/_herald/ops/')
  );
}

/**
 * `GET /_herald/ops` (the page), `/_herald/ops/app.js`, `/_herald/ops/app.css` and
 * `/_herald/ops.json` (the snapshot the page polls every second).
 */
export function answerOps(method: string, path: string, snapshot: () => OpsSnapshot): OpsReply {
  const json = (status: number, body: unknown) => ({
    ...asset(JSON.stringify(body), 'application/json'),
    status,
  });
  if (method !== 'GET' && method !== 'HEAD') return json(405, { message: `Use GET on ${path}.` });
  const page = opsPageAssets();
  if (path === '/_herald/ops') return asset(page.html, 'text/html; charset=utf-8');
  if (path === '/_herald/ops/app.js') return asset(page.js, 'text/javascript; charset=utf-8');
  if (path === '/_herald/ops/app.css') return asset(page.css, 'text/css; charset=utf-8');
  if (path === '/_herald/ops.json') return json(200, snapshot());
  return json(404, { message: `No ops endpoint at ${path}.` });
}
