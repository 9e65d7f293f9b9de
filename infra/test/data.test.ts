import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { METADATA_KEYS, QUEUE_SETTINGS, SHUTDOWN } from '@herald/config';
import { STAGES } from '../src/config/stages';
import {
  logicalIdStartingWith,
  onlyResource,
  render,
  resourcesOfType,
  synthStage,
} from './support/synth';
import { PROD_WITH_DOMAIN } from './support/variants';

const dev = synthStage(STAGES.dev);
const prod = synthStage(PROD_WITH_DOMAIN);
afterAll(() => {
  dev.cleanup();
  prod.cleanup();
});

const TLS_ONLY = { Bool: { 'aws:SecureTransport': 'false' } };

describe.each([
  ['dev', dev, STAGES.dev],
  ['prod', prod, PROD_WITH_DOMAIN],
] as const)('%s data stack', (_name, synth, config) => {
  const template = synth.template('data');
  const json = synth.json('data');
  const stage = config.stage;
  const retained = config.protectData ? 'Retain' : 'Delete';

  describe('PostgreSQL', () => {
    const [, instance] = onlyResource(json, 'AWS::RDS::DBInstance');
    const props = instance.Properties ?? {};

    it('runs PostgreSQL 17, encrypted, private, TLS-only, with backups', () => {
      expect(props).toMatchObject({
        Engine: 'postgres',
        EngineVersion: '17',
        StorageEncrypted: true,
        PubliclyAccessible: false,
        Port: '5432',
        DBName: 'herald',
        DBInstanceClass: `db.${config.database.instanceType}`,
        BackupRetentionPeriod: config.database.backupRetentionDays,
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      });
      template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
        Family: 'postgres17',
        Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
      });
    });

    it('sits in the isolated subnets', () => {
      const [, subnetGroup] = onlyResource(json, 'AWS::RDS::DBSubnetGroup');
      const subnets = (subnetGroup.Properties?.SubnetIds as unknown[]).map(render);
      expect(subnets).toHaveLength(config.availabilityZones.length);
      for (const subnet of subnets) expect(subnet).toMatch(/isolatedSubnet/);
    });

    it(`is ${config.database.multiAz ? '' : 'not '}Multi-AZ, with deletion protection ${config.protectData ? 'on' : 'off'}`, () => {
      expect(props.MultiAZ).toBe(config.database.multiAz);
      expect(props.DeletionProtection).toBe(config.protectData);
      expect(instance.DeletionPolicy).toBe(config.protectData ? 'Snapshot' : 'Delete');
    });

    it('generates the owner credentials in Secrets Manager and rotates them single-user', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `herald-${stage}-db-owner`,
        GenerateSecretString: Match.objectLike({
          SecretStringTemplate: '{"username":"herald_owner"}',
          GenerateStringKey: 'password',
        }),
      });
      expect(render(props.MasterUserPassword)).toMatch(
        /^\{\{resolve:secretsmanager:\$\{DatabaseOwnerSecret\w+\}:SecretString:password::\}\}$/,
      );
      const owner = logicalIdStartingWith(
        json,
        'DatabaseOwnerSecretAttachment',
        'AWS::SecretsManager::SecretTargetAttachment',
      );
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: { Ref: owner },
        RotationRules: { ScheduleExpression: `rate(${config.database.rotationDays} days)` },
      });
    });

    it('generates the separate read-only credentials herald-<stage>-db-reader, rotated multi-user after the first migration', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `herald-${stage}-db-reader`,
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
      });
      const reader = logicalIdStartingWith(
        json,
        'DatabaseReaderSecretAttachment',
        'AWS::SecretsManager::SecretTargetAttachment',
      );
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: { Ref: reader },
        RotateImmediatelyOnUpdate: false,
        RotationRules: { ScheduleExpression: `rate(${config.database.rotationDays} days)` },
      });
    });

    it("generates the worker's DML-only credentials herald-<stage>-db-writer exactly like the reader's", () => {
      const secrets = Object.fromEntries(
        resourcesOfType(json, 'AWS::SecretsManager::Secret').map(([id, secret]) => [
          String(secret.Properties?.Name),
          { id, ...secret },
        ]),
      );
      const writer = secrets[`herald-${stage}-db-writer`];
      const reader = secrets[`herald-${stage}-db-reader`];
      expect(writer?.id).toMatch(/^DatabaseWriterSecret/);
      const generated = (secret: typeof writer) =>
        secret?.Properties?.GenerateSecretString as Record<string, unknown>;
      // Generated with the same rules; the template differs only in the username.
      const rules = (secret: typeof writer) => {
        const { SecretStringTemplate: _template, ...rest } = generated(secret);
        return rest;
      };
      expect(rules(writer)).toEqual(rules(reader));
      expect(generated(writer).GenerateStringKey).toBe('password');
      const templateOf = (secret: typeof writer) => render(generated(secret).SecretStringTemplate);
      expect(templateOf(writer)).toBe(templateOf(reader).replace('herald_reader', 'herald_writer'));
      expect(templateOf(writer)).toMatch(
        /^\{"username":"herald_writer","dbname":"herald","masterarn":"\$\{DatabaseOwnerSecretAttachment\w+\}"\}$/,
      );
      // Same encryption as the reader (today both use the aws/secretsmanager key: no KmsKeyId).
      expect(writer?.Properties?.KmsKeyId).toEqual(reader?.Properties?.KmsKeyId);
      expect(writer?.DeletionPolicy).toBe(reader?.DeletionPolicy);
    });

    it('attaches the writer to the instance and rotates it multi-user with the owner as master, after the first migration (as the reader)', () => {
      const writer = logicalIdStartingWith(
        json,
        'DatabaseWriterSecretAttachment',
        'AWS::SecretsManager::SecretTargetAttachment',
      );
      const attachment = json.Resources[writer]?.Properties ?? {};
      expect(render(attachment.SecretId)).toMatch(/^\$\{DatabaseWriterSecret\w+\}$/);
      expect(render(attachment.TargetId)).toMatch(/^\$\{DatabasePostgres\w+\}$/);
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: { Ref: writer },
        RotateImmediatelyOnUpdate: false,
        RotationRules: { ScheduleExpression: `rate(${config.database.rotationDays} days)` },
      });
      // The writer's rotation is the same SAR application (PostgreSQL multi-user) as the reader's.
      const rotationOf = (login: 'Writer' | 'Reader') =>
        logicalIdStartingWith(json, `Database${login}Rotation`, 'AWS::Serverless::Application');
      const parameters = json.Resources[rotationOf('Writer')]?.Properties?.Parameters as Record<
        string,
        unknown
      >;
      expect(render(parameters.masterSecretArn)).toMatch(
        /^\$\{DatabaseOwnerSecretAttachment\w+\}$/,
      );
      const mappings = (json as unknown as { Mappings: Record<string, unknown> }).Mappings;
      const sarApplication = (login: 'Writer' | 'Reader') => {
        const names = Object.keys(mappings).filter((name) =>
          name.startsWith(`Database${login}RotationSARMapping`),
        );
        expect(names).toHaveLength(1);
        return mappings[names[0]!];
      };
      expect(sarApplication('Writer')).toEqual(sarApplication('Reader'));
      expect(JSON.stringify(sarApplication('Writer'))).toMatch(/PostgreSQLRotationMultiUser/);
    });

    it('runs one rotation Lambda per secret, the two application logins with the owner as master, all in the rotation group', () => {
      const apps = resourcesOfType(json, 'AWS::Serverless::Application').map(
        ([, app]) => app.Properties?.Parameters as Record<string, unknown>,
      );
      expect(apps).toHaveLength(3);
      expect(apps.filter((parameters) => 'masterSecretArn' in parameters)).toHaveLength(2);
      for (const parameters of apps)
        expect(render(parameters.vpcSecurityGroupIds)).toContain('SecurityGroupsRotation');
    });

    it(`keeps all three secrets when the stack goes (${retained})`, () => {
      const secrets = resourcesOfType(json, 'AWS::SecretsManager::Secret');
      expect(secrets.map(([, secret]) => secret.Properties?.Name).sort()).toEqual(
        ['owner', 'reader', 'writer'].map((login) => `herald-${stage}-db-${login}`),
      );
      for (const [, secret] of secrets) expect(secret.DeletionPolicy).toBe(retained);
    });
  });

  describe('DynamoDB metadata table', () => {
    it('is on-demand with point-in-time recovery and TTL on the shared attribute', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: `herald-${stage}-metadata`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: METADATA_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: METADATA_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: METADATA_KEYS.ttlAttribute, Enabled: true },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: config.protectData,
          }),
        ],
      });
      expect(onlyResource(json, 'AWS::DynamoDB::GlobalTable')[1].DeletionPolicy).toBe(retained);
    });
  });

  describe('SQS', () => {
    const queueId = logicalIdStartingWith(json, 'MessagingQueue', 'AWS::SQS::Queue');
    const dlqId = logicalIdStartingWith(json, 'MessagingDeadLetterQueue', 'AWS::SQS::Queue');

    it('redrives to the DLQ after QUEUE_SETTINGS.maxReceiveCount receives', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `herald-${stage}-messages`,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          maxReceiveCount: QUEUE_SETTINGS.maxReceiveCount,
        },
        MessageRetentionPeriod: QUEUE_SETTINGS.retentionSeconds,
        ReceiveMessageWaitTimeSeconds: QUEUE_SETTINGS.receiveWaitTimeSeconds,
        MaximumMessageSize: QUEUE_SETTINGS.maxMessageBytes,
        SqsManagedSseEnabled: true,
      });
    });

    it('holds a message invisible longer than the worker may spend on a batch', () => {
      const visibility = json.Resources[queueId]?.Properties?.VisibilityTimeout;
      expect(visibility).toBe(QUEUE_SETTINGS.visibilityTimeoutSeconds);
      expect(visibility).toBeGreaterThan(SHUTDOWN.drainBudgetSeconds);
    });

    it('keeps dead letters 14 days, encrypted', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `herald-${stage}-messages-dlq`,
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
      expect(QUEUE_SETTINGS.dlqRetentionSeconds).toBe(14 * 24 * 3600);
    });

    it('refuses any request without TLS on both queues', () => {
      for (const id of [queueId, dlqId]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: TLS_ONLY })],
          },
        });
        expect(json.Resources[id]?.DeletionPolicy).toBe(retained);
      }
    });
  });

  describe('SNS', () => {
    it('encrypts both topics with a rotating customer key CloudWatch may use', () => {
      const key = logicalIdStartingWith(json, 'MessagingTopicKey', 'AWS::KMS::Key');
      for (const name of ['alerts', 'ops']) {
        template.hasResourceProperties('AWS::SNS::Topic', {
          TopicName: `herald-${stage}-${name}`,
          KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
        });
      }
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
    });

    it('refuses publishing without TLS on both topics', () => {
      const policies = resourcesOfType(json, 'AWS::SNS::TopicPolicy');
      expect(policies).toHaveLength(2);
      for (const [, policy] of policies) {
        expect(
          (policy.Properties?.PolicyDocument as { Statement: unknown[] }).Statement,
        ).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: TLS_ONLY }));
      }
    });

    it('subscribes the configured email addresses', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: config.alarmEmail,
      });
      template.resourceCountIs('AWS::SNS::Subscription', config.alertsEmail ? 2 : 1);
    });
  });
});
