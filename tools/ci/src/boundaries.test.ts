import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeProjectGraph, WORKSPACE_ROOT } from './workspace';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';
const IMPORT_TESTING = [
  "import type { StackInfo } from '@herald/testing';",
  'export const probe: StackInfo | undefined = undefined;',
  '',
].join('\n');

// Linted as text under these names (nothing is written): the rule judges a file by its path, so
// these stand for files inside the ingest app, which is tagged `type:app`.
const probes = {
  production: join(WORKSPACE_ROOT, 'apps/ingest/src/boundary-probe.ts'),
  unitTest: join(WORKSPACE_ROOT, 'apps/ingest/src/boundary-probe.test.ts'),
  testHelper: join(WORKSPACE_ROOT, 'apps/ingest/test/boundary-probe.ts'),
  setupFile: join(WORKSPACE_ROOT, 'tools/local-stack/src/vitest-global-setup.ts'),
};

async function boundaryErrors(file: string): Promise<string[]> {
  // The workspace's own eslint.config.mjs, with type-aware rules off: the boundary rule reads
  // imports and the Nx project graph, not types, and a type-checked run costs ~30 s here.
  const eslint = new ESLint({
    cwd: WORKSPACE_ROOT,
    overrideConfig: [tseslint.configs.disableTypeChecked],
  });
  const [result] = await eslint.lintText(IMPORT_TESTING, { filePath: file });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === BOUNDARY_RULE)
    .map((message) => message.message);
}

describe('the @herald/testing boundary', () => {
  beforeAll(computeProjectGraph, 120_000);

  it('rejects an import of @herald/testing from production code', async () => {
    expect(await boundaryErrors(probes.production)).toEqual([
      expect.stringContaining(
        'can only depend on libs tagged with "type:data-access", "type:util"',
      ),
    ]);
  }, 60_000);

  it('lets a test file import @herald/testing', async () => {
    expect(await boundaryErrors(probes.unitTest)).toEqual([]);
  }, 60_000);

  it('lets a helper under test/ import @herald/testing', async () => {
    expect(await boundaryErrors(probes.testHelper)).toEqual([]);
  }, 60_000);

  it('lets a vitest global setup file import @herald/testing', async () => {
    expect(await boundaryErrors(probes.setupFile)).toEqual([]);
  }, 60_000);

  it('still rejects it from a tool’s production code', async () => {
    const errors = await boundaryErrors(join(WORKSPACE_ROOT, 'tools/local-stack/src/probe.ts'));
    expect(errors).toEqual([expect.stringContaining('A project tagged with "type:tool"')]);
  }, 60_000);
});
