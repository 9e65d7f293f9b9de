import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/bench',
  root: import.meta.dirname,
  stack: false,
});
