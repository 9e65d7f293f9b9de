#!/usr/bin/env node
// The API docs page is tested in headless Debian Chromium. Install it when it is missing,
// so `npm test` on a fresh machine needs nothing by hand (apt needs root).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// CHROMIUM_PATH points the test at another Chromium-based browser (e.g. a CI runner's Chrome).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH=${CHROMIUM} does not exist.`);
    process.exit(1);
  }
  if (process.getuid?.() !== 0) {
    console.error(
      `${CHROMIUM} is missing: install Debian's chromium package (sudo apt-get install chromium) and rerun.`,
    );
    process.exit(1);
  }
  console.log('installing chromium (for the API docs page test)…');
  execSync(
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium',
    {
      stdio: 'inherit',
    },
  );
}
