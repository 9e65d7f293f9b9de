import { heraldVitestConfig } from '../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/infra',
  root: import.meta.dirname,
  stack: false,
  // Template assertions over two synthesized stages (and cdk-nag re-checks) take seconds each on
  // an idle machine; 9.7 s was seen under load against vitest's 5 s default.
  unitTimeoutMs: 60_000,
});
