/**
 * The baseline of the ingest bench: a bare Hono app on @hono/node-server, in its own process
 * like the ingest, answering every POST with a small 202 JSON body.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('*', (c) => c.json({ status: 'accepted' }, 202));
app.get('*', (c) => c.text('Hello World'));

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  // The bench reads this line to learn the port.
  console.log(JSON.stringify({ msg: 'hello listening', port: info.port }));
});
process.on('SIGTERM', () => process.exit(0));
