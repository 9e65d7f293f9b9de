export * from './config-exit';
export * from './signals';
