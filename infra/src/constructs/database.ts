import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { RESOURCE_NAMES } from '@herald/config';
import { stageName } from '../config/naming';
import { DB_OWNER_USER, DB_READER_USER, DB_WRITER_USER, POSTGRES_PORT } from '../config/runtime';
import type { StageConfig } from '../config/types';
import type { HeraldSecurityGroups } from './security-groups';

export interface DatabaseProps {
  readonly config: StageConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroups: HeraldSecurityGroups;
}

/** Characters RDS passwords may not contain (the CDK's own default for generated secrets). */
const PASSWORD_EXCLUDE = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/**
 * PostgreSQL 17 in the isolated subnets, TLS-only, encrypted, with three generated secrets:
 * the owner (`herald-<stage>-db-owner`: the migration task only) rotated single-user, and the two
 * application logins the migration provisions, the DML-only writer (`herald-<stage>-db-writer`:
 * worker) and the read-only reader (`herald-<stage>-db-reader`: ingest), both rotated multi-user
 * so a running task's credentials stay valid for a whole rotation period.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly ownerSecret: secretsmanager.ISecret;
  readonly writerSecret: secretsmanager.ISecret;
  readonly readerSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config, vpc, securityGroups } = props;
    const db = config.database;
    const protect = config.protectData;
    const instanceIdentifier = stageName(config.stage, 'postgres');
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.VER_17,
    });

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `Herald ${config.stage} PostgreSQL 17`,
      parameters: {
        // TLS only (the PostgreSQL 17 default, pinned so nobody turns it off by accident).
        'rds.force_ssl': '1',
        log_min_duration_statement: '1000',
        log_lock_waits: '1',
      },
    });
    // RDS creates these on first export with infinite retention; owning them sets retention.
    const logGroups = ['postgresql', 'upgrade'].map(
      (kind) =>
        new logs.LogGroup(this, `Logs-${kind}`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${kind}`,
          retention: config.logRetentionDays,
          removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
    );

    // Created here (not by the instance) so it can outlive the stack: a retained snapshot is
    // useless without the owner's password.
    const ownerSecret = new rds.DatabaseSecret(this, 'OwnerSecret', {
      username: DB_OWNER_USER,
      secretName: stageName(config.stage, 'db-owner'),
      excludeCharacters: PASSWORD_EXCLUDE,
    });
    ownerSecret.applyRemovalPolicy(protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

    this.instance = new rds.DatabaseInstance(this, 'Postgres', {
      instanceIdentifier,
      engine,
      parameterGroup,
      instanceType: new ec2.InstanceType(db.instanceType),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroups.database],
      port: POSTGRES_PORT,
      databaseName: RESOURCE_NAMES.database,
      credentials: rds.Credentials.fromSecret(ownerSecret),
      multiAz: db.multiAz,
      storageType: rds.StorageType.GP3,
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      storageEncrypted: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      backupRetention: Duration.days(db.backupRetentionDays),
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      deleteAutomatedBackups: !protect,
      deletionProtection: protect,
      removalPolicy: protect ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      enablePerformanceInsights: db.performanceInsights,
    });
    for (const logGroup of logGroups) this.instance.node.addDependency(logGroup);
    this.acknowledgeFindings(config);

    // The attached secret also carries host, port, engine and dbname (what rotation needs).
    this.ownerSecret = this.instance.secret ?? missingSecret();
    this.writerSecret = this.applicationSecret(config, 'WriterSecret', DB_WRITER_USER, 'db-writer');
    this.readerSecret = this.applicationSecret(config, 'ReaderSecret', DB_READER_USER, 'db-reader');

    this.addRotations(props);
  }

  /**
   * A generated login the migration creates in PostgreSQL (the owner is its `masterarn`, which
   * multi-user rotation uses to create the `_clone` login and re-password either), attached to
   * the instance so it carries host, port, engine and dbname.
   */
  private applicationSecret(
    config: StageConfig,
    id: string,
    username: string,
    suffix: string,
  ): secretsmanager.ISecret {
    const secret = new rds.DatabaseSecret(this, id, {
      username,
      dbname: RESOURCE_NAMES.database,
      secretName: stageName(config.stage, suffix),
      masterSecret: this.ownerSecret,
      excludeCharacters: PASSWORD_EXCLUDE,
    });
    secret.applyRemovalPolicy(config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    return secret.attach(this.instance);
  }

  private addRotations({ config, vpc, securityGroups }: DatabaseProps): void {
    const common = {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: securityGroups.rotation,
      // HeraldSecurityGroups already admits the rotation group on 5432; a connectable without
      // groups stops SecretRotation from adding a second (cross-stack, token-port) rule.
      target: { connections: new ec2.Connections({ defaultPort: ec2.Port.tcp(POSTGRES_PORT) }) },
      automaticallyAfter: Duration.days(config.database.rotationDays),
      excludeCharacters: PASSWORD_EXCLUDE,
    };
    new secretsmanager.SecretRotation(this, 'OwnerRotation', {
      ...common,
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
      secret: this.ownerSecret,
    });
    // The application roles exist only after the first migration: rotate on schedule, not at
    // create. Multi-user: the login alternates between `<user>` and `<user>_clone` (a member of
    // `<user>`, so it inherits the migration's grants).
    const applicationLogins = {
      WriterRotation: this.writerSecret,
      ReaderRotation: this.readerSecret,
    };
    for (const [id, secret] of Object.entries(applicationLogins)) {
      new secretsmanager.SecretRotation(this, id, {
        ...common,
        application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_MULTI_USER,
        secret,
        masterSecret: this.ownerSecret,
        rotateImmediatelyOnUpdate: false,
      });
    }
  }

  private acknowledgeFindings(config: StageConfig): void {
    const findings = Validations.of(this.instance);
    findings.acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'Port 5432 is part of the contract (seed, security groups); the instance is reachable only from three security groups in isolated subnets, so a non-default port adds no protection.',
    });
    if (!config.database.multiAz) {
      findings.acknowledge({
        id: 'AwsSolutions-RDS3',
        reason:
          'Dev runs single-AZ to halve the instance cost; prod is Multi-AZ (enforced by validateStageConfig).',
      });
    }
    if (!config.protectData) {
      findings.acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'Dev is disposable: deletion protection would block `cdk destroy`; prod enables it.',
      });
    }
  }
}

function missingSecret(): never {
  throw new Error('Credentials.fromSecret always attaches the secret to the instance');
}
