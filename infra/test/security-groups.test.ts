import { afterAll, describe, expect, it } from 'vitest';
import { STAGES } from '../src/config/stages';
import {
  type CfnTemplate,
  logicalIdStartingWith,
  render,
  resourcesOfType,
  type SynthesizedStage,
  synthStage,
} from './support/synth';
import { PROD_WITH_CERTIFICATE } from './support/variants';

const dev = synthStage(STAGES.dev);
const prod = synthStage(PROD_WITH_CERTIFICATE);
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

interface Rule {
  readonly group: string;
  readonly source: string;
  readonly fromPort: number;
  readonly toPort: number;
}

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/** Every ingress rule of every stack: inline ones and standalone AWS::EC2::SecurityGroupIngress. */
function ingressRules(synth: SynthesizedStage): Rule[] {
  return synth
    .all()
    .flatMap(([, template]) => [
      ...resourcesOfType(template, 'AWS::EC2::SecurityGroup').flatMap(([id, group]) =>
        ((group.Properties?.SecurityGroupIngress ?? []) as Record<string, unknown>[]).map((rule) =>
          toRule(id, rule),
        ),
      ),
      ...resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([, ingress]) =>
        toRule(groupOf(ingress.Properties?.GroupId), ingress.Properties ?? {}),
      ),
    ]);
}

function toRule(group: string, rule: Record<string, unknown>): Rule {
  const source = rule.CidrIp ?? rule.CidrIpv6 ?? groupOf(rule.SourceSecurityGroupId);
  return {
    group,
    source: render(source),
    fromPort: Number(rule.FromPort),
    toPort: Number(rule.ToPort),
  };
}

function groupOf(reference: unknown): string {
  return render(reference).replace(/^\$\{(\w+)\.GroupId\}$/, '$1');
}

function groups(template: CfnTemplate) {
  const id = (name: string) =>
    logicalIdStartingWith(template, `SecurityGroups${name}`, 'AWS::EC2::SecurityGroup');
  return {
    alb: id('Alb'),
    ingest: id('Ingest'),
    worker: id('Worker'),
    database: id('Database'),
    rotation: id('Rotation'),
  };
}

describe.each([
  ['prod (HTTPS)', prod, [80, 443]],
  ['dev (HTTP only)', dev, [80]],
] as const)('%s security groups', (_name, synth, albPorts) => {
  const network = synth.json('network');
  const sg = groups(network);
  const rules = ingressRules(synth);
  const into = (group: string) => rules.filter((rule) => rule.group === group);

  it('admit the internet only to the ALB, and only on 80/443', () => {
    const open = rules.filter((rule) => ANYWHERE.has(rule.source));
    expect(open.map((rule) => rule.group)).toEqual(open.map(() => sg.alb));
    expect(open.map((rule) => [rule.fromPort, rule.toPort])).toEqual(
      albPorts.map((port) => [port, port]),
    );
  });

  it('let ingest be reached from the ALB on 3000 and from nothing else', () => {
    expect(into(sg.ingest)).toEqual([
      { group: sg.ingest, source: sg.alb, fromPort: 3000, toPort: 3000 },
    ]);
  });

  it('give the worker no inbound rule at all', () => {
    expect(into(sg.worker)).toEqual([]);
  });

  it('let PostgreSQL be reached on 5432 from ingest, worker (and migrations) and the rotation Lambdas only', () => {
    const sources = into(sg.database).map((rule) => [rule.source, rule.fromPort, rule.toPort]);
    expect(sources.sort()).toEqual(
      [sg.ingest, sg.worker, sg.rotation].sort().map((source) => [source, 5432, 5432]),
    );
  });

  it('let nothing reach the ALB, the rotation group or anything else by other paths', () => {
    const known = new Set(Object.values(sg));
    const other = rules.filter((rule) => !known.has(rule.group));
    // The only other group is the interface-endpoint group (prod): 443 from the three clients.
    for (const rule of other) {
      expect(rule.group).toMatch(/^SecurityGroupsEndpoints/);
      expect([rule.source, rule.fromPort]).toEqual([
        expect.stringMatching(/^SecurityGroups(Ingest|Worker|Rotation)/),
        443,
      ]);
    }
    expect(into(sg.rotation)).toEqual([]);
  });

  it('deny outbound by default: the ALB may only reach ingest, the database nothing', () => {
    const egress = resourcesOfType(network, 'AWS::EC2::SecurityGroupEgress').map(
      ([, rule]) => rule.Properties ?? {},
    );
    const albEgress = egress.filter((rule) => groupOf(rule.GroupId) === sg.alb);
    expect(
      albEgress.map((rule) => [groupOf(rule.DestinationSecurityGroupId), rule.FromPort]),
    ).toEqual([[sg.ingest, 3000]]);
    const inline = (id: string) =>
      (network.Resources[id]?.Properties?.SecurityGroupEgress ?? []) as Record<string, unknown>[];
    expect(inline(sg.alb)).toEqual([]);
    expect(inline(sg.database)).toEqual([
      expect.objectContaining({
        CidrIp: '255.255.255.255/32',
        Description: 'Disallow all traffic',
      }),
    ]);
    expect(egress.filter((rule) => groupOf(rule.GroupId) === sg.database)).toEqual([]);
  });

  it('attach each group to its resource', () => {
    const output = (part: 'data' | 'services' | 'platform', type: string) =>
      resourcesOfType(synth.json(part), type).map(([, resource]) =>
        JSON.stringify(resource.Properties),
      );
    expect(output('data', 'AWS::RDS::DBInstance')[0]).toContain(sg.database);
    const services = output('services', 'AWS::ECS::Service');
    expect(services.filter((service) => service.includes(sg.ingest))).toHaveLength(1);
    expect(services.filter((service) => service.includes(sg.worker))).toHaveLength(1);
    expect(output('services', 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0]).toContain(sg.alb);
    expect(render(synth.json('platform').Outputs?.MigrationSecurityGroup?.Value)).toContain(
      sg.worker,
    );
  });
});
