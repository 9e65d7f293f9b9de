import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGES } from '../src/config/stages';
import { resourcesOfType, synthStage } from './support/synth';

const dev = synthStage(STAGES.dev);
const prod = synthStage(STAGES.prod);
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

describe.each([
  ['dev', dev, STAGES.dev],
  ['prod', prod, STAGES.prod],
] as const)('%s network', (_name, synth, config) => {
  const template = synth.template('network');
  const json = synth.json('network');
  const azCount = config.availabilityZones.length;

  it('spreads public, private-with-egress and isolated subnets over every configured AZ', () => {
    const subnets = resourcesOfType(json, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(3 * azCount);
    for (const type of ['Public', 'Private', 'Isolated']) {
      const ofType = subnets.filter(([, subnet]) =>
        (subnet.Properties?.Tags as { Key: string; Value: string }[]).some(
          (tag) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === type,
        ),
      );
      expect(ofType.map(([, subnet]) => subnet.Properties?.AvailabilityZone).sort()).toEqual([
        ...config.availabilityZones,
      ]);
    }
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: config.vpcCidr,
      EnableDnsSupport: true,
      EnableDnsHostnames: true,
    });
  });

  it(`runs ${config.natGateways} NAT gateway(s)`, () => {
    template.resourceCountIs('AWS::EC2::NatGateway', config.natGateways);
  });

  it('keeps S3 and DynamoDB traffic on free gateway endpoints', () => {
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }),
      });
    }
  });

  it('creates exactly the configured interface endpoints, private-DNS, behind the endpoint group', () => {
    const interfaces = resourcesOfType(json, 'AWS::EC2::VPCEndpoint').filter(
      ([, endpoint]) => endpoint.Properties?.VpcEndpointType === 'Interface',
    );
    expect(interfaces).toHaveLength(config.interfaceEndpoints.length);
    for (const [, endpoint] of interfaces) {
      expect(endpoint.Properties?.PrivateDnsEnabled).toBe(true);
      expect(JSON.stringify(endpoint.Properties?.SecurityGroupIds)).toContain(
        'SecurityGroupsEndpoints',
      );
    }
  });

  it('records flow logs to a log group with retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: config.flowLogTraffic,
      ResourceType: 'VPC',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/herald/${config.stage}/vpc-flow-logs`,
      RetentionInDays: config.logRetentionDays,
    });
  });

  it('strips the default security group', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});

describe('termination protection', () => {
  it('protects the network, data and deploy-role stacks in prod only', () => {
    const protectedParts = (synth: typeof dev) =>
      synth
        .all()
        .flatMap(([part]) =>
          synth.assembly.getStackByName(`herald-${synth.stage.config.stage}-${part}`)
            .terminationProtection
            ? [part]
            : [],
        );
    expect(protectedParts(prod).sort()).toEqual(['data', 'deploy-role', 'network']);
    expect(protectedParts(dev)).toEqual([]);
  });

  it('makes the stacks account-agnostic so synth needs no credentials', () => {
    for (const [part] of prod.all()) {
      const artifact = prod.assembly.getStackByName(`herald-prod-${part}`);
      expect(artifact.environment.account).toBe('unknown-account');
      expect(artifact.environment.region).toBe(STAGES.prod.region);
    }
  });
});
