/** The `herald` entry point (bin/herald.mjs runs it through tsx). */
import { processIo } from './io';
import { runCli } from './program';

const code = await runCli(process.argv.slice(2), { io: processIo() });
process.exit(code);
