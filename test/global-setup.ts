import Module from 'node:module';

/**
 * jest loads globalSetup with require() and its transform but WITHOUT moduleNameMapper, so the NodeNext `.js`
 * specifiers of our TypeScript sources are mapped to the `.ts` files while it runs.
 */
async function comImportsTs<T>(fn: () => Promise<T>): Promise<T> {
  const m = Module as unknown as { _resolveFilename: (pedido: string, ...resto: unknown[]) => string };
  const original = m._resolveFilename;
  m._resolveFilename = function (pedido, ...resto) {
    try {
      return original.call(this, pedido, ...resto);
    } catch (err) {
      if (/^\.{1,2}\/.*\.js$/.test(pedido)) return original.call(this, pedido.replace(/\.js$/, '.ts'), ...resto);
      throw err;
    }
  };
  try {
    return await fn();
  } finally {
    m._resolveFilename = original;
  }
}

export interface GlobaisDeTeste {
  __lumStopKeycloak?: () => Promise<void>;
}

/**
 * jest globalSetup (integration project), once per run: migrate the template database and start the Keycloak test
 * instance (fresh database, our providers, theme and realm) side by side. LUM_TEST_REUSE_KEYCLOAK=1 keeps an
 * instance that is already running (fast local iterations; CI never sets it).
 */
export default async function globalSetup(): Promise<void> {
  await comImportsTs(async () => {
    const { prepareTemplateDatabase } = await import('./support/db.js');
    const { keycloakRunning, startKeycloak, stopKeycloak } = await import('./support/keycloak.js');
    // LUM_TEST_NO_KEYCLOAK=1: runs of database-only files (audit, PMCC…) skip Keycloak; a file that needs it fails.
    if (process.env.LUM_TEST_NO_KEYCLOAK === '1') {
      await prepareTemplateDatabase();
      return;
    }
    const reuse = process.env.LUM_TEST_REUSE_KEYCLOAK === '1' && (await keycloakRunning());
    await Promise.all([prepareTemplateDatabase(), reuse ? Promise.resolve() : startKeycloak({ fresh: true })]);
    {
      // As `npm start` does: realm:apply after the import (it also gives Keycloak's built-in clients the default
      // scopes an import leaves out), on a reused instance too (idempotent). Quiet unless it fails.
      const { KC_TEST, keycloakEnv } = await import('./support/keycloak.js');
      const { executar } = await import('../scripts/realm/cli.js');
      const linhas: string[] = [];
      const saida = { log: (l: string) => linhas.push(l), erro: (l: string) => linhas.push(l) };
      const env = { ...keycloakEnv(), KEYCLOAK_URL: KC_TEST.url, LUM_REALM_DEV_DEFAULTS: '1' };
      if ((await executar('apply', { env, saida })) !== 0) throw new Error(`realm:apply on the test Keycloak failed:\n${linhas.join('\n')}`);
    }
    // jest hands globals set here to globalTeardown, which then needs no module resolution of its own.
    if (!reuse && process.env.LUM_TEST_REUSE_KEYCLOAK !== '1') (globalThis as GlobaisDeTeste).__lumStopKeycloak = stopKeycloak;
  });
}
