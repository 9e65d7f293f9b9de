import type { BundleSpec } from './bundle';

export type AppName = 'ingest' | 'worker';

/**
 * The production bundle of each app. The worker image also runs the one-off migration
 * (`node migrate.js`), which reads the committed migrations from `./migrations` beside it.
 */
export const APP_BUNDLES: Readonly<Record<AppName, BundleSpec>> = {
  ingest: {
    entries: { main: 'apps/ingest/src/main.ts' },
  },
  worker: {
    entries: { main: 'apps/worker/src/main.ts', migrate: 'apps/worker/src/migrate.ts' },
    copies: [{ from: 'libs/db/migrations', to: 'migrations' }],
  },
};

/** Narrows a CLI argument to an app name. */
export function isAppName(name: string | undefined): name is AppName {
  return name !== undefined && Object.hasOwn(APP_BUNDLES, name);
}
