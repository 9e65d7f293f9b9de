/**
 * What the workspace checks ask Nx: the affected projects of a change, computed offline
 * (no daemon, no Nx Cloud) exactly as `nx affected` in CI computes them.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The workspace root (two levels above this tool's `src/`). */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/**
 * The projects `nx affected` would select if only `files` changed.
 * @param files workspace-relative paths, e.g. `apps/worker/src/main.ts`
 */
export async function affectedProjects(files: readonly string[]): Promise<string[]> {
  const { stdout } = await run(
    'npx',
    ['nx', 'show', 'projects', '--affected', `--files=${files.join(',')}`, '--json'],
    { cwd: WORKSPACE_ROOT, env: NX_ENV, maxBuffer: 16 * 1024 * 1024 },
  );
  const projects: unknown = JSON.parse(stdout);
  if (!Array.isArray(projects) || !projects.every((p) => typeof p === 'string')) {
    throw new Error(`nx show projects printed no list of names: ${stdout.slice(0, 200)}`);
  }
  return projects.sort();
}

/**
 * Writes Nx's project graph cache (`.nx/workspace-data`): `@nx/enforce-module-boundaries`
 * silently skips itself when ESLint runs without one.
 */
export async function computeProjectGraph(): Promise<void> {
  await run('npx', ['nx', 'show', 'projects'], { cwd: WORKSPACE_ROOT, env: NX_ENV });
}
