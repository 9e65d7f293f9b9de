import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LOAD_BALANCER } from '@herald/config';
import type { StageConfig } from '../config/types';

export interface PublicLoadBalancerProps {
  readonly config: StageConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Where every request goes (the ingest service). */
  readonly targetGroup: elbv2.IApplicationTargetGroup;
}

/**
 * The internet-facing ALB in the public subnets. With a certificate (configured, or issued for
 * the configured domain) it serves HTTPS and answers HTTP with a 301 to HTTPS; without one it
 * serves HTTP. Access logs go to an encrypted, TLS-only bucket that expires them.
 */
export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener that forwards to the target group (HTTPS when enabled). */
  readonly listener: elbv2.ApplicationListener;
  readonly url: string;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    const { config } = props;

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: config.protectData,
      idleTimeout: Duration.seconds(LOAD_BALANCER.idleTimeoutSeconds),
    });
    this.loadBalancer.logAccessLogs(this.accessLogBucket(config), 'alb');

    const zone = config.domain
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: config.domain.hostedZoneId,
          zoneName: config.domain.zoneName,
        })
      : undefined;
    const certificate = this.certificate(config, zone);
    // Security-group rules live in HeraldSecurityGroups: listeners must not open 0.0.0.0/0 again.
    if (certificate) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [certificate],
        open: false,
        defaultTargetGroups: [props.targetGroup],
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: false });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultTargetGroups: [props.targetGroup],
      });
    }

    const host = config.domain?.name ?? this.loadBalancer.loadBalancerDnsName;
    this.url = `${certificate ? 'https' : 'http'}://${host}`;
    if (zone && config.domain) {
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: config.domain.name,
        target: route53.RecordTarget.fromAlias(
          new route53Targets.LoadBalancerTarget(this.loadBalancer),
        ),
      });
    }
  }

  private certificate(
    config: StageConfig,
    zone: route53.IHostedZone | undefined,
  ): acm.ICertificate | undefined {
    if (config.certificateArn)
      return acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn);
    if (zone && config.domain) {
      return new acm.Certificate(this, 'Certificate', {
        domainName: config.domain.name,
        validation: acm.CertificateValidation.fromDns(zone),
      });
    }
    return undefined;
  }

  private accessLogBucket(config: StageConfig): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      // ALB log delivery supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      // Logs outlive the stack; a non-empty bucket could not be deleted anyway.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the ALB access logs; logging access to the log bucket itself would only log the log delivery.',
    });
    return bucket;
  }
}
