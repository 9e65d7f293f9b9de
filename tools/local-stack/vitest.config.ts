import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/local-stack',
  root: import.meta.dirname,
  stack: false,
});
