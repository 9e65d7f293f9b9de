import { describe, expect, it } from 'vitest';
import { affectedProjects } from './workspace';

// Each case spawns Nx, which computes the project graph from scratch (no daemon): seconds on an
// idle machine, tens of seconds on a loaded one.
const NX_TIMEOUT_MS = 120_000;

// tools/local-stack starts both apps by file path (`npm start`), tools/bench runs their entry
// points, tools/bundle bundles them: no import edge, so the apps' package.json nx fields of these
// tools declare the dependency. Without it a change in one app skips the end-to-end tests.
describe.each([
  { app: '@herald/ingest', file: 'apps/ingest/src/main.ts' },
  { app: '@herald/worker', file: 'apps/worker/src/main.ts' },
])('a change in $app', ({ app, file }) => {
  it(
    'affects the local stack, the bundle and the bench tools',
    async () => {
      const affected = await affectedProjects([file]);
      expect(affected).toEqual(
        expect.arrayContaining([app, '@herald/local-stack', '@herald/bundle', '@herald/bench']),
      );
    },
    NX_TIMEOUT_MS,
  );
});

describe('a change in a tool alone', () => {
  it(
    'does not select the apps that never run it',
    async () => {
      const affected = await affectedProjects(['tools/bench/src/bench.ts']);
      expect(affected).toContain('@herald/bench');
      // The herald CLI registers the bench's cost command, so it follows; the apps never do.
      expect(affected).not.toContain('@herald/ingest');
      expect(affected).not.toContain('@herald/worker');
    },
    NX_TIMEOUT_MS,
  );
});
