import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/contracts',
  root: import.meta.dirname,
  stack: false,
});
