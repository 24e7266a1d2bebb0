/**
 * In-process app for integration tests: a cloned database, fresh queue names (Keycloak sync, batch loads), local
 * token keys, silent logs. `fechar()` obliterates the queues and closes every handle.
 */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { createApp, type AppDeps } from '../../src/app.js';
import { criarFilaCarga, type FilaCarga } from '../../src/carga/gestao/fila.js';
import { loadConfig, type Config } from '../../src/config.js';
import { criarProdutorSync, type ProdutorSync } from '../../src/keycloak-sync/fila.js';
import { SEGREDO_EVENTOS_TESTE } from './eventos.js';
import { criarEmissorTeste, type EmissorTeste } from './tokens.js';

export interface AppDeTeste {
  app: Express;
  config: Config;
  db: TestDatabase;
  sync: ProdutorSync;
  nomeFila: string;
  /** The batch-load queue the app enqueues into (a worker for it: `criarWorkerCarga(config, …, { nome: nomeFilaCarga })`). */
  filaCarga: FilaCarga;
  nomeFilaCarga: string;
  tokens: EmissorTeste;
  fechar(): Promise<void>;
}

export function configDeTeste(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    LUM_EVENTS_HMAC_SECRET: SEGREDO_EVENTOS_TESTE,
    SYNC_BACKOFF_MS: '10',
    SYNC_BACKOFF_MAX_MS: '50',
    ...env,
  });
}

function nomeFilaDeTeste(rotulo: string): string {
  return `teste-${rotulo}-${randomBytes(4).toString('hex')}`;
}

export async function criarAppDeTeste(rotulo: string, opcoes: { env?: Record<string, string>; deps?: Partial<AppDeps> } = {}): Promise<AppDeTeste> {
  const config = configDeTeste(opcoes.env);
  const db = await createTestDatabase();
  const nomeFila = nomeFilaDeTeste(rotulo);
  const sync = criarProdutorSync(config, { nome: nomeFila });
  await sync.fila.waitUntilReady();
  const nomeFilaCarga = nomeFilaDeTeste(`${rotulo}-carga`);
  const filaCarga = criarFilaCarga(config, sync.redis, { nome: nomeFilaCarga });
  const tokens = await criarEmissorTeste();
  const app = createApp({
    config,
    dataSource: db.dataSource,
    sync,
    cargas: { fila: filaCarga },
    verificarToken: tokens.verificador,
    logger: pino({ level: config.logLevel }),
    // Each app its own rate-limit counters (test files run in parallel from one IP).
    conhecimento: { prefixo: nomeFila },
    ...opcoes.deps,
  });
  return {
    app,
    config,
    db,
    sync,
    nomeFila,
    filaCarga,
    nomeFilaCarga,
    tokens,
    async fechar() {
      await filaCarga.obliterate({ force: true });
      await filaCarga.close();
      await sync.fila.obliterate({ force: true });
      await sync.fechar();
      await db.drop();
    },
  };
}

/** Row counts of every table, to show that a refused request changed nothing. */
export async function contagens(db: TestDatabase): Promise<Record<string, number>> {
  const [linha] = await db.dataSource.query(`
    SELECT (SELECT count(*) FROM pessoa)::int AS pessoa, (SELECT count(*) FROM conta)::int AS conta,
           (SELECT count(*) FROM evidencia)::int AS evidencia, (SELECT count(*) FROM evento_keycloak)::int AS evento_keycloak,
           (SELECT count(*) FROM auditoria)::int AS auditoria, (SELECT count(*) FROM sincronizacao_saida)::int AS sincronizacao_saida`);
  return linha as Record<string, number>;
}
