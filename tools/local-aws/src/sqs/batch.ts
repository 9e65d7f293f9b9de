import { SqsError } from './errors';
import { objectList, requiredString, type JsonObject } from './input';

/** The most entries one batch request may carry. */
export const MAX_BATCH_ENTRIES = 10;

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The entries of a batch request, checked as SQS checks them before doing anything: not empty,
 * at most ten, ids valid and distinct. `entryName` names the entry type in messages.
 */
export function batchEntries(input: JsonObject, entryName: string): JsonObject[] {
  const entries = objectList(input, 'Entries');
  if (entries.length === 0) {
    throw new SqsError(
      'EmptyBatchRequest',
      `There should be at least one ${entryName} in the request.`,
    );
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = requiredString(entry, 'Id');
    if (!ENTRY_ID.test(id)) {
      throw new SqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries;
}

/**
 * Applies `apply` to each entry; an SqsError fails only its entry (`Failed[]` with Code,
 * SenderFault and Message), anything else fails the request.
 */
export function runBatch(
  entries: readonly JsonObject[],
  apply: (entry: JsonObject) => JsonObject,
): JsonObject {
  const successful: JsonObject[] = [];
  const failed: JsonObject[] = [];
  for (const entry of entries) {
    const id = entry.Id;
    try {
      successful.push({ Id: id, ...apply(entry) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      failed.push({
        Id: id,
        Code: error.batchCode,
        SenderFault: error.wire.fault === 'Sender',
        Message: error.message,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}
