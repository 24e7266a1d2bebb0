import { DataSource } from 'typeorm';
import { MIGRACOES } from '../migrations/index.js';
import { ENTIDADES } from './entidades.js';

export interface OpcoesDataSource {
  /** postgres://… */
  url: string;
  /** Pool size (default 10). */
  poolMax?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** How long a query waits for a pooled connection before it fails (default 5000 ms). */
  esperaConexaoMs?: number;
}

/**
 * The one DataSource factory. Schema changes happen only through migrations: `synchronize` and
 * `migrationsRun` are off, and `db/migrate.ts` is the entry that applies them.
 */
export function criarDataSource({ url, poolMax = 10, applicationName = 'lum-api', esperaConexaoMs = 5000 }: OpcoesDataSource): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTIDADES,
    migrations: MIGRACOES,
    migrationsTableName: 'migracoes',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: { max: poolMax, connectionTimeoutMillis: esperaConexaoMs },
  });
}

/** Unique-violation test for pg errors wrapped by TypeORM (QueryFailedError keeps the driver error fields). */
export function ehViolacaoDeUnicidade(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}
