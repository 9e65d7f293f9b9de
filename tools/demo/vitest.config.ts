import { heraldVitestConfig } from '../../vitest.shared';

// The demo starts its own `npm start` stack (on free ports): no shared stack for its tests.
export default heraldVitestConfig({
  name: '@herald/demo',
  root: import.meta.dirname,
  intTimeoutMs: 300_000,
});
