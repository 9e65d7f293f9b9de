/** Integration-test support, in three parts: queues, workers, and readers of the stores. */
export * from './stack-queues';
export * from './stack-readers';
export * from './stack-workers';
