/**
 * Step 5 — recalcular-nivel. When a change can move a confidence level (situação, óbito, cpf), every account tied to
 * the person (by link or by evidence) is recomputed through the confianca service, in the same transaction.
 */
import type { EntityManager } from 'typeorm';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { registrarSaida } from '../keycloak-sync/saida.js';
import type { Cadastro } from './cadastros.js';
import type { MudancaCampo } from './tipos.js';

/** API fields whose change can move a level. */
export const CAMPOS_QUE_MOVEM_NIVEL = ['situacao', 'obitoRegistro', 'cpf'] as const;

/** API fields Keycloak shows and puts in tokens for an account tied to the record (issue 14, item 2). */
export const CAMPOS_DO_PERFIL_KEYCLOAK = ['nome', 'nomeSocial', 'emails'] as const;

export async function recalcularNivel(manager: EntityManager, cad: Cadastro, chave: string, mudancas: readonly MudancaCampo[]): Promise<ResultadoRecalculo[]> {
  if (cad.entidade !== 'pessoa') return [];
  const niveis = await recalcularNiveis(manager, chave, mudancas);
  return [...niveis, ...(await registrarSaidasDePerfil(manager, chave, mudancas, niveis))];
}

/**
 * The record is the one source of a tied account's name and e-mail: when an applied change touches them, every active
 * account tied to the person (`conta.pessoa_cpf`) gets an outbox row `perfil` — unless a level row of this same
 * change already makes the worker write the account (it writes the whole state, the profile included).
 */
async function registrarSaidasDePerfil(manager: EntityManager, chave: string, mudancas: readonly MudancaCampo[], niveis: readonly ResultadoRecalculo[]): Promise<ResultadoRecalculo[]> {
  if (!mudancas.some((m) => m.decisao.aplicar && (CAMPOS_DO_PERFIL_KEYCLOAK as readonly string[]).includes(m.campo))) return [];
  const contas = await manager.query<Array<{ id: string; nivel: number; versao: number }>>(
    `SELECT keycloak_user_id::text AS id, nivel_confianca AS nivel, nivel_versao AS versao FROM conta WHERE pessoa_cpf = $1 AND situacao = 'ativa' ORDER BY 1`,
    [chave],
  );
  const resultados: ResultadoRecalculo[] = [];
  for (const c of contas) {
    if (niveis.some((r) => r.contaId === c.id && r.saidaId !== null)) continue;
    const saidaId = await registrarSaida(manager, c.id, Number(c.versao), 'perfil');
    const nivel = Number(c.nivel) as ResultadoRecalculo['nivel'];
    resultados.push({ contaId: c.id, nivelAnterior: nivel, nivel, versao: Number(c.versao), mudou: false, sincronizar: true, saidaId });
  }
  return resultados;
}

async function recalcularNiveis(manager: EntityManager, chave: string, mudancas: readonly MudancaCampo[]): Promise<ResultadoRecalculo[]> {
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
