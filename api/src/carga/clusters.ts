/**
 * Cluster export (issue 11, item 8): one line `source,row_id,cluster_id` per row in `linha_carga` — the source's
 * name, the row's key there, and the golden id the row belongs to (`identidade.id`, following a steward's merge to the
 * surviving id), or `quarentena:<motivo>` for a quarantined row. CSV with that header, ordered by source and key (byte order, whatever the database locale).
 *
 * PostgreSQL writes the CSV itself (COPY … TO STDOUT) and the stream is piped into `destino` with back-pressure, so
 * memory does not grow with the number of rows.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

// Merged identities (`fundida`, few) resolved to the identity that survives the chain of merges.
const CONSULTA = `
  WITH RECURSIVE cadeia (id, destino) AS (
    SELECT id, fundida_em FROM identidade WHERE situacao = 'fundida'
    UNION ALL
    SELECT c.id, i.fundida_em FROM cadeia c JOIN identidade i ON i.id = c.destino WHERE i.situacao = 'fundida'
  ),
  final AS (
    SELECT c.id, c.destino FROM cadeia c JOIN identidade i ON i.id = c.destino WHERE i.situacao <> 'fundida'
  )
  SELECT l.fonte AS source, l.chave_fonte AS row_id,
         CASE WHEN l.identidade_id IS NULL THEN 'quarentena:' || coalesce(l.motivo, 'sem-motivo')
              ELSE coalesce(f.destino, l.identidade_id)::text END AS cluster_id
    FROM linha_carga l LEFT JOIN final f ON f.id = l.identidade_id
   ORDER BY l.fonte COLLATE "C", l.chave_fonte COLLATE "C"`;

/** Writes the export into `destino` (ended when done). Returns the number of rows written. */
export async function exportarClusters(ds: DataSource, destino: Writable): Promise<number> {
  const pool = (ds.driver as PostgresDriver).master as pg.Pool;
  const cliente = await pool.connect();
  let falhou = false;
  try {
    const copia = cliente.query(copyTo(`COPY (${CONSULTA}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    await pipeline(copia, destino);
    return copia.rowCount;
  } catch (e) {
    falhou = true; // a COPY cut short leaves the connection unusable: closed, not returned to the pool
    throw e;
  } finally {
    cliente.release(falhou);
  }
}
