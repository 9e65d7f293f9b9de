export * from './api-keys';
export * from './channel-stats';
export * from './messages';
