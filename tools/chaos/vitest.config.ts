import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/chaos',
  root: import.meta.dirname,
  stack: false,
});
