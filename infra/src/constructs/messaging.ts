import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_SETTINGS, RESOURCE_NAMES } from '@herald/config';
import { stageResourceName, stageName } from '../config/naming';
import type { StageConfig } from '../config/types';

export interface MessagingProps {
  readonly config: StageConfig;
}

/**
 * The message queue with its dead-letter queue, the alerts topic (critical messages) and the
 * ops topic (CloudWatch alarms). Queues use SQS-managed SSE; topics use one customer key, since
 * CloudWatch can only publish to an encrypted topic whose key policy admits it.
 */
export class Messaging extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly alertsTopic: sns.Topic;
  readonly opsTopic: sns.Topic;
  readonly topicKey: kms.Key;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: stageResourceName(config.stage, RESOURCE_NAMES.deadLetterQueue),
      retentionPeriod: Duration.seconds(QUEUE_SETTINGS.dlqRetentionSeconds),
      maxMessageSizeBytes: QUEUE_SETTINGS.maxMessageBytes,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: stageResourceName(config.stage, RESOURCE_NAMES.messageQueue),
      // Above the worker's worst batch (it heartbeats while it works): see QUEUE_SETTINGS.
      visibilityTimeout: Duration.seconds(QUEUE_SETTINGS.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(QUEUE_SETTINGS.retentionSeconds),
      receiveMessageWaitTime: Duration.seconds(QUEUE_SETTINGS.receiveWaitTimeSeconds),
      maxMessageSizeBytes: QUEUE_SETTINGS.maxMessageBytes,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: QUEUE_SETTINGS.maxReceiveCount,
      },
      removalPolicy,
    });

    this.topicKey = new kms.Key(this, 'TopicKey', {
      alias: `alias/${stageName(config.stage, 'topics')}`,
      description: `Herald ${config.stage}: encrypts the alerts and ops SNS topics`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch alarm actions publish to the ops topic; without this grant they fail silently.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.topicKey.stack.account } },
      }),
    );

    this.alertsTopic = this.topic(
      'AlertsTopic',
      stageResourceName(config.stage, RESOURCE_NAMES.alertsTopic),
      'Herald alerts',
    );
    this.opsTopic = this.topic(
      'OpsTopic',
      stageResourceName(config.stage, RESOURCE_NAMES.opsTopic),
      'Herald ops alarms',
    );
    this.opsTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    if (config.alertsEmail)
      this.alertsTopic.addSubscription(new subscriptions.EmailSubscription(config.alertsEmail));
    // Only CloudWatch alarms of this account may publish to the ops topic.
    this.opsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.opsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.opsTopic.stack.account } },
      }),
    );
  }

  private topic(id: string, topicName: string, displayName: string): sns.Topic {
    return new sns.Topic(this, id, {
      topicName,
      displayName,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
  }
}
