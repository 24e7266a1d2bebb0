// @ts-check
/**
 * ESLint (flat config): typescript-eslint's type-aware rules over every TypeScript file of tsconfig.json
 * (api/, scripts/, test/, bench/). `npm run lint` and `npm test` run it with --max-warnings=0.
 * Unused exports are found by knip (knip.json), not by ESLint: eslint-plugin-import(-x)'s no-unused-modules
 * still needs the legacy eslintrc file enumerator and does not work under a flat config.
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.run/**', 'coverage/**', 'keycloak/**', 'test-artifacts/**', 'themes/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read HTTP bodies (supertest's `res.body`) and raw SQL rows (`dataSource.query`), which are `any` by
    // their libraries' typing, and check them with `expect`: that check is the point of a test, so the
    // no-unsafe-* family, which would demand a cast before every `expect`, is off in test files only.
    files: ['**/*.test.ts', 'test/**/*.ts', 'api/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Test doubles implement async ports (KeycloakUsersPort, NivelContaPort…): an `async` method without `await`
      // is the plainest way to return a promise and to turn a `throw` into a rejection, as the real port does.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript files (this one, jest.config.js, the serial jest runner): no type information.
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS on purpose: jest loads its runners with require() (test/support/runner-serial.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
