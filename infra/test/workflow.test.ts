/**
 * Static checks of .github/workflows/deploy.yml against the CDK app it deploys: the role names,
 * stack names and region it uses must be the ones the stacks create.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GITHUB_ROLE_SUFFIXES, stageName } from '../src/config/naming';
import { STAGES } from '../src/config/stages';
import type { StageName } from '../src/config/types';
import { REPO_ROOT } from '../src/constructs/service-image';

const workflow = readFileSync(`${REPO_ROOT}.github/workflows/deploy.yml`, 'utf8');
const script = readFileSync(`${REPO_ROOT}infra/scripts/deploy-stage.sh`, 'utf8');
const uses = [...workflow.matchAll(/^\s*(?:- )?uses: (\S+)(?: # (\S+))?$/gm)].map((match) => ({
  action: match[1]!,
  release: match[2],
}));
const runs = [...workflow.matchAll(/^\s*run: (.+)$/gm)].map((match) => match[1]!);

describe('deploy workflow', () => {
  it('runs after the CI workflow succeeded on main (or by hand)', () => {
    expect(workflow).toMatch(
      /on:\n {2}workflow_run:\n {4}workflows: \[CI\]\n {4}types: \[completed\]\n {4}branches: \[main\]/,
    );
    expect(workflow).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(workflow).toContain("github.event.workflow_run.event == 'push'");
    expect(workflow).toContain("github.ref == 'refs/heads/main'");
  });

  it('asks only for an OIDC token and read access to the code', () => {
    expect(workflow).toMatch(/^permissions:\n {2}id-token: write\n {2}contents: read\n\n/m);
  });

  it('pins every action to a full commit SHA and names the release', () => {
    expect(uses.length).toBeGreaterThanOrEqual(5);
    for (const { action, release } of uses) {
      expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(release).toMatch(/^v\d+\.\d+\.\d+$/);
    }
    expect(
      uses.filter(({ action }) => action.startsWith('aws-actions/configure-aws-credentials@')),
    ).toHaveLength(3);
  });

  it('assumes the roles the CDK app creates, in the region the stages use', () => {
    for (const config of Object.values(STAGES))
      expect(workflow).toContain(`AWS_REGION: ${config.region}`);
    const roles = [...workflow.matchAll(/role-to-assume: (.+)$/gm)].map((match) => match[1]);
    // stageName('${{ matrix.stage }}', suffix) is what the stacks name the roles for each stage.
    const role = (suffix: string) =>
      `arn:aws:iam::\${{ matrix.account }}:role/${stageName('${{ matrix.stage }}' as StageName, suffix)}`;
    expect(roles).toEqual([
      role(GITHUB_ROLE_SUFFIXES.deploy),
      role(GITHUB_ROLE_SUFFIXES.migrate),
      role(GITHUB_ROLE_SUFFIXES.deploy),
    ]);
  });

  it('deploys dev before prod, one at a time', () => {
    expect(workflow.indexOf('- stage: dev')).toBeLessThan(workflow.indexOf('- stage: prod'));
    expect(workflow).toMatch(/max-parallel: 1\n\s+fail-fast: true/);
  });

  it('migrates after the stateful stacks and before the services', () => {
    expect(runs.filter((run) => run.includes('deploy-stage.sh'))).toEqual([
      'bash infra/scripts/deploy-stage.sh "$STAGE" foundation',
      'bash infra/scripts/deploy-stage.sh "$STAGE" migrate',
      'bash infra/scripts/deploy-stage.sh "$STAGE" services',
    ]);
  });
});

describe('deploy-stage.sh', () => {
  it('deploys the foundation stacks, then runs the task and checks its exit code, then the services', () => {
    expect(script).toContain(
      'cdk deploy "herald-${stage}-network" "herald-${stage}-data" "$platform" --outputs-file "$outputs"',
    );
    expect(script).toMatch(
      /aws ecs run-task --cluster "\$cluster" --task-definition "\$task_definition"/,
    );
    expect(script).toMatch(/aws ecs wait tasks-stopped --cluster "\$cluster" --tasks "\$task"/);
    expect(script).toMatch(/containers\[\?name=='\$\{container\}'\]\.exitCode/);
    expect(script).toMatch(/if \[\[ "\$exit_code" != "0" \]\]; then[\s\S]+?exit 1/);
    expect(script).toContain(
      'cdk deploy "herald-${stage}-services" "herald-${stage}-monitoring" --exclusively',
    );
  });

  it('runs the migration in private subnets with the worker group and no public IP', () => {
    expect(script).toContain('assignPublicIp=DISABLED');
    expect(script).toMatch(/output MigrationSecurityGroup/);
    expect(script).toMatch(/output MigrationSubnets/);
  });
});
