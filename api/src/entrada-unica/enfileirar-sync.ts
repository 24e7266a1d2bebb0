/**
 * Step 6 — enfileirar-sync, after the commit: every recomputed level that changed already has its outbox row (written
 * by step 5 in the transaction); it is handed to the sync queue now, and if Redis is down the worker's relay hands it
 * over later.
 */
import type { ResultadoRecalculo } from '../confianca/confianca.service.js';
import { jobIdSaida } from '../keycloak-sync/constantes.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';

export async function enfileirarSync(
  fila: FilaSyncNivel | undefined,
  recalculos: readonly ResultadoRecalculo[],
  logger: { error(obj: object, msg: string): void },
): Promise<string[]> {
  if (!fila) return [];
  const jobs: string[] = [];
  for (const r of recalculos) {
    if (!r.saidaId) continue;
    const id = await tentarEnfileirarSyncNivel(fila, { saidaId: r.saidaId, keycloakUserId: r.contaId, nivelVersao: r.versao }, logger);
    // the job id is the outbox row's: listed even when Redis could not take it now (the relay hands it over)
    jobs.push(id ?? jobIdSaida(r.saidaId));
  }
  return jobs;
}
