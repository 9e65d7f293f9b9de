import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/cli',
  root: import.meta.dirname,
  stack: true,
});
