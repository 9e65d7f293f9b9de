import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { GITHUB_ROLE_SUFFIXES, stageName } from '../config/naming';
import type { StageConfig } from '../config/types';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, githubPrincipal } from '../constructs/github-oidc';

export interface DeployRoleStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The CDK bootstrap roles `cdk deploy` assumes (everything it does happens through them). */
export const BOOTSTRAP_ROLES = [
  'deploy-role',
  'file-publishing-role',
  'image-publishing-role',
  'lookup-role',
] as const;

/**
 * The GitHub OIDC provider (unless the account already has one) and `herald-<stage>-github-deploy`:
 * assumable only by this repository's main branch, allowed only to assume the CDK bootstrap
 * roles. Deploy it once by hand (`cdk deploy herald-<stage>-deploy-role`); the pipeline uses it.
 */
export class DeployRoleStack extends Stack {
  readonly oidcProvider: iam.IOidcProvider;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DeployRoleStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.oidcProvider = config.github.oidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(
          this,
          'GithubOidc',
          config.github.oidcProviderArn,
        )
      : new iam.OidcProviderNative(this, 'GithubOidc', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: [GITHUB_OIDC_AUDIENCE],
        });

    this.role = new iam.Role(this, 'GithubDeployRole', {
      roleName: stageName(config.stage, GITHUB_ROLE_SUFFIXES.deploy),
      description: `GitHub Actions (${config.github.repository}@${config.github.branch}) deploys Herald ${config.stage} through the CDK bootstrap roles`,
      assumedBy: githubPrincipal(this.oidcProvider, config.github),
      maxSessionDuration: Duration.hours(1),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: BOOTSTRAP_ROLES.map((role) =>
          this.bootstrapRoleArn(config.github.bootstrapQualifier, role),
        ),
      }),
    );

    new CfnOutput(this, 'DeployRoleArn', { value: this.role.roleArn });
  }

  private bootstrapRoleArn(qualifier: string, role: string): string {
    return `arn:${this.partition}:iam::${this.account}:role/cdk-${qualifier}-${role}-${this.account}-${this.region}`;
  }
}
