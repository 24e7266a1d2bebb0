/**
 * Entry: applies pending migrations, then exits (`npm run migration:run` after `npm run build`).
 * Creates the database first when it does not exist yet (local stack convenience).
 */
import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { criarLogger } from '../logger.js';
import { criarDataSource } from './data-source.js';
import { executarMigracoes, garantirBancoExiste } from './migracoes.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = criarLogger(config);
  if (await garantirBancoExiste(config.databaseUrl)) logger.info('banco de dados criado');
  const dataSource = criarDataSource({ url: config.databaseUrl, poolMax: 1, applicationName: 'lum-migrate' });
  await dataSource.initialize();
  try {
    const aplicadas = await executarMigracoes(dataSource);
    logger.info({ aplicadas }, aplicadas.length ? 'migrações aplicadas' : 'nenhuma migração pendente');
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
