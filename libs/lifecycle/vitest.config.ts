import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/lifecycle',
  root: import.meta.dirname,
  stack: false,
});
