// @ts-check
/** Shared transform: SWC with legacy decorators + metadata (TypeORM 1.x needs them). */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'es6' },
    },
  ],
};
const common = {
  transform,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

/**
 * Isolation rule (the suite must be correct on any number of cores, e.g. `npm test -- --maxWorkers=4`):
 *
 * - `integration` files run in parallel, so each owns everything it changes: its own database cloned from the
 *   slot's template (test/support/db.ts), its own random BullMQ queue names or prefix, servers on port 0, its own
 *   temporary files. They may use the slot's Keycloak only to read the realm and to create their own users
 *   (random CPFs) — never to change realm settings, restart it, or listen on a fixed port.
 * - `stack` files share what cannot be duplicated per file, on purpose: the API on the slot's fixed port (the
 *   Keycloak listener posts its events there, KC_TEST.apiPort), the SMTP sink on KC_TEST.smtpPort, the stand-in
 *   applications on the realm's redirect ports (4100, 4900), the realm itself (realm-gitops edits it and re-applies, realm-producao creates a second realm
 *   git's state at the end) and the Keycloak process (spine stops and restarts it). They run through
 *   test/support/runner-serial.cjs: one file at a time, and never while an `integration` or `unit` file runs
 *   (@jest/core awaits one runner's files before it starts the next runner's).
 *
 * A new test file that needs any of the shared things goes in STACK; everything else in `integration`.
 */
const STACK = [
  'test/spine.test.ts',
  'test/perfil-registro.test.ts',
  'test/realm-gitops.test.ts',
  'test/realm-producao.test.ts',
  'test/autorizacao.test.ts',
  'test/perfil-keycloak.test.ts',
  'test/oidc-fluxos.test.ts',
  'test/e2e-login-fluxos.test.ts',
  'test/e2e-login-tema.test.ts',
  'test/sincronizacao-registro.test.ts',
  'test/e2e-login-govbr.test.ts',
  'test/e2e-sala-espera.test.ts',
  'test/e2e-sala-agendamento.test.ts',
  'test/biometria-nivel4.test.ts',
  'test/e2e-area-cidadao.test.ts',
  'test/certificado-icp.test.ts',
  'test/aviso-email.test.ts',
].map((f) => `<rootDir>/${f}`);

/** @type {import('jest').Config} */
export default {
  // A global option: jest ignores testTimeout inside `projects` entries. Integration tests drive real services.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/api/src/**/*.unit.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/api/src/**/*.int.test.ts', '<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...STACK.map((f) => f.replace('<rootDir>/', '/'))],
      // Both projects name the same global setup: jest runs it once per distinct file (the Keycloak test instance
      // and the template database), and the teardown once.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'stack',
      testMatch: STACK,
      runner: '<rootDir>/test/support/runner-serial.cjs',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
