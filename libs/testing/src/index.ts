export * from './control';
export type * from './stack-info';
