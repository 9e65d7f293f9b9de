import { fileURLToPath } from 'node:url';
import { IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';

export type AppName = 'ingest' | 'worker';

/** The Docker build context: the repository root (npm workspaces need every manifest). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The other app's sources: excluding them keeps an ingest change from rebuilding the worker. */
const OTHER_APP: Readonly<Record<AppName, AppName>> = { ingest: 'worker', worker: 'ingest' };

/**
 * The app's container image, built from `apps/<app>/Dockerfile` when `cdk deploy` publishes
 * assets. `cdk synth` only stages the context (minus `.dockerignore`), so synth never needs Docker.
 * @param app which service image
 */
export function appImage(app: AppName): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(REPO_ROOT, {
    file: `apps/${app}/Dockerfile`,
    // `.dockerignore` at the root already drops node_modules, dist, cdk.out, .nx, .git, reports.
    ignoreMode: IgnoreMode.DOCKER,
    exclude: [`apps/${OTHER_APP[app]}/src`, `apps/${OTHER_APP[app]}/test`],
    // Build for Fargate's X86_64 even on an arm64 laptop.
    platform: Platform.LINUX_AMD64,
    displayName: `herald-${app}`,
  });
}
