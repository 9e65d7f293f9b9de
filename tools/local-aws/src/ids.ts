import { randomBytes, randomUUID } from 'node:crypto';

/** The account id every emulated resource belongs to, as LocalStack uses. */
export const ACCOUNT_ID = '000000000000';

/** A new message or request id (UUID v4, as SQS and SNS use). */
export function newId(): string {
  return randomUUID();
}

/** An opaque token; `bytes` of randomness, base64url-encoded. */
export function newToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A receipt handle. SQS's start with `AQEB` and never with `-`; a bare base64url token starts with
 * `-` one time in 64, which the AWS CLI then reads as an option (`--receipt-handle -x…`: "expected
 * one argument"), as a CI run of awscli.int.test.ts found.
 */
export function newReceiptHandle(): string {
  return `AQEB${newToken(48)}`;
}
