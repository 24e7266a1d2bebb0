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

/** jest globalSetup (integration project): migrate the template database once per run. */
export default async function globalSetup(): Promise<void> {
  await comImportsTs(async () => {
    const { prepareTemplateDatabase } = await import('./support/db.js');
    await prepareTemplateDatabase();
  });
}
