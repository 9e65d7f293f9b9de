import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient, createSqsClient } from '@herald/aws';
import type { Command } from 'commander';
import type { CliIo } from './io';
import {
  createCloudFormationClient,
  resolveLocalTarget,
  resolveStageTarget,
  type Stage,
  type Target,
} from './target';

/** The options every command inherits from `herald`. */
export interface GlobalOptions {
  readonly json: boolean;
  readonly debug: boolean;
  readonly stage?: Stage;
}

/** How the program builds its AWS clients; tests swap the CloudFormation one for a mock. */
export interface CliDeps {
  readonly io: CliIo;
  readonly cloudFormation?: () => CloudFormationClient;
}

/**
 * What one command invocation works with: the global options, the resolved target and its AWS
 * clients, built lazily (a `keys` command never touches AWS) and destroyed by {@link close}.
 */
export class CliContext {
  private targetPromise: Promise<Target> | undefined;
  private readonly clients: { destroy(): void }[] = [];
  private sqsClient: SQSClient | undefined;
  private dynamoClient: DynamoDBDocumentClient | undefined;
  private cloudWatchClient: CloudWatchClient | undefined;

  constructor(
    readonly deps: CliDeps,
    readonly options: GlobalOptions,
  ) {}

  get io(): CliIo {
    return this.deps.io;
  }

  /** The local stack, or the `--stage` resolved from its CloudFormation outputs. */
  target(): Promise<Target> {
    this.targetPromise ??= this.options.stage
      ? this.resolveStage(this.options.stage)
      : resolveLocalTarget(this.io.env, (endpoint, region) =>
          this.track(createSqsClient({ endpoint, region, maxAttempts: 1 })),
        );
    return this.targetPromise;
  }

  async sqs(): Promise<SQSClient> {
    const target = await this.target();
    this.sqsClient ??= this.track(
      createSqsClient({
        region: target.region,
        endpoint: target.endpoint,
        requestTimeoutMs: 30_000,
      }),
    );
    return this.sqsClient;
  }

  async dynamo(): Promise<DynamoDBDocumentClient> {
    const target = await this.target();
    this.dynamoClient ??= this.track(
      createDynamoDbDocumentClient({ region: target.region, endpoint: target.endpoint }),
    );
    return this.dynamoClient;
  }

  async cloudWatch(): Promise<CloudWatchClient> {
    const target = await this.target();
    this.cloudWatchClient ??= this.track(new CloudWatchClient({ region: target.region }));
    return this.cloudWatchClient;
  }

  /** Destroys every client this invocation built. */
  close(): void {
    for (const client of this.clients.splice(0)) client.destroy();
  }

  private async resolveStage(stage: Stage): Promise<Target> {
    const cfn = this.track((this.deps.cloudFormation ?? createCloudFormationClient)());
    return resolveStageTarget(stage, cfn);
  }

  private track<C extends { destroy(): void }>(client: C): C {
    this.clients.push(client);
    return client;
  }
}

/** The context of a command's action, from its own and its parents' options. */
export function contextOf(deps: CliDeps, command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  return new CliContext(deps, { json: options.json, debug: options.debug, stage: options.stage });
}

/** Prints `value` as JSON with --json, else the text `render` makes of it. */
export function emit<T>(context: CliContext, value: T, render: (value: T) => string): void {
  context.io.out(context.options.json ? JSON.stringify(value, null, 2) : render(value));
}
