// Flat config shared by every project. Type-aware rules (strictTypeChecked) need the
// TypeScript project service, which finds each file's nearest tsconfig.json.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

/**
 * Test-only code: files matching these globs may import `type:testing` libraries (libs/testing);
 * production code may not. Vitest setup files run only under the test runner.
 */
export const TEST_FILES = [
  '**/*.test.ts',
  '**/*.int.test.ts',
  '**/test/**/*.ts',
  '**/e2e/**/*.ts',
  '**/vitest-global-setup.ts',
  '**/vitest.setup.ts',
];

/**
 * The project tag matrix (see docs/conventions.md#boundaries). `testCode` adds `type:testing` to
 * every type's allowed targets: only test files get that, so an import of @herald/testing from
 * production code fails lint.
 */
function moduleBoundaries({ testCode }) {
  const testing = testCode ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:data-access', 'type:util', ...testing],
      },
      {
        sourceTag: 'type:data-access',
        onlyDependOnLibsWithTags: ['type:data-access', 'type:util', ...testing],
      },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      {
        sourceTag: 'type:tool',
        onlyDependOnLibsWithTags: ['type:tool', 'type:data-access', 'type:util', ...testing],
      },
      {
        // What tests get from the local stack: it may use contracts and data access, never apps.
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:util'],
      },
      {
        sourceTag: 'scope:ingest',
        onlyDependOnLibsWithTags: ['scope:ingest', 'scope:shared'],
      },
      {
        sourceTag: 'scope:worker',
        onlyDependOnLibsWithTags: ['scope:worker', 'scope:shared'],
      },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/cdk.out/**',
      '**/.nx/**',
      '**/reports/**',
      '**/migrations/**',
      '**/*.timestamp*',
    ],
  },
  ...nx.configs['flat/base'],
  ...tseslint.configs.strictTypeChecked,
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message:
            "Use withTransaction(db, work) from @herald/db: drizzle's db.transaction() leaks the pooled connection when BEGIN fails (drizzle-orm #6241).",
        },
      ],
      'import-x/no-default-export': 'error',
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testCode: false })],
    },
  },
  {
    // Tools demand default exports here (vitest, drizzle-kit configs), and they import the
    // workspace's shared vitest setup by path, which is not a project import.
    files: ['**/vitest.config.ts', '**/drizzle.config.ts'],
    rules: { 'import-x/no-default-export': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Tests may assert non-null where the test itself guarantees it, and only tests (and the
    // vitest setup files) may import the testing lib.
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testCode: true })],
    },
  },
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
