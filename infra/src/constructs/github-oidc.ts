import * as iam from 'aws-cdk-lib/aws-iam';
import type { GithubConfig } from '../config/types';

/** GitHub Actions' OIDC issuer (host part, as IAM condition keys use it). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** `repo:<owner>/<name>:ref:refs/heads/<branch>`: the token subject of a push-to-branch run. */
export function githubSubject(github: GithubConfig): string {
  return `repo:${github.repository}:ref:refs/heads/${github.branch}`;
}

/**
 * A principal only this repository's workflows on the configured branch can become: the
 * audience and the exact subject are both required (no wildcards, so no forks, pull requests,
 * other branches or tags).
 * @param provider the account's GitHub OIDC provider
 */
export function githubPrincipal(
  provider: iam.IOidcProvider,
  github: GithubConfig,
): iam.WebIdentityPrincipal {
  return new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
    StringEquals: {
      [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
      [`${GITHUB_OIDC_HOST}:sub`]: githubSubject(github),
    },
  });
}
