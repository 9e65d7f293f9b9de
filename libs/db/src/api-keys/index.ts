export * from './repository';
export * from './scopes';
export * from './secret';
