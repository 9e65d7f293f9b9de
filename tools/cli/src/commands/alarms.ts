import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { Command } from 'commander';
import { contextOf, emit, type CliContext, type CliDeps } from '../context';
import { CliError } from '../errors';
import { formatTable } from '../io';

/** One alarm as `herald alarms` shows it, locally and on AWS alike. */
export interface AlarmRow {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
  /** `> 100 for 10 × 60 s` */
  readonly threshold: string;
  readonly updatedAt: string | null;
}

const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

function describeThreshold(
  op: string,
  threshold: number,
  periods: number,
  periodSeconds: number,
): string {
  return `${op} ${String(threshold)} for ${String(periods)} × ${String(periodSeconds)} s`;
}

function fromCloudWatch(alarm: MetricAlarm): AlarmRow {
  const periodSeconds =
    alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 0;
  return {
    name: alarm.AlarmName ?? '',
    state: alarm.StateValue ?? 'UNKNOWN',
    reason: alarm.StateReason ?? '',
    threshold: describeThreshold(
      COMPARISON[alarm.ComparisonOperator ?? ''] ?? alarm.ComparisonOperator ?? '?',
      alarm.Threshold ?? 0,
      alarm.EvaluationPeriods ?? 0,
      periodSeconds,
    ),
    updatedAt: alarm.StateUpdatedTimestamp?.toISOString() ?? null,
  };
}

async function awsAlarms(context: CliContext, names: readonly string[]): Promise<AlarmRow[]> {
  const cloudWatch = await context.cloudWatch();
  const rows: AlarmRow[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: [...names],
        AlarmTypes: ['MetricAlarm'],
        NextToken: nextToken,
      }),
    );
    rows.push(...(page.MetricAlarms ?? []).map(fromCloudWatch));
    nextToken = page.NextToken;
  } while (nextToken);
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

interface LocalAlarm {
  name: string;
  state: string;
  reason: string;
  threshold: number;
  evaluationPeriods: number;
  periodSeconds: number;
  updatedAt: string;
}

async function localAlarms(endpoint: string): Promise<AlarmRow[]> {
  const response = await fetch(`${endpoint}/_herald/alarms`);
  if (!response.ok)
    throw new CliError(`the edge answered ${String(response.status)} on /_herald/alarms`);
  const { alarms } = (await response.json()) as { alarms: LocalAlarm[] };
  if (alarms.length === 0)
    throw new CliError(
      `no alarm watcher posts to ${endpoint}: is this the stack \`npm start\` runs?`,
    );
  return alarms.map((alarm) => ({
    name: alarm.name,
    state: alarm.state,
    reason: alarm.reason,
    threshold: describeThreshold(
      '>',
      alarm.threshold,
      alarm.evaluationPeriods,
      alarm.periodSeconds,
    ),
    updatedAt: alarm.updatedAt,
  }));
}

/** Every alarm of the target: CloudWatch DescribeAlarms on AWS, the alarm watcher locally. */
export async function readAlarms(context: CliContext): Promise<AlarmRow[]> {
  const target = await context.target();
  return target.kind === 'aws'
    ? awsAlarms(context, target.alarmNames)
    : localAlarms(target.endpoint ?? '');
}

/** `herald alarms`. */
export function alarmsCommand(deps: CliDeps): Command {
  return new Command('alarms')
    .description('every alarm with its state, reason and threshold')
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(deps, command);
      try {
        emit(context, await readAlarms(context), (rows) =>
          formatTable(
            ['alarm', 'state', 'threshold', 'reason'],
            rows.map((row) => [row.name, row.state, row.threshold, row.reason]),
          ),
        );
      } finally {
        context.close();
      }
    });
}
