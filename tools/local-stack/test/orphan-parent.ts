// Starts PostgreSQL on the given data dir and port, prints its pid, then waits to be SIGKILLed
// (the test kills this parent so the postmaster is orphaned, as a crashed `npm start` would).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPostgres } from '../src/postgres';

const [dataDir = '', port = '0'] = process.argv.slice(2);
await startPostgres({ dataDir, port: Number(port), password: 'pw', fast: true });
const pid = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
console.log(`postmaster ${pid ?? ''}`);
setInterval(() => undefined, 60_000);
