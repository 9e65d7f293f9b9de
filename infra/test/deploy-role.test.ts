import { afterAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ROLES } from '../src/stacks/deploy-role-stack';
import { STAGES } from '../src/config/stages';
import { onlyResource, render, resourcesOfType, synthStage } from './support/synth';

const prod = synthStage(STAGES.prod);
const imported = synthStage({
  ...STAGES.dev,
  github: {
    ...STAGES.dev.github,
    oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  },
});
afterAll(() => {
  prod.cleanup();
  imported.cleanup();
});

const SUBJECT = `repo:${STAGES.prod.github.repository}:ref:refs/heads/main`;

interface Trust {
  Statement: {
    Action: string;
    Effect: string;
    Principal: { Federated: unknown };
    Condition: Record<string, Record<string, string>>;
  }[];
}

describe('GitHub OIDC deploy role', () => {
  const template = prod.json('deploy-role');
  const [roleId, role] = onlyResource(template, 'AWS::IAM::Role');

  it("trusts GitHub's OIDC provider", () => {
    const [providerId, provider] = onlyResource(template, 'AWS::IAM::OIDCProvider');
    expect(provider.Properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    const trust = role.Properties?.AssumeRolePolicyDocument as Trust;
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]?.Principal.Federated).toEqual({ Ref: providerId });
    expect(trust.Statement[0]?.Action).toBe('sts:AssumeRoleWithWebIdentity');
  });

  it(`only for ${SUBJECT} (exact match: no forks, pull requests, other branches or tags)`, () => {
    const trust = role.Properties?.AssumeRolePolicyDocument as Trust;
    expect(trust.Statement[0]?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': SUBJECT,
      },
    });
    expect(role.Properties?.RoleName).toBe('herald-prod-github-deploy');
  });

  it('may do nothing but assume the CDK bootstrap roles of its own account and region', () => {
    const [, policy] = onlyResource(template, 'AWS::IAM::Policy');
    expect(policy.Properties?.Roles).toEqual([{ Ref: roleId }]);
    const statements = (
      policy.Properties?.PolicyDocument as {
        Statement: { Action: unknown; Resource: unknown[]; Effect: string }[];
      }
    ).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe('sts:AssumeRole');
    const resources = statements[0]!.Resource.map(render);
    expect(resources).toEqual(
      BOOTSTRAP_ROLES.map(
        (name) =>
          `arn:aws:iam::\${AWS::AccountId}:role/cdk-hnb659fds-${name}-\${AWS::AccountId}-us-east-1`,
      ),
    );
    for (const resource of resources)
      expect(resource).toMatch(/^arn:aws:iam::\$\{AWS::AccountId\}:role\/cdk-/);
  });

  it('does not create a second OIDC provider when the account already has one', () => {
    const template = imported.json('deploy-role');
    expect(resourcesOfType(template, 'AWS::IAM::OIDCProvider')).toEqual([]);
    const trust = onlyResource(template, 'AWS::IAM::Role')[1].Properties
      ?.AssumeRolePolicyDocument as Trust;
    expect(trust.Statement[0]?.Principal.Federated).toBe(
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    );
  });
});

describe('GitHub OIDC migration runner role', () => {
  it('is trusted under exactly the same condition as the deploy role', () => {
    const [, role] =
      resourcesOfType(prod.json('platform'), 'AWS::IAM::Role').find(([id]) =>
        id.startsWith('MigrationGithubRunnerRole'),
      ) ?? [];
    const trust = role?.Properties?.AssumeRolePolicyDocument as Trust;
    expect(role?.Properties?.RoleName).toBe('herald-prod-github-migrate');
    expect(trust.Statement[0]?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': SUBJECT,
      },
    });
    expect(render(trust.Statement[0]?.Principal.Federated)).toMatch(
      /^\$\{herald-prod-deploy-role:PublishOutputRefGithubOidc\w+\}$/,
    );
  });
});
