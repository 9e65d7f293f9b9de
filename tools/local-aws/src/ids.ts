import { randomBytes, randomUUID } from 'node:crypto';

/** The account id every emulated resource belongs to, as LocalStack uses. */
export const ACCOUNT_ID = '000000000000';

/** A new message or request id (UUID v4, as SQS and SNS use). */
export function newId(): string {
  return randomUUID();
}

/** An opaque token, e.g. a receipt handle; `bytes` of randomness, base64url-encoded. */
export function newToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
