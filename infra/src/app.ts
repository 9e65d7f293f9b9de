import { type App, type Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackName, type StackPart } from './config/naming';
import type { StageConfig } from './config/types';
import type { RuntimeResources } from './constructs/runtime-env';
import { DataStack } from './stacks/data-stack';
import { DeployRoleStack } from './stacks/deploy-role-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { NetworkStack } from './stacks/network-stack';
import { PlatformStack } from './stacks/platform-stack';
import { ServicesStack } from './stacks/services-stack';

/** The stacks of one stage. */
export interface HeraldStage {
  readonly config: StageConfig;
  readonly deployRole: DeployRoleStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly platform: PlatformStack;
  readonly services: ServicesStack;
  readonly monitoring: MonitoringStack;
}

/** Stacks whose loss would lose data or lock the pipeline out: termination-protected in prod. */
const PROTECTED_PARTS: ReadonlySet<StackPart> = new Set(['deploy-role', 'network', 'data']);

/**
 * Adds one stage's six stacks to the app. Stacks are account-agnostic (region only), so synth
 * needs no credentials; `cdk deploy` targets whatever account the credentials belong to.
 * @example addStage(new App(), STAGES.dev)
 */
export function addStage(app: App, config: StageConfig): HeraldStage {
  const props = (part: StackPart) => ({
    config,
    env: { region: config.region },
    stackName: stackName(config.stage, part),
    description: `Herald ${config.stage}: ${part}`,
    terminationProtection: config.protectData && PROTECTED_PARTS.has(part),
  });
  const id = (part: StackPart) => stackName(config.stage, part);

  const deployRole = new DeployRoleStack(app, id('deploy-role'), props('deploy-role'));
  const network = new NetworkStack(app, id('network'), props('network'));
  const { vpc, securityGroups } = network;
  const data = new DataStack(app, id('data'), { ...props('data'), vpc, securityGroups });
  const resources: RuntimeResources = {
    queue: data.messaging.queue,
    deadLetterQueue: data.messaging.deadLetterQueue,
    table: data.metadata.table,
    alertsTopic: data.messaging.alertsTopic,
    database: data.database.instance,
    ownerSecret: data.database.ownerSecret,
    writerSecret: data.database.writerSecret,
    readerSecret: data.database.readerSecret,
  };
  const platform = new PlatformStack(app, id('platform'), {
    ...props('platform'),
    vpc,
    securityGroups,
    resources,
    oidcProvider: deployRole.oidcProvider,
  });
  const { cluster } = platform;
  const services = new ServicesStack(app, id('services'), {
    ...props('services'),
    vpc,
    cluster,
    securityGroups,
    resources,
  });
  const monitoring = new MonitoringStack(app, id('monitoring'), {
    ...props('monitoring'),
    opsTopic: data.messaging.opsTopic,
    queue: resources.queue,
    deadLetterQueue: resources.deadLetterQueue,
    database: resources.database,
    loadBalancer: services.loadBalancer.loadBalancer,
    targetGroup: services.ingest.targetGroup,
    cluster,
    ingestService: services.ingest.service,
    workerService: services.worker.service,
    ingestLogGroup: services.ingest.task.logGroup,
    workerLogGroup: services.worker.task.logGroup,
  });

  const stage: HeraldStage = { config, deployRole, network, data, platform, services, monitoring };
  for (const stack of stageStacks(stage)) {
    Tags.of(stack).add('project', 'herald');
    Tags.of(stack).add('stage', config.stage);
  }
  return stage;
}

/** The stage's stacks in deploy order. */
export function stageStacks(stage: HeraldStage): Stack[] {
  return [
    stage.deployRole,
    stage.network,
    stage.data,
    stage.platform,
    stage.services,
    stage.monitoring,
  ];
}

/** Runs cdk-nag's AwsSolutions pack over the whole app at synth: unacknowledged errors fail it. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
