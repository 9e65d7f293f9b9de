import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { clusterNameOf, GITHUB_ROLE_SUFFIXES, logGroupName, stageName } from '../config/naming';
import { DB_WRITER_USER, MIGRATIONS_DIR } from '../config/runtime';
import type { StageConfig } from '../config/types';
import { githubPrincipal } from './github-oidc';
import { databaseEnvironment, databaseSecrets, type RuntimeResources } from './runtime-env';
import { appImage } from './service-image';
import { acknowledgeTaskFindings } from './service-task';

export interface MigrationTaskProps {
  readonly config: StageConfig;
  readonly cluster: ecs.ICluster;
  readonly resources: RuntimeResources;
  /** The account's GitHub OIDC provider: the pipeline assumes the runner role through it. */
  readonly oidcProvider: iam.IOidcProvider;
}

/** The migration container's name (the pipeline reads its exit code by this name). */
export const MIGRATION_CONTAINER = 'migrate';

/**
 * The one-off migration task: the worker image running `node migrate.js` as the database owner,
 * with the writer's and the reader's passwords so it can create or re-password the worker's
 * DML-only role and the ingest's read-only role. Plus `herald-<stage>-github-migrate`, the role
 * the pipeline assumes to run exactly this task.
 */
export class MigrationTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;
  readonly runnerRole: iam.Role;

  constructor(scope: Construct, id: string, props: MigrationTaskProps) {
    super(scope, id);
    const { config, resources } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: logGroupName(config.stage, 'migrate'),
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: stageName(config.stage, 'migrate'),
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer(MIGRATION_CONTAINER, {
      image: appImage('worker'),
      // The worker image's ENTRYPOINT is ["node","main.js"]; a `command` would only append
      // arguments to it, so the one-off task replaces the entry point: `node migrate.js`.
      entryPoint: ['node', 'migrate.js'],
      // Only what the migrate config reads (infra/test/rehearsal.test.ts): it calls no AWS API.
      environment: {
        LOG_LEVEL: config.logLevel,
        MIGRATIONS_DIR,
        // The base role name: multi-user rotation's `herald_writer_clone` is a member of it, so
        // grants made to `herald_writer` reach whichever login the secret currently holds.
        DATABASE_WRITER_USER: DB_WRITER_USER,
        ...databaseEnvironment(resources),
      },
      secrets: {
        ...databaseSecrets(resources.ownerSecret),
        DATABASE_WRITER_PASSWORD: ecs.Secret.fromSecretsManager(resources.writerSecret, 'password'),
        ...databaseSecrets(resources.readerSecret, 'DATABASE_READER'),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'migrate' }),
      readonlyRootFilesystem: true,
    });
    acknowledgeTaskFindings(this.taskDefinition);

    this.runnerRole = this.createRunnerRole(props);
  }

  private createRunnerRole({ config, cluster, oidcProvider }: MigrationTaskProps): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'GithubRunnerRole', {
      roleName: stageName(config.stage, GITHUB_ROLE_SUFFIXES.migrate),
      description: `GitHub Actions (${config.github.repository}@${config.github.branch}) runs the Herald ${config.stage} migration task`,
      assumedBy: githubPrincipal(oidcProvider, config.github),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunTheMigrationTaskInTheCluster',
        actions: ['ecs:RunTask'],
        resources: [this.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
      }),
    );
    // Task ids are unknown until run-task answers: any task of this one cluster.
    const clusterTasks = `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:task/${clusterNameOf(config)}/*`;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WatchTasksOfTheCluster',
        actions: ['ecs:DescribeTasks'],
        resources: [clusterTasks],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${clusterTasks.replace(stack.account, '<AWS::AccountId>')}]`,
      reason:
        'DescribeTasks needs the id run-task returns, so the resource is every task of the one Herald cluster (no other cluster, no other action).',
    });
    const passedRoles = [this.taskDefinition.taskRole, this.taskDefinition.obtainExecutionRole()];
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PassTheMigrationRolesToEcs',
        actions: ['iam:PassRole'],
        resources: passedRoles.map((passed) => passed.roleArn),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheMigrationLogs',
        actions: ['logs:GetLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    return role;
  }
}
