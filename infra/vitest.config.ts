import { heraldVitestConfig } from '../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/infra',
  root: import.meta.dirname,
  stack: false,
});
