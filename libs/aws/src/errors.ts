/**
 * True when a DynamoDB write was refused by its condition expression (or one item of a
 * transaction was). Matched by name, not `instanceof`: a bundle or a second copy of the SDK would
 * carry another class.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
