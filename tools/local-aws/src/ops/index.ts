export * from './ops-types';
export * from './ops-sampler';
export * from './ops-handler';
export * from './ops-page';
export * from './settled-scanner';
export * from './uuid-time';
