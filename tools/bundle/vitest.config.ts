import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/bundle',
  root: import.meta.dirname,
  stack: true,
  intTimeoutMs: 120_000,
});
