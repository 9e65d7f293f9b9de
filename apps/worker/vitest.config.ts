import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/worker',
  root: import.meta.dirname,
  stack: true,
});
