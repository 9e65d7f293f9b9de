#!/usr/bin/env node
// The API docs page is tested in headless Debian Chromium. Install it when it is missing,
// so `npm test` on a fresh machine needs nothing by hand (apt needs root).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(`${CHROMIUM} is missing: install Debian's chromium package (sudo apt-get install chromium) and rerun.`);
    process.exit(1);
  }
  console.log('installing chromium (for the API docs page test)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium', {
    stdio: 'inherit',
  });
}
