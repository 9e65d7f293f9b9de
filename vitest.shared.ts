/**
 * One vitest setup for every project: unit tests (`*.test.ts`, no network, parallel) and
 * integration tests (`*.int.test.ts`, against the real local stack, serial). Each run writes a
 * JSON report under `reports/vitest/` that `.ci/run` sums into its `N passed, N failed` line.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const WORKSPACE_ROOT = fileURLToPath(new URL('.', import.meta.url));

/** Starts PostgreSQL, dynalite and the SQS/SNS emulator once per integration run. */
export const STACK_GLOBAL_SETUP = resolve(
  WORKSPACE_ROOT,
  'tools/local-stack/src/vitest-global-setup.ts',
);

export interface HeraldVitestOptions {
  /** Project name as Nx knows it, e.g. `@herald/ingest`. */
  name: string;
  /** The project's folder (pass `import.meta.dirname`). */
  root: string;
  /** Whether `*.int.test.ts` need the local stack started by the global setup. */
  stack?: boolean;
  /** Per-test timeout for integration tests, ms. */
  intTimeoutMs?: number;
  /**
   * Per-test timeout for unit tests, ms (vitest's default is 5 s). Raise it for projects whose unit
   * tests are CPU-heavy (CDK synthesis): a loaded CI machine runs them several times slower.
   */
  unitTimeoutMs?: number;
}

/**
 * The AWS SDK's own 9-line Node version warning, turned off for every test process and what it
 * spawns: tests build SDK clients directly, not only through `@herald/aws` (whose
 * `replaceNodeVersionNotice` says once per run that Node 22 is recommended).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function heraldVitestConfig(options: HeraldVitestOptions): ViteUserConfig {
  const slug = options.name.replace(/^@herald\//, '');
  return defineConfig({
    root: options.root,
    cacheDir: resolve(WORKSPACE_ROOT, 'node_modules/.vite', slug),
    test: {
      reporters: ['default', 'json'],
      outputFile: { json: resolve(WORKSPACE_ROOT, 'reports/vitest', `${options.name}.json`) },
      passWithNoTests: false,
      projects: [
        {
          extends: true,
          test: {
            name: `${slug}:unit`,
            include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: ['**/*.int.test.ts', '**/node_modules/**'],
            environment: 'node',
            // Unit tests assert behaviour, never speed: the bound only stops a hung test. 5 s
            // (vitest's default) failed a fuzz test (14 s) and the docs page in Chromium (11 s)
            // with .ci/run beside two busy loops and other work on 2 cores.
            testTimeout: options.unitTimeoutMs ?? 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            name: `${slug}:int`,
            include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
            environment: 'node',
            globalSetup: options.stack ? [STACK_GLOBAL_SETUP] : [],
            // Integration suites share one stack: run files one at a time.
            fileParallelism: false,
            testTimeout: options.intTimeoutMs ?? 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  });
}
