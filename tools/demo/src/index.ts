export { runDemo, DEMO_STEPS } from './demo';
export { parseDemoOptions, DEMO_USAGE, DemoUsageError, type DemoOptions } from './demo-options';
export type { DemoStack } from './demo-stack';
