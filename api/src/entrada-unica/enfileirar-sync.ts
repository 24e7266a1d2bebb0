/**
 * Step 6 — enfileirar-sync, after the commit: every recomputed level that changed is pushed to Keycloak through the
 * existing sync queue. Redis being down does not undo the write (the account stays marked for reconciliation).
 */
import type { ResultadoRecalculo } from '../confianca/confianca.service.js';
import { tentarEnfileirarSyncNivel, type FilaSyncNivel } from '../keycloak-sync/fila.js';

export async function enfileirarSync(
  fila: FilaSyncNivel | undefined,
  recalculos: readonly ResultadoRecalculo[],
  logger: { error(obj: object, msg: string): void },
): Promise<string[]> {
  if (!fila) return [];
  const jobs: string[] = [];
  for (const r of recalculos) {
    if (!r.sincronizar) continue;
    const id = await tentarEnfileirarSyncNivel(fila, { keycloakUserId: r.contaId, nivelVersao: r.versao }, logger);
    if (id) jobs.push(id);
  }
  return jobs;
}
