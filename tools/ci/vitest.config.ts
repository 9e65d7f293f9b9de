import { heraldVitestConfig } from '../../vitest.shared';

export default heraldVitestConfig({ name: '@herald/ci', root: import.meta.dirname });
