/**
 * `tsx tools/bundle/src/cli.ts <app>`: writes apps/<app>/dist (the apps' `build` script).
 * Exits 1 with the reason when the app cannot be bundled.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_BUNDLES, isAppName } from './apps';
import { bundleApp } from './bundle';

const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function main(argv: readonly string[]): Promise<void> {
  const [app] = argv;
  if (!isAppName(app)) {
    throw new Error(
      `usage: cli.ts <${Object.keys(APP_BUNDLES).join('|')}> (got ${app ?? 'nothing'})`,
    );
  }
  const outdir = join(WORKSPACE_ROOT, 'apps', app, 'dist');
  const started = performance.now();
  const result = await bundleApp(APP_BUNDLES[app], { root: WORKSPACE_ROOT, outdir });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`bundled ${app} into ${outdir} in ${seconds} s`);
  for (const file of result.files)
    console.log(`  ${file.path.padEnd(40)} ${(file.bytes / 1024).toFixed(0).padStart(8)} KiB`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
