import { Hono } from 'hono';

/**
 * Baseline B: the least a JSON POST endpoint on Hono does. It parses every body, as the ingest
 * does (B's CPU per request must include a JSON parse to be the floor the ingest is held to), and
 * answers 202 with a small JSON body.
 */
export function createHelloApp(): Hono {
  const app = new Hono();
  app.post('*', async function accept(c) {
    try {
      await c.req.json();
    } catch {
      return c.json({ status: 'invalid json' }, 400);
    }
    return c.json({ status: 'accepted' }, 202);
  });
  app.get('*', (c) => c.text('Hello World'));
  return app;
}
