import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/types';
import { IngestService } from '../constructs/ingest-service';
import { PublicLoadBalancer } from '../constructs/public-load-balancer';
import type { RuntimeResources } from '../constructs/runtime-env';
import type { HeraldSecurityGroups } from '../constructs/security-groups';
import { WorkerService } from '../constructs/worker-service';

export interface ServicesStackProps extends StackProps {
  readonly config: StageConfig;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly securityGroups: HeraldSecurityGroups;
  readonly resources: RuntimeResources;
}

/**
 * The two Fargate services and the public ALB. Stateless: it can be destroyed and redeployed
 * without losing data, and it is deployed after the migration ran.
 */
export class ServicesStack extends Stack {
  readonly ingest: IngestService;
  readonly worker: WorkerService;
  readonly loadBalancer: PublicLoadBalancer;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { config, cluster, securityGroups, resources } = props;

    this.ingest = new IngestService(this, 'Ingest', {
      config,
      cluster,
      resources,
      securityGroup: securityGroups.ingest,
    });
    this.loadBalancer = new PublicLoadBalancer(this, 'PublicLoadBalancer', {
      config,
      vpc: props.vpc,
      securityGroup: securityGroups.alb,
      targetGroup: this.ingest.targetGroup,
    });
    this.ingest.addAutoScaling(config);
    this.worker = new WorkerService(this, 'Worker', {
      config,
      cluster,
      resources,
      securityGroup: securityGroups.worker,
    });

    new CfnOutput(this, 'IngestUrl', { value: this.loadBalancer.url });
    if (config.protectData && !this.loadBalancer.url.startsWith('https:')) {
      Annotations.of(this).addWarningV2(
        'herald:plain-http',
        `${config.stage} serves plain HTTP: set certificateArn or domain in infra/src/config/stages.ts before it takes real traffic.`,
      );
    }
  }
}
