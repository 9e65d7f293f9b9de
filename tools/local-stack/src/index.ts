export * from './control-server';
export * from './free-port';
export * from './postgres';
export * from './provision-aws';
export * from './provision-db';
export * from './stack';
export * from './alarm-watcher';
