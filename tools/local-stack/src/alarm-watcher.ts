import { PublishCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createSnsClient, createSqsClient } from '@herald/aws';
import { ALARM_THRESHOLDS, type AlarmThreshold } from '@herald/config';

export interface AlarmWatcherOptions {
  endpoint: string;
  region: string;
  queueUrl: string;
  dlqUrl: string;
  opsTopicArn: string;
  /** Seconds per evaluation period; production uses each alarm's own period (60 s). */
  periodSeconds?: number;
  notify: (line: string) => void;
}

interface WatchedAlarm {
  name: string;
  threshold: AlarmThreshold;
  read: () => Promise<number>;
  breaches: number;
  firing: boolean;
}

/**
 * The local stand-in for the production CloudWatch alarms on the queues (same thresholds, from
 * @herald/config): queue depth and DLQ depth. A state change is published to the ops topic, so
 * it lands in the local mailbox like the production alarm email would.
 */
export function startAlarmWatcher(options: AlarmWatcherOptions): { stop(): void } {
  const sqs = createSqsClient({ endpoint: options.endpoint, region: options.region });
  const sns = createSnsClient({ endpoint: options.endpoint, region: options.region });
  const depth = (queueUrl: string) => async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  const alarms: WatchedAlarm[] = [
    {
      name: 'queue-depth',
      threshold: ALARM_THRESHOLDS.queueDepth,
      read: depth(options.queueUrl),
      breaches: 0,
      firing: false,
    },
    {
      name: 'dlq-not-empty',
      threshold: ALARM_THRESHOLDS.dlqDepth,
      read: depth(options.dlqUrl),
      breaches: 0,
      firing: false,
    },
  ];
  const evaluate = async (alarm: WatchedAlarm) => {
    const value = await alarm.read();
    alarm.breaches = value > alarm.threshold.threshold ? alarm.breaches + 1 : 0;
    const firing = alarm.breaches >= alarm.threshold.evaluationPeriods;
    if (firing === alarm.firing) return;
    alarm.firing = firing;
    const state = firing ? 'ALARM' : 'OK';
    const message = `${alarm.name} is ${state}: value ${value}, threshold > ${alarm.threshold.threshold} for ${alarm.threshold.evaluationPeriods} period(s)`;
    options.notify(message);
    await sns.send(
      new PublishCommand({
        TopicArn: options.opsTopicArn,
        Subject: `Herald alarm ${alarm.name}: ${state}`,
        Message: message,
      }),
    );
  };
  const timer = setInterval(
    () => {
      for (const alarm of alarms)
        evaluate(alarm).catch((error: unknown) => {
          options.notify(`alarm ${alarm.name}: ${String(error)}`);
        });
    },
    (options.periodSeconds ?? 60) * 1000,
  );
  return {
    stop: () => {
      clearInterval(timer);
      sqs.destroy();
      sns.destroy();
    },
  };
}
