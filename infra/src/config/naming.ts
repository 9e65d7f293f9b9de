import type { StageName } from './types';

/** The stacks of one stage, in deploy order. */
export const STACK_PARTS = [
  'deploy-role',
  'network',
  'data',
  'platform',
  'services',
  'monitoring',
] as const;
export type StackPart = (typeof STACK_PARTS)[number];

/** `herald-<stage>-<part>`: the CloudFormation stack name the pipeline deploys by. */
export function stackName(stage: StageName, part: StackPart): string {
  return `herald-${stage}-${part}`;
}

/**
 * Puts the stage into a shared `RESOURCE_NAMES` value so stages can share an account:
 * `herald-messages` → `herald-dev-messages`.
 */
export function stageResourceName(stage: StageName, name: string): string {
  if (!name.startsWith('herald-'))
    throw new RangeError(`expected a herald-* resource name, got ${name}`);
  return `herald-${stage}-${name.slice('herald-'.length)}`;
}

/** Role-name suffixes the deploy workflow assumes: `herald-<stage>-github-deploy` / `-github-migrate`. */
export const GITHUB_ROLE_SUFFIXES = { deploy: 'github-deploy', migrate: 'github-migrate' } as const;

/** `herald-<stage>-<suffix>` for names that have no shared constant (secrets, roles, log groups). */
export function stageName(stage: StageName, suffix: string): string {
  return `herald-${stage}-${suffix}`;
}

/** `/herald/<stage>/<service>`: one log group per service. */
export function logGroupName(stage: StageName, service: string): string {
  return `/herald/${stage}/${service}`;
}

/** The stage's one ECS cluster (named, so IAM can scope task ARNs to it). */
export function clusterNameOf(config: { readonly stage: StageName }): string {
  return stageName(config.stage, 'cluster');
}
