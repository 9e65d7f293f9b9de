export * from './clients';
export * from './errors';
export * from './node-notice';
