// Injected by esbuild (`inject`): CommonJS dependencies that read __dirname/__filename get the
// bundle's own location. Injection (unlike a banner) lets esbuild rename on collisions.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);

export { __dirname, __filename };
