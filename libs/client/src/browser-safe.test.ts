import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('browser safety', () => {
  it('bundles for the browser with no Node built-in and no Node global', async () => {
    const result = await build({
      entryPoints: [resolve(import.meta.dirname, 'index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      minify: true,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    // esbuild fails on a node: import for the browser platform; check anyway, and for globals.
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\.|require\(/);
    expect(code.length).toBeGreaterThan(1_000);
  });
});
