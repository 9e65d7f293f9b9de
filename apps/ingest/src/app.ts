import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, IngestEnv } from './deps';
import { onError, notFound } from './errors/on-error';
import { accessLog } from './middleware/access-log';
import { authenticate } from './middleware/auth';
import { rateLimit } from './middleware/rate-limit';
import { requestId } from './middleware/request-id';
import { securityHeaders } from './middleware/security-headers';
import { shedOverload } from './overload/shed-overload';
import { registerDocs } from './routes/docs';
import { registerGetChannelHistory } from './routes/get-channel-history';
import { registerGetMessage } from './routes/get-message';
import { registerHealthz } from './routes/healthz';
import { registerOpenApi } from './routes/openapi';
import { registerPostBatch } from './routes/post-batch';
import { registerPostMessage } from './routes/post-message';
import { registerReadyz } from './routes/readyz';
import { validationHook } from './routes/route-helpers';
import { registerSecurityScheme } from './routes/openapi-document';

/**
 * The ingest HTTP API over injected dependencies. Importing this file does no I/O; main.ts
 * builds the real dependencies, tests pass fakes.
 */
export function createApp(deps: AppDeps): OpenAPIHono<IngestEnv> {
  const app = new OpenAPIHono<IngestEnv>({ defaultHook: validationHook });
  app.onError(onError(deps.retryAfterSeconds));
  app.notFound(notFound(() => app.routes));
  app.use('*', requestId(deps.logger), accessLog(deps.lifecycle), securityHeaders());
  // Shed first: a refused request costs no key lookup and no body read.
  if (deps.overload) app.use('/v1/*', shedOverload(deps.overload, deps.retryAfterSeconds));
  app.use(
    '/v1/*',
    authenticate({
      keys: deps.keys,
      failures: deps.authFailures,
      trustedProxyHops: deps.trustedProxyHops,
    }),
    rateLimit(deps.rateLimiter),
  );

  registerPostMessage(app, deps);
  registerPostBatch(app, deps);
  registerGetMessage(app, deps);
  registerGetChannelHistory(app, deps);
  registerHealthz(app);
  registerReadyz(app, deps);

  registerSecurityScheme(app);
  registerOpenApi(app);
  registerDocs(app);
  return app;
}
