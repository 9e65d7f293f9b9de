import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/observability',
  root: import.meta.dirname,
  stack: false,
});
