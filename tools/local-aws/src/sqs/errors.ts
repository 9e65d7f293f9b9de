/** The errors the SQS emulator answers with, keyed by the name of the SDK's exception class. */
export type SqsErrorCode =
  | 'QueueDoesNotExist'
  | 'QueueNameExists'
  | 'ReceiptHandleIsInvalid'
  | 'MessageNotInflight'
  | 'BatchEntryIdsNotDistinct'
  | 'TooManyEntriesInBatchRequest'
  | 'BatchRequestTooLong'
  | 'EmptyBatchRequest'
  | 'InvalidBatchEntryId'
  | 'InvalidAttributeName'
  | 'InvalidAttributeValue'
  | 'InvalidMessageContents'
  | 'InvalidParameterValue'
  | 'MissingParameter'
  | 'InvalidAddress'
  | 'UnsupportedOperation'
  | 'UnknownOperation'
  | 'SerializationException'
  | 'RequestEntityTooLarge'
  | 'ResourceNotFoundException'
  | 'InternalError';

/** How one error travels on the wire in the AWS JSON 1.0 protocol with query compatibility. */
export interface SqsWireError {
  /** The `__type` of the JSON body. */
  readonly type: string;
  /**
   * The legacy query-protocol code, sent as `x-amzn-query-error: <code>;<fault>`; the SDK maps it
   * back to its exception class. Absent for errors raised by the protocol layer, not by SQS.
   */
  readonly queryCode?: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';
}

const SQS = 'com.amazonaws.sqs#';
const CORAL = 'com.amazon.coral.service#';

function sender(type: string, queryCode: string | undefined, status = 400): SqsWireError {
  return { type, queryCode, status, fault: 'Sender' };
}

// Status codes and query codes follow the SQS service model the SDK is generated from.
const WIRE_ERRORS: Record<SqsErrorCode, SqsWireError> = {
  QueueDoesNotExist: sender(`${SQS}QueueDoesNotExist`, 'AWS.SimpleQueueService.NonExistentQueue'),
  QueueNameExists: sender(`${SQS}QueueNameExists`, 'QueueAlreadyExists'),
  ReceiptHandleIsInvalid: sender(`${SQS}ReceiptHandleIsInvalid`, 'ReceiptHandleIsInvalid', 404),
  MessageNotInflight: sender(
    `${SQS}MessageNotInflight`,
    'AWS.SimpleQueueService.MessageNotInflight',
  ),
  BatchEntryIdsNotDistinct: sender(
    `${SQS}BatchEntryIdsNotDistinct`,
    'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  ),
  TooManyEntriesInBatchRequest: sender(
    `${SQS}TooManyEntriesInBatchRequest`,
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  ),
  BatchRequestTooLong: sender(
    `${SQS}BatchRequestTooLong`,
    'AWS.SimpleQueueService.BatchRequestTooLong',
  ),
  EmptyBatchRequest: sender(`${SQS}EmptyBatchRequest`, 'AWS.SimpleQueueService.EmptyBatchRequest'),
  InvalidBatchEntryId: sender(
    `${SQS}InvalidBatchEntryId`,
    'AWS.SimpleQueueService.InvalidBatchEntryId',
  ),
  InvalidAttributeName: sender(`${SQS}InvalidAttributeName`, 'InvalidAttributeName'),
  InvalidAttributeValue: sender(`${SQS}InvalidAttributeValue`, 'InvalidAttributeValue'),
  InvalidMessageContents: sender(`${SQS}InvalidMessageContents`, 'InvalidMessageContents'),
  InvalidParameterValue: sender(`${SQS}InvalidParameterValueException`, 'InvalidParameterValue'),
  MissingParameter: sender(`${SQS}MissingParameterException`, 'MissingParameter'),
  InvalidAddress: sender(`${SQS}InvalidAddress`, 'InvalidAddress', 404),
  UnsupportedOperation: sender(
    `${SQS}UnsupportedOperation`,
    'AWS.SimpleQueueService.UnsupportedOperation',
  ),
  UnknownOperation: sender(`${CORAL}UnknownOperationException`, undefined),
  SerializationException: sender(`${CORAL}SerializationException`, undefined),
  RequestEntityTooLarge: sender(`${CORAL}RequestEntityTooLargeException`, undefined, 413),
  ResourceNotFoundException: sender(
    `${SQS}ResourceNotFoundException`,
    'ResourceNotFoundException',
    404,
  ),
  InternalError: {
    type: `${SQS}InternalError`,
    queryCode: 'InternalError',
    status: 500,
    fault: 'Receiver',
  },
};

/** An SQS API error: the request failed with an AWS error code the SDK understands. */
export class SqsError extends Error {
  override readonly name = 'SqsError';

  constructor(
    readonly code: SqsErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The wire shape of this error. */
  get wire(): SqsWireError {
    return WIRE_ERRORS[this.code];
  }

  /** The code reported for this error in a batch result entry (`Failed[].Code`). */
  get batchCode(): string {
    return this.wire.queryCode ?? this.code;
  }
}

/** The wire shape of an error code. */
export function sqsWireError(code: SqsErrorCode): SqsWireError {
  return WIRE_ERRORS[code];
}
