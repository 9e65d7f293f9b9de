/**
 * The baseline of the ingest bench: a bare Hono app on @hono/node-server (`createHelloApp`), in
 * its own process like the ingest.
 */
import { serve } from '@hono/node-server';
import { createHelloApp } from './hello-app';

serve({ fetch: createHelloApp().fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  // The bench reads this line to learn the port.
  console.log(JSON.stringify({ msg: 'hello listening', port: info.port }));
});
process.on('SIGTERM', () => process.exit(0));
