import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
// The shared vitest setup is imported by path, as every vitest.config.ts does (the root ESLint
// config exempts those by name only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { STACK_GLOBAL_SETUP } from '../../vitest.shared';

// Not `vitest.config.ts`: Nx would infer a `test` target and `npm test` would need podman.
// `npm run images:test` runs this (vitest demands the default export).
// eslint-disable-next-line import-x/no-default-export
export default defineConfig({
  root: import.meta.dirname,
  cacheDir: resolve(import.meta.dirname, '../../node_modules/.vite/images'),
  test: {
    name: 'images:e2e',
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: [STACK_GLOBAL_SETUP],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 45 * 60_000,
    // .ci/run sums this report into its `N passed, N failed` line with the others.
    reporters: ['default', 'json'],
    outputFile: { json: resolve(import.meta.dirname, '../../reports/vitest/@herald/images.json') },
  },
});
