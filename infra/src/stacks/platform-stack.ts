import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { clusterNameOf } from '../config/naming';
import type { StageConfig } from '../config/types';
import { MIGRATION_CONTAINER, MigrationTask } from '../constructs/migration-task';
import type { RuntimeResources } from '../constructs/runtime-env';
import type { HeraldSecurityGroups } from '../constructs/security-groups';

export interface PlatformStackProps extends StackProps {
  readonly config: StageConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroups: HeraldSecurityGroups;
  readonly resources: RuntimeResources;
  readonly oidcProvider: iam.IOidcProvider;
}

/**
 * The one ECS cluster and the one-off migration task. Deployed before the services, so the
 * pipeline can migrate the schema with the new image before any new task takes traffic.
 * Its outputs are what `aws ecs run-task` needs.
 */
export class PlatformStack extends Stack {
  readonly cluster: ecs.Cluster;
  readonly migration: MigrationTask;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config, vpc, securityGroups } = props;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: clusterNameOf(config),
      vpc,
      // Container Insights also publishes RunningTaskCount, the worker's backlog-per-task divisor.
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    this.migration = new MigrationTask(this, 'Migration', { ...props, cluster: this.cluster });

    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    const outputs: Record<string, string> = {
      ClusterName: this.cluster.clusterName,
      MigrationTaskDefinitionArn: this.migration.taskDefinition.taskDefinitionArn,
      MigrationContainerName: MIGRATION_CONTAINER,
      MigrationSubnets: subnets.join(','),
      // The worker group: no inbound, out to PostgreSQL and AWS APIs only.
      MigrationSecurityGroup: securityGroups.worker.securityGroupId,
      MigrationLogGroup: this.migration.logGroup.logGroupName,
      MigrationRunnerRoleArn: this.migration.runnerRole.roleArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
