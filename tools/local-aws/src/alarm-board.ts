/** One alarm's state as the local stack's alarm watcher last evaluated it. */
export interface LocalAlarmState {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** Alarm when the value is above this (`>`), for `evaluationPeriods` periods in a row. */
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly periodSeconds: number;
  /** The latest value read, if any. */
  readonly value?: number;
  readonly updatedAt: string;
}

/**
 * Where the local stack's alarm watcher posts its alarm states, so the edge can serve them on
 * `GET /_herald/alarms` like CloudWatch DescribeAlarms does on AWS.
 */
export class AlarmBoard {
  private readonly states = new Map<string, LocalAlarmState>();

  /** Replaces the state of one alarm. */
  set(state: LocalAlarmState): void {
    this.states.set(state.name, state);
  }

  /** Every alarm, in order of name. */
  list(): LocalAlarmState[] {
    return [...this.states.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
