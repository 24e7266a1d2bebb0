/**
 * Step 5 — recalcular-nivel. When a change can move a confidence level (situação, óbito, cpf), every account tied to
 * the person (by link or by evidence) is recomputed through the confianca service, in the same transaction.
 */
import type { EntityManager } from 'typeorm';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import type { Cadastro } from './cadastros.js';
import type { MudancaCampo } from './tipos.js';

/** API fields whose change can move a level. */
export const CAMPOS_QUE_MOVEM_NIVEL = ['situacao', 'obitoRegistro', 'cpf'] as const;

export async function recalcularNivel(manager: EntityManager, cad: Cadastro, chave: string, mudancas: readonly MudancaCampo[]): Promise<ResultadoRecalculo[]> {
  if (cad.entidade !== 'pessoa') return [];
  if (!mudancas.some((m) => m.decisao.aplicar && (CAMPOS_QUE_MOVEM_NIVEL as readonly string[]).includes(m.campo))) return [];
  const contas: Array<{ id: string }> = await manager.query(
    `SELECT keycloak_user_id::text AS id FROM conta WHERE pessoa_cpf = $1
     UNION SELECT conta_id::text FROM evidencia WHERE pessoa_cpf = $1 ORDER BY 1`,
    [chave],
  );
  const resultados: ResultadoRecalculo[] = [];
  for (const { id } of contas) resultados.push(await recalcular(id, manager));
  return resultados;
}
