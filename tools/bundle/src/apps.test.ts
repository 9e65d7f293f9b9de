import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_BUNDLES, isAppName } from './apps';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('APP_BUNDLES', () => {
  it('bundles each app from its composition root', () => {
    expect(APP_BUNDLES.ingest.entries).toEqual({ main: 'apps/ingest/src/main.ts' });
    expect(APP_BUNDLES.worker.entries).toEqual({
      main: 'apps/worker/src/main.ts',
      migrate: 'apps/worker/src/migrate.ts',
    });
  });

  it('ships the committed migrations beside migrate.js', () => {
    expect(APP_BUNDLES.worker.copies).toEqual([{ from: 'libs/db/migrations', to: 'migrations' }]);
    expect(existsSync(`${ROOT}libs/db/migrations/meta/_journal.json`)).toBe(true);
  });

  it('accepts only known app names on the command line', () => {
    expect(isAppName('worker')).toBe(true);
    expect(isAppName('toString')).toBe(false);
    expect(isAppName(undefined)).toBe(false);
  });
});
