import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/config',
  root: import.meta.dirname,
  stack: false,
});
