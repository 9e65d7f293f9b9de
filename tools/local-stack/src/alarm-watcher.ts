import { PublishCommand } from '@aws-sdk/client-sns';
import { createSnsClient } from '@herald/aws';
import { ALARM_THRESHOLDS, type AlarmName, type AlarmThreshold } from '@herald/config';
import type { LocalAlarmState } from '@herald/local-aws';

export interface AlarmWatcherOptions {
  endpoint: string;
  region: string;
  queueUrl: string;
  dlqUrl: string;
  opsTopicArn: string;
  /** Seconds per evaluation period; production uses each alarm's own period (60 s). */
  periodSeconds?: number;
  notify: (line: string) => void;
  /** Receives every alarm's state after each evaluation (the edge serves them on /_herald/alarms). */
  publish?: (state: LocalAlarmState) => void;
  /** Worker ERROR log lines since the previous call (the local stand-in for the metric filter). */
  takeWorkerErrors?: () => number;
}

/** The local signals: what the edge's `GET /_herald/queues` tells of one queue. */
interface QueueRow {
  readonly name: string;
  readonly visible: number;
  readonly oldestMessageAgeSeconds: number;
}

type Signal = (queues: readonly QueueRow[]) => number;

interface WatchedAlarm {
  readonly name: string;
  readonly threshold: AlarmThreshold;
  /** Absent for alarms with no local signal (RDS CPU, ALB): they stay INSUFFICIENT_DATA. */
  readonly read?: Signal;
  breaches: number;
  state: LocalAlarmState['state'];
}

/** `queueDepth` → `queue-depth`, as the CDK names the stage's alarms (`herald-<stage>-queue-depth`). */
export function alarmSlug(name: AlarmName): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function queueName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '');
}

function signals(options: AlarmWatcherOptions): Partial<Record<AlarmName, Signal>> {
  const row = (url: string) => {
    const name = queueName(url);
    return (queues: readonly QueueRow[]) => queues.find((queue) => queue.name === name);
  };
  const queue = row(options.queueUrl);
  const dlq = row(options.dlqUrl);
  const take = options.takeWorkerErrors;
  return {
    queueDepth: (queues) => queue(queues)?.visible ?? 0,
    dlqDepth: (queues) => dlq(queues)?.visible ?? 0,
    oldestMessageAgeSeconds: (queues) => queue(queues)?.oldestMessageAgeSeconds ?? 0,
    ...(take ? { workerErrors: () => take() } : {}),
  };
}

/**
 * The local stand-in for the production CloudWatch alarms (same thresholds, from @herald/config):
 * every definition with a local signal (queue depth, DLQ depth, age of the oldest message, worker
 * errors) is evaluated each period; the others are reported as INSUFFICIENT_DATA. A change
 * between OK and ALARM is published to the ops topic, so it lands in the local mailbox like the
 * production alarm email would.
 */
export function startAlarmWatcher(options: AlarmWatcherOptions): { stop(): void } {
  const sns = createSnsClient({ endpoint: options.endpoint, region: options.region });
  const periodSeconds = options.periodSeconds ?? 60;
  const reads = signals(options);
  const alarms: WatchedAlarm[] = (Object.keys(ALARM_THRESHOLDS) as AlarmName[]).map((name) => ({
    name: alarmSlug(name),
    threshold: ALARM_THRESHOLDS[name],
    ...(reads[name] ? { read: reads[name] } : {}),
    breaches: 0,
    state: 'INSUFFICIENT_DATA',
  }));
  const post = (alarm: WatchedAlarm, reason: string, value?: number) => {
    options.publish?.({
      name: alarm.name,
      state: alarm.state,
      reason,
      threshold: alarm.threshold.threshold,
      evaluationPeriods: alarm.threshold.evaluationPeriods,
      periodSeconds,
      ...(value === undefined ? {} : { value }),
      updatedAt: new Date().toISOString(),
    });
  };
  for (const alarm of alarms) post(alarm, alarm.read ? 'not evaluated yet' : 'no local signal');

  const evaluate = async (alarm: WatchedAlarm, read: Signal, queues: readonly QueueRow[]) => {
    const value = read(queues);
    const { threshold, evaluationPeriods } = alarm.threshold;
    alarm.breaches = value > threshold ? alarm.breaches + 1 : 0;
    const state = alarm.breaches >= evaluationPeriods ? 'ALARM' : 'OK';
    const reason = `value ${String(value)}, threshold > ${String(threshold)} for ${String(evaluationPeriods)} period(s); ${String(alarm.breaches)} breaching`;
    const changed = state !== alarm.state;
    const wasKnown = alarm.state !== 'INSUFFICIENT_DATA';
    alarm.state = state;
    post(alarm, reason, value);
    // The first evaluation to OK is not news; any ALARM, and a return to OK, is.
    if (!changed || (!wasKnown && state === 'OK')) return;
    const message = `${alarm.name} is ${state}: ${reason}`;
    options.notify(message);
    await sns.send(
      new PublishCommand({
        TopicArn: options.opsTopicArn,
        Subject: `Herald alarm ${alarm.name}: ${state}`,
        Message: message,
      }),
    );
  };
  const round = async () => {
    const response = await fetch(`${options.endpoint}/_herald/queues`);
    if (!response.ok) throw new Error(`GET /_herald/queues answered ${String(response.status)}`);
    const { queues } = (await response.json()) as { queues: QueueRow[] };
    for (const alarm of alarms) {
      if (!alarm.read) continue;
      await evaluate(alarm, alarm.read, queues).catch((error: unknown) => {
        options.notify(`alarm ${alarm.name}: ${String(error)}`);
      });
    }
  };
  const timer = setInterval(() => {
    round().catch((error: unknown) => {
      options.notify(`alarm watcher: ${String(error)}`);
    });
  }, periodSeconds * 1000);
  return {
    stop: () => {
      clearInterval(timer);
      sns.destroy();
    },
  };
}
