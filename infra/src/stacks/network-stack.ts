import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { logGroupName } from '../config/naming';
import type { InterfaceEndpointName, StageConfig } from '../config/types';
import { HeraldSecurityGroups } from '../constructs/security-groups';

export interface NetworkStackProps extends StackProps {
  readonly config: StageConfig;
}

const INTERFACE_SERVICES: Readonly<
  Record<InterfaceEndpointName, ec2.InterfaceVpcEndpointAwsService>
> = {
  sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  ecr: ec2.InterfaceVpcEndpointAwsService.ECR,
  'ecr-docker': ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
};

/**
 * The VPC (public, private-with-egress and isolated subnets across the stage's AZs), NAT,
 * VPC endpoints, flow logs and every security group of the system.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly securityGroups: HeraldSecurityGroups;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.vpcCidr),
      availabilityZones: [...config.availabilityZones],
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // Strip the default security group's rules: nothing may fall back on it.
      restrictDefaultSecurityGroup: true,
    });
    this.addFlowLog(config);

    const privateSubnets = [
      { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ];
    // Gateway endpoints are free: S3 (ECR image layers, ALB logs) and DynamoDB never cross the NAT.
    this.vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: privateSubnets,
    });
    this.vpc.addGatewayEndpoint('DynamoDb', {
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: privateSubnets,
    });

    this.securityGroups = new HeraldSecurityGroups(this, 'SecurityGroups', {
      vpc: this.vpc,
      httpsEnabled: config.certificateArn !== undefined || config.domain !== undefined,
      interfaceEndpoints: config.interfaceEndpoints.length > 0,
    });
    this.addInterfaceEndpoints(config.interfaceEndpoints);
  }

  private addFlowLog(config: StageConfig): void {
    const logGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: logGroupName(config.stage, 'vpc-flow-logs'),
      retention: config.logRetentionDays,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType:
        config.flowLogTraffic === 'ALL'
          ? ec2.FlowLogTrafficType.ALL
          : ec2.FlowLogTrafficType.REJECT,
    });
  }

  private addInterfaceEndpoints(names: readonly InterfaceEndpointName[]): void {
    const securityGroup = this.securityGroups.endpoints;
    if (!securityGroup) return;
    for (const name of names) {
      this.vpc.addInterfaceEndpoint(`Endpoint-${name}`, {
        service: INTERFACE_SERVICES[name],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        privateDnsEnabled: true,
        securityGroups: [securityGroup],
        // The endpoint group already admits exactly the service groups; no VPC-wide rule.
        open: false,
      });
    }
  }
}
