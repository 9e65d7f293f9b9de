export * from './alarms';
export * from './env';
export * from './resources';
