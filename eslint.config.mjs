// @ts-check
import tseslint from 'typescript-eslint';

/** Modules that do I/O or belong to a framework: pure domain code may not import them. */
const FRAMEWORK_AND_IO = [
  '@nestjs/*', 'fastify', 'mercurius', 'graphql', 'knex', 'pg', 'ioredis', 'kafkajs', '@elastic/*', '@eventstore/*',
  'pino', 'jose', 'node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'node:http', 'node:child_process', 'node:crypto',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.services/**', 'eslint.config.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['src/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: FRAMEWORK_AND_IO, message: 'domain/ is pure: no framework or I/O imports' }] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.contract.ts', 'src/**/testing/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      // jest's asymmetric matchers (expect.objectContaining, ...) are typed any
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
