export * from './alert';
export * from './envelope';
export * from './ids';
export * from './limits';
export * from './message';
export * from './problem';
export * from './responses';
export * from './trace';
