import { In, type EntityManager } from 'typeorm';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { registrarSaida } from '../keycloak-sync/saida.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import { calcularNivel, type EvidenciaParaNivel, type PessoaParaNivel } from './calcular-nivel.js';
import type { NivelConfianca } from './nivel.js';

export interface ResultadoRecalculo {
  contaId: string;
  nivelAnterior: NivelConfianca;
  nivel: NivelConfianca;
  /** `conta.nivel_versao` after the recompute. */
  versao: number;
  mudou: boolean;
  /** True when Keycloak must be told (the level or, with new evidence, its summary changed; the account is active). */
  sincronizar: boolean;
  /** Then, the outbox row written in this same transaction (`sincronizacao_saida.id`); else null. */
  saidaId: string | null;
}

/**
 * Recomputes the account's level inside the caller's transaction. Locks the account row so concurrent
 * recomputes serialise and `nivel_versao` increments exactly once per change.
 *
 * `evidenciaNova`: the caller has just recorded evidence. The summary Keycloak holds next to the level (`lastro`)
 * may then change while the level does not; an outbox row (reason `lastro`, the current version) has the worker
 * write it, so relying parties' `verified_claims` never wait for the next reconciliation.
 */
export async function recalcular(contaId: string, manager: EntityManager, opcoes: { evidenciaNova?: boolean } = {}): Promise<ResultadoRecalculo> {
  const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
  if (!conta) throw new Error(`conta ${contaId} não existe`);

  const evidencias = await manager.find(Evidencia, { where: { contaId } });
  const cpfs = [...new Set(evidencias.map((e) => e.pessoaCpf).filter((c): c is string => c !== null))];
  const pessoas = cpfs.length > 0 ? await manager.find(Pessoa, { where: { cpf: In(cpfs) } }) : [];
  const porCpf = new Map<string, PessoaParaNivel>(pessoas.map((p) => [p.cpf, p]));

  const nivelAnterior = Number(conta.nivelConfianca) as NivelConfianca;
  const nivel = calcularNivel({ conta, evidencias: evidencias.map(paraNivel), pessoas: porCpf });
  if (nivel === nivelAnterior) {
    const saidaId = opcoes.evidenciaNova && conta.situacao === 'ativa' ? await registrarSaida(manager, contaId, conta.nivelVersao, 'lastro') : null;
    return { contaId, nivelAnterior, nivel, versao: conta.nivelVersao, mudou: false, sincronizar: saidaId !== null, saidaId };
  }
  const versao = conta.nivelVersao + 1;
  await manager.update(Conta, { keycloakUserId: contaId }, { nivelConfianca: nivel, nivelVersao: versao });
  // The outbox row goes in with the change: committed together or not at all (the relay hands it to the worker).
  const saidaId = conta.situacao === 'ativa' ? await registrarSaida(manager, contaId, versao, 'nivel') : null;
  return { contaId, nivelAnterior, nivel, versao, mudou: true, sincronizar: saidaId !== null, saidaId };
}

/** The evidence as the level rules read it: Gov.br evidence brings the ids of its seals (`detalhe.selos[].id`). */
function paraNivel(e: Evidencia): EvidenciaParaNivel {
  const bruto: unknown = e.detalhe['selos'];
  const selos: unknown[] = Array.isArray(bruto) ? (bruto as unknown[]) : [];
  return {
    tipo: e.tipo,
    pessoaCpf: e.pessoaCpf,
    selos: selos.flatMap((s) => {
      const id: unknown = s !== null && typeof s === 'object' ? (s as Record<string, unknown>)['id'] : undefined;
      return typeof id === 'string' ? [id] : [];
    }),
  };
}
