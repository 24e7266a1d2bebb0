/**
 * A query as a named prepared statement on the DataSource's own pg pool: PostgreSQL parses and plans the text once
 * per connection instead of on every call, and TypeORM's per-query machinery (query runner, broadcaster) is skipped.
 * For the hottest statements only (the audited person read, bench/pessoa-get.ts); everything else goes through
 * TypeORM. The text must name its columns (never `SELECT *`): a prepared statement's result shape is fixed.
 */
import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

export async function consultaPreparada<T extends QueryResultRow = Record<string, unknown>>(
  dataSource: DataSource, nome: string, sql: string, valores: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const { rows } = await pool.query<T>({ name: nome, text: sql, values: valores });
  return rows;
}
