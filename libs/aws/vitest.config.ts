import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({ name: '@herald/aws', root: import.meta.dirname, stack: false });
