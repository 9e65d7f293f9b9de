/** PostgreSQL refused or failed the batch transaction: nothing was committed; SQS redelivers. */
export class MessageStoreError extends Error {
  override readonly name = 'MessageStoreError';
}

/** A DynamoDB write failed for another reason than its condition: retry on redelivery. */
export class MetadataStoreError extends Error {
  override readonly name = 'MetadataStoreError';
}

/** A batch ran past BATCH_TIMEOUT_SECONDS: nothing of it is deleted; SQS redelivers. */
export class BatchTimeoutError extends Error {
  override readonly name = 'BatchTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`batch still running after ${timeoutMs} ms; leaving it for redelivery`);
  }
}

/** A short, log-safe description of anything thrown. */
export function describeError(error: unknown): { name: string; message: string; cause?: string } {
  if (!(error instanceof Error)) return { name: 'NonError', message: String(error) };
  const cause =
    error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return cause
    ? { name: error.name, message: error.message, cause }
    : { name: error.name, message: error.message };
}
