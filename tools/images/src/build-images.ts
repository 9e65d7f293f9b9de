/**
 * Builds the app images from their unchanged Dockerfiles on the local base image, with podman.
 * The build context is the repository root, as for the CDK's `ContainerImage.fromAsset`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CACHE_DIR, ensureBaseImage } from './base-image';
import { imageSize, podmanStreaming, ULIMITS } from './podman';
import { WORKSPACE_ROOT } from './task-definitions';

/** The app images, by the Dockerfile the CDK builds them from. */
export const APP_IMAGES = {
  'apps/ingest/Dockerfile': 'localhost/herald-ingest:local',
  'apps/worker/Dockerfile': 'localhost/herald-worker:local',
} as const;

export type Dockerfile = keyof typeof APP_IMAGES;

export interface BuiltImage {
  dockerfile: string;
  tag: string;
  buildMs: number;
  sizeBytes: number;
}

export interface BuildReport {
  base: { tag: string; cached: boolean; buildMs: number; sizeBytes: number };
  images: BuiltImage[];
}

/**
 * A stand-in for the RDS CA bundle, which cannot be fetched here: a self-signed CA made once
 * with openssl, so `NODE_EXTRA_CA_CERTS` loads a real certificate as it does on AWS.
 */
function localCaBundle(): string {
  const file = join(CACHE_DIR, 'local-rds-ca.pem');
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const key = join(CACHE_DIR, 'local-rds-ca.key');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=Herald local stand-in for the Amazon RDS CA bundle',
      '-keyout',
      key,
      '-out',
      file,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(
      `openssl could not make the local CA bundle: ${result.error?.message ?? result.stderr}`,
    );
  return file;
}

/** Serves one file on a loopback port for the build's `ADD <url>`; returns its URL and a closer. */
async function serveOnce(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const body = await readFile(file);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/rds-ca-bundle.pem`,
    close: () =>
      new Promise((done) =>
        server.close(() => {
          done();
        }),
      ),
  };
}

/** Builds the base image when its inputs changed, then every app image (layers cached). */
export async function buildImages(log: (line: string) => void): Promise<BuildReport> {
  const base = await ensureBaseImage(log);
  const ca = await serveOnce(localCaBundle());
  const images: BuiltImage[] = [];
  try {
    for (const [dockerfile, tag] of Object.entries(APP_IMAGES)) {
      const started = Date.now();
      await podmanStreaming(
        [
          'build',
          '--network=host',
          ...ULIMITS,
          '--layers',
          '--file',
          join(WORKSPACE_ROOT, dockerfile),
          '--build-arg',
          `NODE_IMAGE=${base.tag}`,
          '--build-arg',
          `RDS_CA_BUNDLE_URL=${ca.url}`,
          '--tag',
          tag,
          WORKSPACE_ROOT,
        ],
        (line) => {
          log(`${tag} | ${line}`);
        },
      );
      images.push({ dockerfile, tag, buildMs: Date.now() - started, sizeBytes: imageSize(tag) });
    }
  } finally {
    await ca.close();
  }
  return { base: { ...base, sizeBytes: imageSize(base.tag) }, images };
}
