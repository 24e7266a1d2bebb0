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
    // jest hands globals set here to globalTeardown, which then needs no module resolution of its own.
    if (!reuse && process.env.LUM_TEST_REUSE_KEYCLOAK !== '1') (globalThis as GlobaisDeTeste).__lumStopKeycloak = stopKeycloak;
  });
}
