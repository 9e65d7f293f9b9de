import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './workspace';

const SKIP = new Set(['node_modules', 'dist', 'cdk.out', '.nx', '.git', 'reports', '.herald']);

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

const docs = filesUnder(join(WORKSPACE_ROOT, 'docs'), (name) => name.endsWith('.md'));
const invariantAnchors = new Set(
  [
    ...readFileSync(join(WORKSPACE_ROOT, 'docs/invariants.md'), 'utf8').matchAll(/<a id="(\d+)">/g),
  ].map((match) => match[1]),
);

describe('docs/', () => {
  it('defines the eight invariants as anchors #1 to #8', () => {
    expect([...invariantAnchors]).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('names only repository files that exist', () => {
    const missing = docs.flatMap((doc) =>
      [
        ...readFileSync(doc, 'utf8').matchAll(
          /`((?:apps|libs|tools|infra)\/[\w./-]+\.(?:ts|mjs|md|sh))`/g,
        ),
      ]
        .map((match) => match[1] ?? '')
        .filter((path) => !existsSync(join(WORKSPACE_ROOT, path)))
        .map((path) => `${relative(WORKSPACE_ROOT, doc)}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('is what code comments citing an invariant point at', () => {
    const sources = [
      ...['apps', 'libs', 'tools', 'infra'].map((dir) => join(WORKSPACE_ROOT, dir)),
    ].flatMap((dir) => filesUnder(dir, (name) => name.endsWith('.ts')));
    const dangling = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/docs\/invariants\.md#(\w+)/g)]
        .filter((match) => !invariantAnchors.has(match[1] ?? ''))
        .map((match) => `${relative(WORKSPACE_ROOT, file)}: ${match[0]}`),
    );
    // Bare "invariant N" in a comment (not in a test name) must link into docs/ instead.
    const bare = sources.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^\s*(\/\/|\*|\/\*\*).*\binvariants? \d/i.test(line))
        .map((line) => `${relative(WORKSPACE_ROOT, file)}: ${line.trim()}`),
    );
    expect({ dangling, bare }).toEqual({ dangling: [], bare: [] });
  });
});
