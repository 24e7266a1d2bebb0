import pg from 'pg';
import type { DataSource } from 'typeorm';

/** Runs every pending migration, each in its own transaction. Returns the names applied. */
export async function executarMigracoes(dataSource: DataSource): Promise<string[]> {
  const aplicadas = await dataSource.runMigrations({ transaction: 'each' });
  return aplicadas.map((m) => m.name);
}

/** CREATE DATABASE <database of url> when missing, connecting to the `postgres` maintenance database. */
export async function garantirBancoExiste(url: string): Promise<boolean> {
  const nome = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(nome)) throw new Error(`nome de banco inesperado: ${nome}`);
  const manutencao = new URL(url);
  manutencao.pathname = '/postgres';
  const client = new pg.Client({ connectionString: manutencao.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [nome]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${nome}"`);
    return true;
  } finally {
    await client.end();
  }
}
