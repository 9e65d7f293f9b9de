import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** What one app's production bundle consists of; paths are relative to the workspace root. */
export interface BundleSpec {
  /** Output name (without `.js`) → TypeScript entry, e.g. `{ main: 'apps/ingest/src/main.ts' }`. */
  readonly entries: Readonly<Record<string, string>>;
  /** Folders copied next to the bundle, e.g. the committed migrations. */
  readonly copies?: readonly { readonly from: string; readonly to: string }[];
  /** Packages left out of the bundle because they cannot be bundled (native addons). */
  readonly external?: readonly string[];
}

export interface BundleOptions {
  /** The workspace root the spec's paths are relative to. */
  readonly root: string;
  /** Emptied, then filled with `<entry>.js` (+ `.map`), the copies and a package.json. */
  readonly outdir: string;
}

export interface BundleResult {
  readonly outdir: string;
  /** Every file written, relative to `outdir`, with its size. */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

/** Thrown when a spec cannot be bundled as written; the message says what to fix. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

/** Always external: optional native bindings that pure-JS fallbacks replace at runtime. */
export const DEFAULT_EXTERNAL = ['pg-native'] as const;

/** The Node.js version the bundle targets (the runtime image's major). */
export const NODE_TARGET = 'node22';

const SHIM = fileURLToPath(new URL('./shims/node-globals.mjs', import.meta.url));

/** ESM output has no `require`; CommonJS dependencies that call it get Node's own. */
const BANNER = [
  "import { createRequire as __heraldCreateRequire } from 'node:module';",
  'const require = __heraldCreateRequire(import.meta.url);',
].join('\n');

/**
 * Bundles each entry into one ESM file for Node 22 (every dependency inlined except
 * `external`), copies the extra folders and writes `{ "type": "module" }` beside them, so the
 * output directory runs with `node main.js` and no node_modules.
 * @example await bundleApp(APP_BUNDLES.worker, { root, outdir: join(root, 'apps/worker/dist') });
 */
export async function bundleApp(spec: BundleSpec, options: BundleOptions): Promise<BundleResult> {
  const entryPoints = resolveEntries(spec, options.root);
  const external = [...DEFAULT_EXTERNAL, ...(spec.external ?? [])];
  rmSync(options.outdir, { recursive: true, force: true });
  mkdirSync(options.outdir, { recursive: true });

  const result = await build({
    entryPoints,
    outdir: options.outdir,
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    splitting: false,
    // Prefer packages' ESM builds; fall back to CommonJS.
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    inject: [SHIM],
    external,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    // Error class names appear in logs and `instanceof`-free checks (`error.name`).
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  assertSelfContained(result.metafile, external);

  for (const copy of spec.copies ?? []) {
    const from = resolve(options.root, copy.from);
    if (!existsSync(from))
      throw new BundleError(
        `copy source ${copy.from} does not exist (relative to ${options.root})`,
      );
    cpSync(from, join(options.outdir, copy.to), { recursive: true });
  }
  writeFileSync(
    join(options.outdir, 'package.json'),
    `${JSON.stringify({ type: 'module' }, null, 2)}\n`,
  );
  return { outdir: options.outdir, files: listFiles(options.outdir) };
}

function resolveEntries(spec: BundleSpec, root: string): Record<string, string> {
  const names = Object.keys(spec.entries);
  if (names.length === 0) throw new BundleError('a bundle needs at least one entry');
  return Object.fromEntries(
    names.map((name) => {
      const entry = resolve(root, spec.entries[name] ?? '');
      if (!existsSync(entry)) {
        throw new BundleError(
          `entry "${name}": ${relative(root, entry)} does not exist (paths are relative to ${root})`,
        );
      }
      return [name, entry];
    }),
  );
}

/** Fails when anything but Node built-ins and the declared externals was left out of the bundle. */
function assertSelfContained(metafile: Metafile, external: readonly string[]): void {
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const allowed = (path: string) =>
    builtins.has(path) ||
    path.startsWith('node:') ||
    external.some((name) => path === name || path.startsWith(`${name}/`));
  const leaked = Object.values(metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external && !allowed(imported.path))
    .map((imported) => imported.path);
  if (leaked.length > 0) {
    throw new BundleError(
      `the bundle would need node_modules at runtime for: ${[...new Set(leaked)].join(', ')}`,
    );
  }
}

function listFiles(dir: string, prefix = ''): { path: string; bytes: number }[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      const shown = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory()
        ? listFiles(path, shown)
        : [{ path: shown, bytes: statSync(path).size }];
    });
}
