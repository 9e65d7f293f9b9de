import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({
  name: '@herald/ingest',
  root: import.meta.dirname,
  stack: true,
});
