export * from './client-options';
export * from './herald-api-error';
export * from './herald-client';
export { backoffDelayMs, parseRetryAfter, type RetryOptions } from './retry-policy';
export { chunkBatch, type BatchChunk, type OversizedEntry } from './batch-chunks';
