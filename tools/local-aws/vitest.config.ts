import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/local-aws',
  root: import.meta.dirname,
  stack: false,
});
