import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { POSTGRES_PORT } from '../config/runtime';

export interface HeraldSecurityGroupsProps {
  readonly vpc: ec2.IVpc;
  /** Open 443 on the ALB only when a certificate (or domain) is configured. */
  readonly httpsEnabled: boolean;
  /** Create the interface-endpoint group (only when the stage has interface endpoints). */
  readonly interfaceEndpoints: boolean;
}

const HTTPS = ec2.Port.tcp(443);

/**
 * The whole firewall matrix in one place. Every group denies by default (`allowAllOutbound:
 * false`); the rules below are the only paths:
 *
 * - ALB: in from the internet on 80 (and 443 with a certificate); out to ingest on 3000, which
 *   the target-group registration adds.
 * - ingest: in from the ALB only; out to PostgreSQL and to AWS APIs on 443.
 * - worker: no inbound at all; out to PostgreSQL and to AWS APIs on 443.
 * - database: in on 5432 from ingest, worker (also the migration task) and the secret-rotation
 *   Lambdas; no outbound.
 * - rotation: the Secrets Manager rotation Lambdas; out to PostgreSQL and 443.
 * - endpoints: the interface endpoints; in on 443 from the groups above.
 */
export class HeraldSecurityGroups extends Construct {
  readonly alb: ec2.SecurityGroup;
  readonly ingest: ec2.SecurityGroup;
  readonly worker: ec2.SecurityGroup;
  readonly database: ec2.SecurityGroup;
  readonly rotation: ec2.SecurityGroup;
  readonly endpoints?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: HeraldSecurityGroupsProps) {
    super(scope, id);
    const group = (name: string, description: string): ec2.SecurityGroup =>
      new ec2.SecurityGroup(this, name, { vpc: props.vpc, description, allowAllOutbound: false });

    this.alb = group('Alb', 'Herald ALB: HTTP(S) from the internet, out to ingest only');
    this.ingest = group('Ingest', 'Herald ingest tasks: in from the ALB only');
    this.worker = group('Worker', 'Herald worker and migration tasks: no inbound');
    this.database = group(
      'Database',
      'Herald PostgreSQL: 5432 from the services and rotation only',
    );
    this.rotation = group('Rotation', 'Herald secret rotation Lambdas');

    this.alb.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(80),
      'HTTP from the internet (redirects to HTTPS when configured)',
    );
    if (props.httpsEnabled)
      this.alb.addIngressRule(ec2.Peer.anyIpv4(), HTTPS, 'HTTPS from the internet');
    Validations.of(this.alb).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'The internet-facing ALB must accept 0.0.0.0/0, and only on 80/443; everything behind it is closed.',
    });

    for (const client of [this.ingest, this.worker, this.rotation]) {
      client.addEgressRule(
        ec2.Peer.anyIpv4(),
        HTTPS,
        'AWS APIs over TLS (NAT, gateway or interface endpoints)',
      );
      client.connections.allowTo(this.database, ec2.Port.tcp(POSTGRES_PORT), 'PostgreSQL');
    }

    if (props.interfaceEndpoints) {
      this.endpoints = group('Endpoints', 'Herald interface endpoints: 443 from the services');
      for (const client of [this.ingest, this.worker, this.rotation]) {
        this.endpoints.connections.allowFrom(
          client,
          HTTPS,
          'AWS APIs through the interface endpoint',
        );
      }
    }
  }
}
