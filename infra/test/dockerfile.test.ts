/**
 * The images cannot be built here (no Docker engine): these checks read the Dockerfiles and the
 * build context's ignore file and hold them to the production rules.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/constructs/service-image';

const read = (path: string) => readFileSync(`${REPO_ROOT}${path}`, 'utf8');

/** Instructions with comments and continuation lines folded: `[keyword, arguments]`. */
function instructions(dockerfile: string): [string, string][] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return [keyword.toUpperCase(), rest.join(' ')];
    });
}

describe.each(['ingest', 'worker'] as const)('apps/%s/Dockerfile', (app) => {
  const dockerfile = read(`apps/${app}/Dockerfile`);
  const steps = instructions(dockerfile);
  const stages = steps.filter(([keyword]) => keyword === 'FROM');
  const runtime = steps.slice(steps.lastIndexOf(stages.at(-1)!));

  it('is multi-stage on a Node LTS (22 or 24) slim base', () => {
    expect(stages.map(([, args]) => args)).toEqual([
      '${NODE_IMAGE} AS build',
      '${NODE_IMAGE} AS runtime',
    ]);
    expect(steps.find(([keyword]) => keyword === 'ARG')?.[1]).toMatch(
      /^NODE_IMAGE=node:(22|24)-bookworm-slim$/,
    );
    expect(dockerfile).toMatch(/^# syntax=docker\/dockerfile:1$/m);
  });

  it('installs with npm ci and builds the production bundle through Nx in the build stage', () => {
    const build = steps
      .slice(0, steps.indexOf(stages[1]!))
      .filter(([keyword]) => keyword === 'RUN')
      .map(([, args]) => args);
    expect(build).toEqual([expect.stringMatching(/npm ci\b/), `npx nx run @herald/${app}:build`]);
  });

  it('ships only the bundle into the runtime stage', () => {
    const copies = runtime.filter(([keyword]) => keyword === 'COPY').map(([, args]) => args);
    expect(copies).toEqual([`--from=build /repo/apps/${app}/dist/ ./`]);
    expect(
      runtime.some(([keyword, args]) => keyword === 'RUN' && /npm (ci|install)/.test(args)),
    ).toBe(false);
  });

  it('runs as the unprivileged node user', () => {
    const users = runtime.filter(([keyword]) => keyword === 'USER');
    expect(users.map(([, user]) => user)).toEqual(['node']);
    const userAt = runtime.indexOf(users[0]!);
    expect(runtime.findIndex(([keyword]) => keyword === 'ENTRYPOINT')).toBeGreaterThan(userAt);
  });

  it('starts node in exec form so SIGTERM reaches the app', () => {
    const entrypoints = steps.filter(([keyword]) => keyword === 'ENTRYPOINT');
    expect(entrypoints).toEqual([['ENTRYPOINT', '["node", "main.js"]']]);
    expect(JSON.parse(entrypoints[0]![1])).toEqual(['node', 'main.js']);
    expect(steps.some(([keyword]) => keyword === 'CMD')).toBe(false);
  });

  it('trusts the RDS certificate authorities (PostgreSQL is TLS-only, verified)', () => {
    expect(dockerfile).toContain('NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem');
    // The bundle's URL is a build argument (tools/images builds offline); AWS's is the default.
    expect(runtime).toContainEqual([
      'ARG',
      'RDS_CA_BUNDLE_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
    ]);
    expect(runtime).toContainEqual([
      'ADD',
      '--chmod=644 ${RDS_CA_BUNDLE_URL} /etc/ssl/certs/rds-global-bundle.pem',
    ]);
  });
});

describe('.dockerignore', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps installed, generated and VCS files out of the build context', () => {
    expect(ignored).toEqual(
      expect.arrayContaining([
        '**/node_modules',
        '**/dist',
        '**/cdk.out',
        '**/.nx',
        '.git',
        'reports',
      ]),
    );
  });

  it('keeps every workspace manifest (npm ci needs them all)', () => {
    // A `!` pattern re-includes (tools/images keeps only its manifest): it ignores nothing.
    for (const pattern of ignored.filter((line) => !line.startsWith('!')))
      expect(pattern).not.toMatch(/package(-lock)?\.json$|^(apps|libs|tools)\/?\*?$/);
    expect(ignored).toContain('!tools/images/package.json');
  });
});
