import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/client',
  root: import.meta.dirname,
  stack: false,
});
