import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import type { Principal } from '../auth/principal.js';
import { filtrarPorVisao, visaoDoCidadao } from '../compartilhamento/filtrar.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { Proibido } from '../errors/proibido.error.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { pessoaParaJson } from '../pessoas/pessoa.dto.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';

const FINALIDADE_AUTOATENDIMENTO = 'autoatendimento-cidadao';

export interface MeusDados {
  conta: {
    nivelConfianca: number;
    /** Whether the account is tied to a master record (by evidence — a typed CPF alone never ties it). */
    vinculada: boolean;
    evidencias: { tipo: string; registradoEm: string }[];
  };
  /** The citizen's own master record, filtered to the citizen's view; null while the account is not tied to one. */
  pessoa: Record<string, unknown> | null;
}

/**
 * The citizen's own account, found by the token's `sub` only (no CPF from the request, ever). Its master record is
 * the one the account is TIED to by evidence (`conta.pessoa_cpf`), never the CPF typed at registration: otherwise
 * anyone could register with someone else's CPF and read their record.
 */
export async function contaDoCidadao(manager: EntityManager, principal: Principal, lock = false): Promise<Conta> {
  const conta = await manager.findOne(Conta, { where: { keycloakUserId: principal.sub }, ...(lock ? { lock: { mode: 'pessimistic_read' as const } } : {}) });
  if (!conta) throw new NaoEncontrado('Sua conta ainda não foi registrada no cadastro: entre novamente em alguns instantes');
  if (conta.situacao !== 'ativa') throw new Proibido('Sua conta foi excluída no Login Único');
  return conta;
}

export function contextoCidadao(principal: Principal) {
  return { ator: principal.username ?? principal.sub, cliente: principal.clientId, finalidade: FINALIDADE_AUTOATENDIMENTO };
}

/** GET /me — one audit row names the fields returned. */
export async function lerMeusDados(dataSource: DataSource, principal: Principal): Promise<MeusDados> {
  return dataSource.transaction(async (manager) => {
    const conta = await contaDoCidadao(manager, principal);
    const evidencias = await manager.find(Evidencia, { where: { contaId: conta.keycloakUserId }, order: { registradoEm: 'ASC', id: 'ASC' } });
    const registro = conta.pessoaCpf ? await manager.findOne(Pessoa, { where: { cpf: conta.pessoaCpf } }) : null;
    const visao = visaoDoCidadao();
    const filtrada = registro ? filtrarPorVisao(pessoaParaJson(registro), visao) : null;
    await registrarAuditoria(manager, {
      ...contextoCidadao(principal),
      acao: 'pessoa.lida',
      pessoaCpf: conta.pessoaCpf,
      campos: ['conta.nivel_confianca', 'conta.evidencias', ...(filtrada?.campos ?? [])],
      detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, encontrada: filtrada !== null },
      visao: filtrada ? { campos: filtrada.campos, versaoRegras: visao.versaoRegras } : null,
    });
    return {
      conta: {
        nivelConfianca: Number(conta.nivelConfianca),
        vinculada: conta.pessoaCpf !== null,
        evidencias: evidencias.map((e) => ({ tipo: e.tipo, registradoEm: e.registradoEm.toISOString() })),
      },
      pessoa: filtrada?.pessoa ?? null,
    };
  });
}

/** The CPF of the citizen's tied record, for a write through Entrada Única (404 while not tied). */
async function cpfVinculadoDoCidadao(dataSource: DataSource, principal: Principal): Promise<string> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  if (!conta.pessoaCpf) {
    throw new NaoEncontrado(
      'Sua conta ainda não está vinculada a um registro do cadastro base: eleve o nível de confiança (gov.br ou atendimento presencial) para ver e corrigir seus dados',
    );
  }
  return conta.pessoaCpf;
}

/** Answer of a citizen's write: the record (citizen view) and what the PMCC decided per field. */
export interface EscritaCidadao {
  dryRun: boolean;
  versao: number;
  pessoa: Record<string, unknown>;
  mudancas: { campo: string; operacao: string; decisao: Awaited<ReturnType<typeof entradaUnica>>['mudancas'][number]['decisao'] }[];
  revisoesAbertas: string[];
}

/**
 * PATCH /me/pessoa (and the portal's Meus Dados form): the citizen's change to their own tied record, through Entrada
 * Única as actor `cidadao` in strict mode — PMCC decides field by field; any refusal refuses the whole change (422
 * `PoliticaNegada` with the reasons); a field the citizen may only request opens a review (`revisoesAbertas`).
 */
export async function alterarMeusDados(
  deps: { dataSource: DataSource; fila: FilaSyncNivel; logger: Logger },
  principal: Principal,
  corpo: unknown,
  opcoes: { versaoEsperada: number | null; dryRun: boolean },
): Promise<EscritaCidadao> {
  const cpf = await cpfVinculadoDoCidadao(deps.dataSource, principal);
  const visao = visaoDoCidadao();
  const r = await entradaUnica(deps, {
    entidade: 'pessoa',
    tipo: 'alterar',
    chave: cpf,
    corpo,
    ator: { tipo: 'cidadao', cpf },
    versaoEsperada: opcoes.versaoEsperada,
    dryRun: opcoes.dryRun,
    modo: 'estrito',
    contexto: { ...contextoCidadao(principal), visao },
  });
  return {
    dryRun: r.dryRun,
    versao: r.versao,
    pessoa: filtrarPorVisao(r.registro, visao).pessoa,
    mudancas: r.mudancas.map((m) => ({ campo: m.campo, operacao: m.operacao, decisao: m.decisao })),
    revisoesAbertas: r.revisoesAbertas,
  };
}
