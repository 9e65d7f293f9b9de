import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/metadata',
  root: import.meta.dirname,
  stack: false,
});
