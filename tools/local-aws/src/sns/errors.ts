/** The errors the SNS emulator answers with: the `<Code>` of the query-protocol error. */
export type SnsErrorCode =
  | 'NotFound'
  | 'ResourceNotFound'
  | 'TagLimitExceeded'
  | 'InvalidParameter'
  | 'ParameterValueInvalid'
  | 'BatchEntryIdsNotDistinct'
  | 'BatchRequestTooLong'
  | 'EmptyBatchRequest'
  | 'InvalidBatchEntryId'
  | 'TooManyEntriesInBatchRequest'
  | 'InvalidAction'
  | 'RequestEntityTooLarge'
  | 'InternalError';

const STATUS: Partial<Record<SnsErrorCode, number>> = {
  NotFound: 404,
  ResourceNotFound: 404,
  RequestEntityTooLarge: 413,
  InternalError: 500,
};

/** An SNS API error, answered as an XML `<ErrorResponse>`. */
export class SnsError extends Error {
  override readonly name = 'SnsError';

  constructor(
    readonly code: SnsErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.code] ?? 400;
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** InvalidParameter with SNS's message shape. */
export function invalidParameter(name: string, reason?: string): SnsError {
  return new SnsError(
    'InvalidParameter',
    `Invalid parameter: ${name}${reason === undefined ? '' : ` Reason: ${reason}`}`,
  );
}
