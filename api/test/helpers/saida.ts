import type { DataSource } from 'typeorm';
import { jobIdSaida } from '../../src/keycloak-sync/constantes.js';

/**
 * The sync job id of the account's outbox row for `versao` (the newest one, when several), or a job id no job has
 * when there is no such row.
 */
export async function jobIdDaSaida(dataSource: DataSource, contaId: string, versao: number): Promise<string> {
  const [l] = await dataSource.query<Array<{
    id: string;
  }>>(`SELECT id::text AS id FROM sincronizacao_saida WHERE conta_id = $1 AND versao = $2 ORDER BY id DESC LIMIT 1`, [contaId, versao]);
  return l ? jobIdSaida(l.id) : 'saida-inexistente';
}
