export { runCli, createProgram } from './program';
export { CliError } from './errors';
export type { CliIo } from './io';
export type { CliDeps, GlobalOptions } from './context';
export type { Target } from './target';
