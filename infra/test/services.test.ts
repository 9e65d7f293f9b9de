import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { SHUTDOWN } from '@herald/config';
import { STAGES } from '../src/config/stages';
import {
  onlyResource,
  render,
  resourcesOfType,
  type CfnTemplate,
  type SynthesizedStage,
  synthStage,
} from './support/synth';
import { PROD_WITH_DOMAIN } from './support/variants';

// Any attempt to run Docker during synth would fail on this binary: synth must only stage assets.
process.env.CDK_DOCKER = '/nonexistent/docker';
const dev = synthStage(STAGES.dev);
const prod = synthStage(PROD_WITH_DOMAIN);
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

interface Container {
  readonly Name: string;
  readonly Environment?: { Name: string; Value: unknown }[];
  readonly Secrets?: { Name: string; ValueFrom: unknown }[];
  readonly [key: string]: unknown;
}

function container(template: CfnTemplate, family: string): Container {
  const found = resourcesOfType(template, 'AWS::ECS::TaskDefinition').find(
    ([, task]) => task.Properties?.Family === family,
  );
  if (!found) throw new Error(`no task definition ${family}`);
  const containers = found[1].Properties?.ContainerDefinitions as Container[];
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

const envNames = (c: Container) => (c.Environment ?? []).map((entry) => entry.Name).sort();
const secretSource = (c: Container) =>
  Object.fromEntries((c.Secrets ?? []).map((s) => [s.Name, render(s.ValueFrom)]));

const COMMON_ENV = [
  'AWS_REGION',
  'LOG_LEVEL',
  'QUEUE_URL',
  'METADATA_TABLE',
  'DATABASE_HOST',
  'DATABASE_PORT',
  'DATABASE_NAME',
  'DATABASE_SSL',
];

describe.each([
  ['dev', dev, STAGES.dev],
  ['prod', prod, PROD_WITH_DOMAIN],
] as const)('%s services', (_name, synth, config) => {
  const services = synth.json('services');
  const template = synth.template('services');
  const ingest = container(services, `herald-${config.stage}-ingest`);
  const worker = container(services, `herald-${config.stage}-worker`);

  describe('runtime contract', () => {
    it('gives ingest its environment and the read-only credentials as secrets', () => {
      expect(envNames(ingest)).toEqual(
        [
          ...COMMON_ENV,
          'HEADERS_TIMEOUT_MS',
          'HOST',
          'PORT',
          'REQUEST_TIMEOUT_MS',
          'SHUTDOWN_DELAY_MS',
          'TRUSTED_PROXY_HOPS',
        ].sort(),
      );
      expect(ingest.Environment).toEqual(
        expect.arrayContaining([
          { Name: 'PORT', Value: '3000' },
          { Name: 'HOST', Value: '0.0.0.0' },
          { Name: 'AWS_REGION', Value: config.region },
          { Name: 'LOG_LEVEL', Value: config.logLevel },
          { Name: 'DATABASE_PORT', Value: '5432' },
          { Name: 'DATABASE_NAME', Value: 'herald' },
        ]),
      );
      const secrets = secretSource(ingest);
      expect(Object.keys(secrets).sort()).toEqual(['DATABASE_PASSWORD', 'DATABASE_USER']);
      expect(secrets.DATABASE_USER).toMatch(/DatabaseReaderSecretAttachment\w+\}:username::$/);
      expect(secrets.DATABASE_PASSWORD).toMatch(/DatabaseReaderSecretAttachment\w+\}:password::$/);
    });

    it('gives the worker its environment and the DML-only writer credentials as secrets', () => {
      expect(envNames(worker)).toEqual(
        [...COMMON_ENV, 'ALERTS_TOPIC_ARN', 'DLQ_URL', 'HEALTH_PORT'].sort(),
      );
      expect(worker.Environment).toContainEqual({ Name: 'HEALTH_PORT', Value: '8081' });
      expect(render(worker.Environment?.find((e) => e.Name === 'DLQ_URL')?.Value)).toMatch(
        /MessagingDeadLetterQueue/,
      );
      expect(render(worker.Environment?.find((e) => e.Name === 'ALERTS_TOPIC_ARN')?.Value)).toMatch(
        /MessagingAlertsTopic/,
      );
      const secrets = secretSource(worker);
      expect(Object.keys(secrets).sort()).toEqual(['DATABASE_PASSWORD', 'DATABASE_USER']);
      expect(secrets.DATABASE_USER).toMatch(/DatabaseWriterSecretAttachment\w+\}:username::$/);
      expect(secrets.DATABASE_PASSWORD).toMatch(/DatabaseWriterSecretAttachment\w+\}:password::$/);
      // Neither the owner's (schema, roles) nor the reader's secret reaches the worker container.
      expect(JSON.stringify(worker)).not.toMatch(/DatabaseOwnerSecret|DatabaseReaderSecret/);
    });

    it('never passes a credential as a plain environment value', () => {
      for (const c of [ingest, worker]) {
        for (const entry of c.Environment ?? []) {
          expect(entry.Name).not.toMatch(/PASSWORD|SECRET|TOKEN|KEY/);
          expect(render(entry.Value)).not.toMatch(/secretsmanager|resolve:/);
        }
      }
    });
  });

  describe('containers', () => {
    it.each([
      ['ingest', 3000],
      ['worker', 8081],
    ] as const)(
      '%s: probes /healthz with node, drains for 120 s, read-only root, init, non-blocking logs',
      (app, port) => {
        const c = app === 'ingest' ? ingest : worker;
        expect(c).toMatchObject({
          Essential: true,
          StopTimeout: SHUTDOWN.stopTimeoutSeconds,
          ReadonlyRootFilesystem: true,
          LinuxParameters: { InitProcessEnabled: true },
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: { mode: 'non-blocking', 'awslogs-stream-prefix': app },
          },
        });
        const command = (c.HealthCheck as { Command: string[] }).Command;
        expect(command.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
        expect(command[3]).toContain(`fetch('http://127.0.0.1:${port}/healthz')`);
        expect(SHUTDOWN.stopTimeoutSeconds).toBe(120);
        template.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/herald/${config.stage}/${app}`,
          RetentionInDays: config.logRetentionDays,
        });
      },
    );
  });

  describe('ingest service and ALB', () => {
    it('runs on-demand Fargate in private subnets with a rolling-back circuit breaker', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        LoadBalancers: [
          { ContainerName: 'ingest', ContainerPort: 3000, TargetGroupArn: Match.anyValue() },
        ],
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        },
        NetworkConfiguration: {
          AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }),
        },
      });
    });

    it('keeps answering through the deregistration delay after SIGTERM, then drains in time', () => {
      expect(ingest.Environment).toContainEqual({
        Name: 'SHUTDOWN_DELAY_MS',
        Value: String(SHUTDOWN.loadBalancerDeregistrationSeconds * 1000),
      });
      expect(SHUTDOWN.loadBalancerDeregistrationSeconds + SHUTDOWN.drainBudgetSeconds).toBeLessThan(
        SHUTDOWN.stopTimeoutSeconds,
      );
    });

    it('checks /readyz and deregisters within 30 s', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 3000,
        TargetType: 'ip',
        HealthCheckPath: '/readyz',
        TargetGroupAttributes: Match.arrayWith([
          { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        ]),
      });
    });

    it('is internet-facing, drops invalid headers and logs access', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        // arrayWith matches in order: the attributes as the ALB construct renders them.
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: String(config.protectData) },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'access_logs.s3.enabled', Value: 'true' },
        ]),
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    });

    it('scales on CPU and on requests per target between the configured bounds', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: config.ingest.minTasks,
        MaxCapacity: config.ingest.maxTasks,
        ResourceId: Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestService'), 'Name'] }]),
          ],
        }),
      });
      const predefined = resourcesOfType(
        services,
        'AWS::ApplicationAutoScaling::ScalingPolicy',
      ).map(([, policy]) => {
        const spec = (policy.Properties?.TargetTrackingScalingPolicyConfiguration ?? {}) as Record<
          string,
          Record<string, unknown> | number
        >;
        return [
          (spec.PredefinedMetricSpecification as Record<string, unknown> | undefined)
            ?.PredefinedMetricType,
          spec.TargetValue,
        ];
      });
      expect(predefined).toEqual(
        expect.arrayContaining([
          ['ECSServiceAverageCPUUtilization', config.ingest.cpuTargetPercent],
          ['ALBRequestCountPerTarget', config.ingest.requestsPerTargetPerMinute],
        ]),
      );
    });
  });

  describe('worker service', () => {
    it('keeps an on-demand base and puts the rest on Fargate Spot', () => {
      const { capacity } = config.worker;
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          {
            CapacityProvider: 'FARGATE',
            Base: capacity.onDemandBase,
            Weight: capacity.onDemandWeight,
          },
          { CapacityProvider: 'FARGATE_SPOT', Weight: capacity.spotWeight },
        ],
        LoadBalancers: [],
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        }),
      });
    });

    it('scales on visible messages per running task, and on nothing else', () => {
      const policies = resourcesOfType(
        services,
        'AWS::ApplicationAutoScaling::ScalingPolicy',
      ).filter(([, policy]) =>
        render(policy.Properties?.ScalingTargetId).includes('WorkerScalableTarget'),
      );
      expect(policies).toHaveLength(1);
      const spec = policies[0]![1].Properties?.TargetTrackingScalingPolicyConfiguration as {
        TargetValue: number;
        CustomizedMetricSpecification: {
          Metrics: {
            Id: string;
            Expression?: string;
            ReturnData: boolean;
            MetricStat?: { Metric: { MetricName: string; Namespace: string } };
          }[];
        };
      };
      expect(spec.TargetValue).toBe(config.worker.backlogPerTask);
      const metrics = spec.CustomizedMetricSpecification.Metrics;
      expect(metrics.find((m) => m.ReturnData)?.Expression).toBe('visible / running');
      expect(metrics.find((m) => m.Id === 'visible')?.MetricStat?.Metric).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
      });
      expect(metrics.find((m) => m.Id === 'running')?.MetricStat?.Metric).toMatchObject({
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: config.worker.minTasks,
        MaxCapacity: config.worker.maxTasks,
        RoleARN: Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([
              Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_ECSService'),
            ]),
          ],
        }),
      });
    });
  });

  describe('platform', () => {
    const platform = synth.json('platform');

    it('runs one cluster with Container Insights and both Fargate capacity providers', () => {
      expect(resourcesOfType(platform, 'AWS::ECS::Cluster')).toHaveLength(1);
      expect(synth.all().flatMap(([, t]) => resourcesOfType(t, 'AWS::ECS::Cluster'))).toHaveLength(
        1,
      );
      synth.template('platform').hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: `herald-${config.stage}-cluster`,
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
      synth
        .template('platform')
        .hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
          CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        });
    });

    it('defines the one-off migration: the worker image running node migrate.js as the owner, with the writer and reader passwords', () => {
      const migrate = container(platform, `herald-${config.stage}-migrate`);
      expect(migrate.EntryPoint).toEqual(['node', 'migrate.js']);
      expect(render(migrate.Image)).toBe(render(worker.Image));
      expect(migrate.Environment).toEqual(
        expect.arrayContaining([
          { Name: 'MIGRATIONS_DIR', Value: '/app/migrations' },
          { Name: 'DATABASE_WRITER_USER', Value: 'herald_writer' },
        ]),
      );
      const secrets = secretSource(migrate);
      expect(Object.keys(secrets).sort()).toEqual([
        'DATABASE_PASSWORD',
        'DATABASE_READER_PASSWORD',
        'DATABASE_READER_USER',
        'DATABASE_USER',
        'DATABASE_WRITER_PASSWORD',
      ]);
      expect(secrets.DATABASE_USER).toMatch(/DatabaseOwnerSecretAttachment\w+\}:username::$/);
      expect(secrets.DATABASE_PASSWORD).toMatch(/DatabaseOwnerSecretAttachment\w+\}:password::$/);
      expect(secrets.DATABASE_WRITER_PASSWORD).toMatch(
        /DatabaseWriterSecretAttachment\w+\}:password::$/,
      );
      expect(secrets.DATABASE_READER_USER).toMatch(
        /DatabaseReaderSecretAttachment\w+\}:username::$/,
      );
      expect(secrets.DATABASE_READER_PASSWORD).toMatch(
        /DatabaseReaderSecretAttachment\w+\}:password::$/,
      );
      for (const entry of migrate.Environment ?? []) {
        expect(entry.Name).not.toMatch(/PASSWORD|SECRET|TOKEN|KEY/);
        expect(render(entry.Value)).not.toMatch(/secretsmanager|resolve:/);
      }
    });

    it('outputs what `aws ecs run-task` needs', () => {
      expect(Object.keys(platform.Outputs ?? {})).toEqual(
        expect.arrayContaining([
          'ClusterName',
          'MigrationTaskDefinitionArn',
          'MigrationContainerName',
          'MigrationSubnets',
          'MigrationSecurityGroup',
          'MigrationLogGroup',
          'MigrationRunnerRoleArn',
        ]),
      );
      expect(render(platform.Outputs?.MigrationSubnets?.Value).split(',')).toHaveLength(
        config.availabilityZones.length,
      );
    });
  });
});

describe('HTTPS', () => {
  const services = prod.template('services');

  it('serves HTTPS with the certificate issued for the domain and redirects HTTP to it', () => {
    services.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: PROD_WITH_DOMAIN.domain?.name,
      ValidationMethod: 'DNS',
    });
    services.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('Certificate') } }],
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    services.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' },
        },
      ],
    });
    services.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${PROD_WITH_DOMAIN.domain?.name}.`,
      Type: 'A',
    });
    expect(render(prod.json('services').Outputs?.IngestUrl?.Value)).toBe(
      `https://${PROD_WITH_DOMAIN.domain?.name}`,
    );
  });

  it('serves plain HTTP on 80 when no certificate is configured (dev)', () => {
    const [, listener] = onlyResource(
      dev.json('services'),
      'AWS::ElasticLoadBalancingV2::Listener',
    );
    expect(listener.Properties).toMatchObject({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [expect.objectContaining({ Type: 'forward' })],
    });
  });
});

