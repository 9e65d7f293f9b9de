export * from './alarms';
export * from './env';
export * from './resources';
export * from './prices';
