import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({ name: '@herald/db', root: import.meta.dirname, stack: true });
