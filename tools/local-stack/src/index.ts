export * from './alarm-watcher';
export * from './control-server';
export * from './free-port';
export * from './postgres';
export * from './provision-aws';
export * from './provision-db';
export * from './services';
export * from './stack';
