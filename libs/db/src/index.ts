export * from './client';
export * from './env';
export * from './migrate';
export * from './schema';
export * from './api-keys';
