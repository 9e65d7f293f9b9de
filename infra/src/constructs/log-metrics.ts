import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ErrorLogMetricProps {
  readonly logGroup: logs.ILogGroup;
  /** CloudWatch namespace, e.g. `Herald/prod`. */
  readonly namespace: string;
  readonly metricName: string;
}

/** pino's numeric level for `error` (fatal is 60). */
export const PINO_ERROR_LEVEL = 50;

/**
 * Counts JSON log lines whose `level` is at least pino's `error` (50). Every other line
 * counts 0, so the metric is continuous while the service logs at all.
 */
export class ErrorLogMetric extends Construct {
  readonly filter: logs.MetricFilter;
  readonly metric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: ErrorLogMetricProps) {
    super(scope, id);
    this.filter = new logs.MetricFilter(this, 'Filter', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.numberValue('$.level', '>=', PINO_ERROR_LEVEL),
      metricNamespace: props.namespace,
      metricName: props.metricName,
      metricValue: '1',
      defaultValue: 0,
      unit: cloudwatch.Unit.COUNT,
    });
    this.metric = this.filter.metric({ statistic: cloudwatch.Stats.SUM });
  }
}
