import {
  CloudFormationClient,
  DescribeStacksCommand,
  type Output,
} from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ALARM_THRESHOLDS, RESOURCE_NAMES, STACK_OUTPUTS } from '@herald/config';
import { CliError, innermostMessage } from './errors';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** What the operator commands act on: the local stack, or one deployed stage. */
export interface Target {
  readonly kind: 'local' | 'aws';
  /** `local`, `dev` or `prod`. */
  readonly label: string;
  readonly region: string;
  /** The local edge; undefined on AWS (the SDK's own endpoints, standard credential chain). */
  readonly endpoint?: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly metadataTable: string;
  readonly opsTopicArn?: string;
  /** CloudWatch alarm names (AWS only). */
  readonly alarmNames: readonly string[];
}

/** The local stack `npm start` runs: the edge on 127.0.0.1:4566. */
export const LOCAL_ENDPOINT = 'http://127.0.0.1:4566';

function queueNameOf(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? url;
}

/**
 * The local stack's resources: names from @herald/config, URLs from the edge (GetQueueUrl).
 * `HERALD_QUEUE_URL`, `HERALD_DLQ_URL` and `HERALD_METADATA_TABLE` override them (tests, stacks
 * started with a name suffix); `AWS_ENDPOINT_URL` and `AWS_REGION` move the edge.
 */
export async function resolveLocalTarget(
  env: Readonly<Record<string, string | undefined>>,
  sqs: (endpoint: string, region: string) => SQSClient,
): Promise<Target> {
  const endpoint = env.AWS_ENDPOINT_URL || LOCAL_ENDPOINT;
  const region = env.AWS_REGION || 'us-east-1';
  const client = sqs(endpoint, region);
  const urlOf = async (override: string | undefined, name: string) => {
    if (override) return override;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new CliError(`the edge at ${endpoint} has no queue ${name}`);
    return QueueUrl;
  };
  try {
    const queueUrl = await urlOf(env.HERALD_QUEUE_URL, RESOURCE_NAMES.messageQueue);
    const dlqUrl = await urlOf(env.HERALD_DLQ_URL, RESOURCE_NAMES.deadLetterQueue);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    return {
      kind: 'local',
      label: 'local',
      region,
      endpoint,
      queueUrl,
      dlqUrl,
      dlqArn: Attributes?.QueueArn ?? '',
      metadataTable: env.HERALD_METADATA_TABLE || RESOURCE_NAMES.metadataTable,
      alarmNames: [],
    };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `cannot reach the local stack at ${endpoint} (${innermostMessage(error)}); is \`npm start\` running?`,
    );
  }
}

async function stackOutputs(cfn: CloudFormationClient, stackName: string): Promise<Output[]> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    const message = innermostMessage(error);
    if (/does not exist/i.test(message))
      throw new CliError(
        `stack ${stackName} does not exist: is the stage deployed in this region?`,
      );
    throw new CliError(`cannot read stack ${stackName}: ${message}`);
  }
}

/**
 * A deployed stage's resources, from the outputs of its CloudFormation stacks
 * (`herald-<stage>-data`, `herald-<stage>-monitoring`; see STACK_OUTPUTS), with the standard
 * AWS credential chain and region.
 */
export async function resolveStageTarget(stage: Stage, cfn: CloudFormationClient): Promise<Target> {
  const parts = [...new Set(Object.values(STACK_OUTPUTS).map((output) => output.stack))];
  const byStack = new Map<string, Map<string, string>>();
  await Promise.all(
    parts.map(async (part) => {
      const outputs = await stackOutputs(cfn, `herald-${stage}-${part}`);
      byStack.set(
        part,
        new Map(outputs.map((output) => [output.OutputKey ?? '', output.OutputValue ?? ''])),
      );
    }),
  );
  const read = (name: keyof typeof STACK_OUTPUTS): string => {
    const { stack, key } = STACK_OUTPUTS[name];
    const value = byStack.get(stack)?.get(key);
    if (!value) throw new CliError(`stack herald-${stage}-${stack} has no output ${key}`);
    return value;
  };
  const region = await cfn.config.region();
  const alarmNames = read('alarmNames').split(',').filter(Boolean);
  if (alarmNames.length < Object.keys(ALARM_THRESHOLDS).length)
    throw new CliError(
      `stack herald-${stage}-monitoring lists only ${String(alarmNames.length)} alarms`,
    );
  return {
    kind: 'aws',
    label: stage,
    region,
    queueUrl: read('queueUrl'),
    dlqUrl: read('deadLetterQueueUrl'),
    dlqArn: read('deadLetterQueueArn'),
    metadataTable: read('metadataTable'),
    opsTopicArn: read('opsTopicArn'),
    alarmNames,
  };
}

/** The queue's name in its URL, for display. */
export function displayQueue(url: string): string {
  return queueNameOf(url);
}

/** A CloudFormation client for a stage (region and credentials from the standard chain). */
export function createCloudFormationClient(): CloudFormationClient {
  return new CloudFormationClient({});
}
