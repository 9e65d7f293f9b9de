import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/testing',
  root: import.meta.dirname,
  stack: false,
});