describe('container images', () => {
  /** Docker image assets of every stack, deduplicated by hash, from the asset manifests. */
  const images = (synth: SynthesizedStage) => {
    const all = synth.assembly.stacks.flatMap((stack) => {
      const manifest = JSON.parse(
        readFileSync(join(synth.outdir, `${stack.stackName}.assets.json`), 'utf8'),
      ) as {
        dockerImages?: Record<
          string,
          { source: { directory: string; dockerFile: string; platform: string } }
        >;
      };
      return Object.entries(manifest.dockerImages ?? {}).map(([hash, image]) => ({
        hash,
        ...image.source,
      }));
    });
    return [...new Map(all.map((image) => [image.hash, image])).values()];
  };

  it('builds one image per app from its Dockerfile with the repository root as context', () => {
    const all = images(prod);
    expect(all.map((image) => image.dockerFile).sort()).toEqual([
      'apps/ingest/Dockerfile',
      'apps/worker/Dockerfile',
    ]);
    const byFile = new Map(all.map((image) => [image.dockerFile, image]));
    for (const image of byFile.values()) expect(image.platform).toBe('linux/amd64');
  });

  it('stages the context without node_modules, dist, cdk.out or the other app (and no Docker ran)', () => {
    const all = images(prod);
    expect(all).toHaveLength(2);
    for (const image of all) {
      const context = join(prod.outdir, image.directory);
      expect(existsSync(join(context, 'package-lock.json'))).toBe(true);
      expect(existsSync(join(context, image.dockerFile))).toBe(true);
      const entries = readdirSync(context, { recursive: true }).map(String);
      expect(
        entries.filter((entry) =>
          /(^|\/)(node_modules|dist|cdk\.out|\.git|\.nx|reports)(\/|$)/.test(entry),
        ),
      ).toEqual([]);
      const other = image.dockerFile === 'apps/ingest/Dockerfile' ? 'worker' : 'ingest';
      expect(existsSync(join(context, 'apps', other, 'src'))).toBe(false);
      expect(existsSync(join(context, 'apps', other, 'package.json'))).toBe(true);
    }
  });
});
