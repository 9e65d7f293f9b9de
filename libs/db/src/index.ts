export * from './client';
export * from './transaction';
export * from './env';
export * from './migrate';
export * from './schema';
export * from './api-keys';
