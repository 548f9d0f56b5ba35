import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/boundaries.js';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.data/**',
      'contracts/json-schema/**',
      'bench/results/**',
      // Types generated from the served OpenAPI document by the contract test.
      'tests/system/contract/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['services/**/*.ts'],
    plugins: { local },
    rules: { 'local/boundaries': 'error' },
  },
  {
    files: ['scripts/**', 'bench/**', 'tests/**', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
);
