#!/usr/bin/env node
// Sums the vitest JSON reports under reports/vitest into one `N passed, N failed` line.
// A project with a test target but no report (it crashed before reporting) counts as one failure.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [reportsDir = 'reports/vitest', ...expected] = process.argv.slice(2);

function reports(dir) {
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? reports(path) : name.endsWith('.json') ? [path] : [];
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const seen = new Set();
for (const file of reports(reportsDir)) {
  const project = relative(reportsDir, file).replace(/\.json$/, '');
  seen.add(project);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed +=
    (report.numFailedTests ?? 0) + (report.success === false && !report.numFailedTests ? 1 : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`  ${project}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
for (const project of expected) {
  if (!seen.has(project)) {
    console.log(`  ${project}: no test report (the run crashed before reporting)`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
