export * from './items';
export * from './keys';
export * from './table';
