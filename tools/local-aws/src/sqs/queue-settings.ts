import { SqsError } from './errors';

/** Where a queue sends messages received too often. */
export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

/** The settable attributes of a queue, decoded. */
export interface QueueSettings {
  readonly delaySeconds: number;
  readonly maximumMessageSize: number;
  readonly messageRetentionPeriod: number;
  readonly receiveMessageWaitTimeSeconds: number;
  readonly visibilityTimeout: number;
  readonly redrivePolicy?: RedrivePolicy;
  /** Attributes stored and echoed but without effect here (Policy, KMS, RedriveAllowPolicy…). */
  readonly opaque: ReadonlyMap<string, string>;
}

type NumericSetting = Exclude<keyof QueueSettings, 'redrivePolicy' | 'opaque'>;

const NUMERIC: Record<string, { key: NumericSetting; min: number; max: number }> = {
  DelaySeconds: { key: 'delaySeconds', min: 0, max: 900 },
  MaximumMessageSize: { key: 'maximumMessageSize', min: 1024, max: 1_048_576 },
  MessageRetentionPeriod: { key: 'messageRetentionPeriod', min: 60, max: 1_209_600 },
  ReceiveMessageWaitTimeSeconds: { key: 'receiveMessageWaitTimeSeconds', min: 0, max: 20 },
  VisibilityTimeout: { key: 'visibilityTimeout', min: 0, max: 43_200 },
};

const OPAQUE = new Set([
  'Policy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'RedriveAllowPolicy',
]);

const FIFO_ONLY = new Set([
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

/**
 * The settings of a queue created without attributes: the AWS defaults (1 MiB messages, and
 * SSE-SQS on, which AWS makes the default for new queues).
 */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  delaySeconds: 0,
  maximumMessageSize: 1_048_576,
  messageRetentionPeriod: 345_600,
  receiveMessageWaitTimeSeconds: 0,
  visibilityTimeout: 30,
  opaque: new Map([['SqsManagedSseEnabled', 'true']]),
};

function invalidValue(name: string, detail = ''): SqsError {
  return new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${detail}`);
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidValue(name, ` Reason: must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** Decodes a RedrivePolicy JSON document; the empty string removes the policy. */
export function parseRedrivePolicy(raw: string): RedrivePolicy | undefined {
  if (raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidValue('RedrivePolicy', ' Reason: Invalid JSON.');
  }
  const policy = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const target = policy.deadLetterTargetArn;
  const count = policy.maxReceiveCount;
  if (typeof target !== 'string' || !target.startsWith('arn:aws:sqs:')) {
    throw invalidValue('RedrivePolicy', ' Reason: Invalid value for deadLetterTargetArn.');
  }
  const countText = typeof count === 'number' || typeof count === 'string' ? String(count) : '';
  const maxReceiveCount = parseInteger('RedrivePolicy', countText, 1, 1000);
  return { deadLetterTargetArn: target, maxReceiveCount };
}

type MutableSettings = { -readonly [K in keyof QueueSettings]: QueueSettings[K] };

function applyOne(
  settings: MutableSettings,
  opaque: Map<string, string>,
  name: string,
  raw: string,
): void {
  const numeric = NUMERIC[name];
  if (numeric) {
    settings[numeric.key] = parseInteger(name, raw, numeric.min, numeric.max);
  } else if (name === 'RedrivePolicy') {
    settings.redrivePolicy = parseRedrivePolicy(raw);
  } else if (OPAQUE.has(name)) {
    opaque.set(name, raw);
  } else if (name === 'FifoQueue' || FIFO_ONLY.has(name)) {
    if (name === 'FifoQueue' && raw === 'false') return;
    throw new SqsError(
      'UnsupportedOperation',
      `FIFO queues are not supported by the Herald emulator (${name}).`,
    );
  } else {
    throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
  }
}

/** Applies `Attributes` from CreateQueue or SetQueueAttributes to settings, validating each. */
export function applyQueueAttributes(
  base: QueueSettings,
  attributes: ReadonlyMap<string, string>,
): QueueSettings {
  const settings: MutableSettings = { ...base };
  const opaque = new Map(base.opaque);
  for (const [name, raw] of attributes) applyOne(settings, opaque, name, raw);
  // A KMS key replaces SSE-SQS unless the request says otherwise, as on AWS.
  if (attributes.has('KmsMasterKeyId') && !attributes.has('SqsManagedSseEnabled'))
    opaque.set('SqsManagedSseEnabled', 'false');
  return { ...settings, opaque };
}

/** The wire value of one settable attribute, as GetQueueAttributes returns it. */
export function settingValue(settings: QueueSettings, name: string): string | undefined {
  const numeric = NUMERIC[name];
  if (numeric) return String(settings[numeric.key]);
  if (name === 'RedrivePolicy') {
    return settings.redrivePolicy ? JSON.stringify(settings.redrivePolicy) : undefined;
  }
  return settings.opaque.get(name);
}

/** Names of every attribute that can be set on a standard queue. */
export const SETTABLE_ATTRIBUTES: readonly string[] = [
  ...Object.keys(NUMERIC),
  'RedrivePolicy',
  ...OPAQUE,
];
