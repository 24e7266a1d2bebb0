import type { EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { Conta } from '../contas/conta.entity.js';
import { ehViolacaoDeUnicidade } from '../db/data-source.js';
import { entradaUnica, type DepsEntradaUnica } from '../entrada-unica/pipeline.js';
import type { ResultadoEscrita } from '../entrada-unica/tipos.js';
import type { DetalheDeErro } from '../errors/api-error.js';
import { Conflito } from '../errors/conflito.error.js';
import { Indisponivel } from '../errors/indisponivel.error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { registrarSaida } from '../keycloak-sync/saida.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import { cpfValidoOuNulo } from '../validation/cpf.js';
import { EventoKeycloak } from './evento-keycloak.entity.js';
import { ehEntradaCertificado, ehEntradaGovbr, ehTipoTratado, type CertificadoIcpEventoDto, type EventoKeycloakDto, type UsuarioEventoDto } from './evento.dto.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import type { DadosGovbr, VerificadorGovbr } from '../govbr/id-token.js';
import { ehEventoDePerfil, propostaDoEvento, type EmailPessoa } from './perfil-pessoa.js';
import { relogio } from '../relogio.js';

const ATOR_KEYCLOAK = 'keycloak';
const FINALIDADE = 'evento-keycloak';

export interface ResultadoEvento {
  id: string;
  tipo: string;
  resultado: 'processado' | 'ignorado';
  /** Set when Keycloak must receive the account's level (enqueue after commit). */
  sincronizar: { saidaId: string; keycloakUserId: string; nivelVersao: number } | null;
}

/** `ResultadoEvento` plus, internally (logged, not answered to Keycloak), what happened to the master record. */
export interface ResultadoProcessamento extends ResultadoEvento {
  /**
   * Profile events of an account linked to a person: the Entrada Única outcome. `null` when the event proposed
   * nothing for the record (unlinked account, nothing person-related changed, other event types).
   */
  pessoa: ResumoPessoa | null;
}

interface ResumoPessoa {
  /** The record's version after the event (unchanged when every field was refused). */
  versao: number | null;
  decisoes: Array<{ campo: string; operacao: string; resultado: string; codigo: string; aplicado: boolean }>;
  revisoesAbertas: string[];
  sincronizacoes: string[];
  /** Fields refused before the PMCC (invalid values) or the whole proposal (record missing), with the reason. */
  recusas: DetalheDeErro[];
}

/** The same event id was already applied: a replay (409, nothing written). */
class EventoRepetido extends Conflito {
  constructor() {
    super('Evento já recebido (id repetido)');
  }
}

/** The account's link changed between reading it and locking it: start again. */
class VinculoMudou extends Error {}

const TENTATIVAS_PERFIL = 3;

function primeiroValor(valor: unknown): unknown {
  return Array.isArray(valor) ? valor[0] : valor;
}

/** The CPF the user typed: `attributes.cpf`, else the username, when it is a valid CPF. Never evidence. */
function cpfDeclaradoDe(usuario: UsuarioEventoDto | null | undefined, usernameDetalhe?: unknown): string | null {
  return cpfValidoOuNulo(primeiroValor(usuario?.attributes?.['cpf'])) ?? cpfValidoOuNulo(usuario?.username ?? usernameDetalhe);
}

function usernameDe(evento: EventoKeycloakDto): string | null {
  const doDetalhe = evento.details?.['username'];
  return evento.user?.username ?? (typeof doDetalhe === 'string' ? doDetalhe : null);
}

/**
 * Applies one Keycloak event in ONE transaction: the event id is inserted (a repeated id is a replay → 409 and
 * nothing else happens), then the effects and their audit rows. Any failure leaves nothing behind.
 *
 * Profile events (UPDATE_PROFILE, UPDATE_EMAIL, VERIFY_EMAIL) of an account linked to a person also write the
 * master record through Entrada Única (`aplicarEventoDePerfil`); then that pipeline's transaction is the one
 * transaction (event id + account + person + audits). Whatever the PMCC decides is recorded and the event is
 * acknowledged (202); only a replay (409) or an infrastructure failure (5xx, retried by the listener) is not.
 */
export async function processarEventoKeycloak(
  deps: DepsEntradaUnica & { verificarGovbr?: VerificadorGovbr },
  evento: EventoKeycloakDto,
  payloadBruto: Record<string, unknown>,
): Promise<ResultadoProcessamento> {
  const { dataSource } = deps;
  // A sign-in through Gov.br carrying Gov.br's id_token: verified before the transaction (it may fetch Gov.br's keys).
  const idTokenGovbr = ehEntradaGovbr(evento) && evento.userId ? evento.govbr?.idToken : undefined;
  let govbr: DadosGovbr | null = null;
  if (idTokenGovbr !== undefined) {
    if (!deps.verificarGovbr) throw new Indisponivel('Verificação do gov.br não configurada nesta API');
    govbr = await deps.verificarGovbr(idTokenGovbr);
  }
  let recusaPessoa: { cpf: string; recusas: DetalheDeErro[] } | null = null;
  if (ehEventoDePerfil(evento.type) && evento.userId) {
    const r = await aplicarEventoDePerfil(deps, evento, evento.userId, payloadBruto);
    if (r.tipo === 'aplicado') return r.resultado;
    if (r.tipo === 'recusado') recusaPessoa = { cpf: r.cpf, recusas: r.recusas };
  }
  return dataSource.transaction(async (manager): Promise<ResultadoProcessamento> => {
    await registrarEvento(manager, evento, payloadBruto);
    const base = { id: evento.id, tipo: evento.type, pessoa: null };
    const contexto = { ator: ATOR_KEYCLOAK, cliente: evento.clientId ?? null, finalidade: FINALIDADE };
    if (govbr !== null && evento.userId) {
      // The account may not exist yet (IDENTITY_PROVIDER_FIRST_LOGIN may arrive after this LOGIN): upsert, then evidence.
      const c = await gravarConta(manager, evento, evento.userId, contexto, evento.type === 'LOGIN' ? 'conta.login-govbr' : 'conta.primeiro-login-idp');
      const r = await gravarEvidenciaGovbr(manager, evento, evento.userId, govbr, contexto);
      // The outbox row of the level change (or, unchanged, of a just-created account) went in with this transaction.
      const sincronizar = r.saidaId ? { saidaId: r.saidaId, keycloakUserId: r.contaId, nivelVersao: r.versao } : c.saidaId ? { saidaId: c.saidaId, keycloakUserId: c.contaId, nivelVersao: c.versao } : null;
      return { ...base, resultado: 'processado', sincronizar };
    }
    if (ehEntradaCertificado(evento) && evento.userId) {
      const c = await gravarConta(manager, evento, evento.userId, contexto, 'conta.login-certificado-icp');
      const r = await gravarEvidenciaCertificado(manager, evento, evento.userId, evento.certificadoIcp, contexto);
      const sincronizar = r.saidaId ? { saidaId: r.saidaId, keycloakUserId: r.contaId, nivelVersao: r.versao } : c.saidaId ? { saidaId: c.saidaId, keycloakUserId: c.contaId, nivelVersao: c.versao } : null;
      return { ...base, resultado: 'processado', sincronizar };
    }
    if (!ehTipoTratado(evento.type) || !evento.userId) return { ...base, resultado: 'ignorado', sincronizar: null };

    switch (evento.type) {
      case 'REGISTER':
      case 'IDENTITY_PROVIDER_FIRST_LOGIN': {
        const r = await gravarConta(manager, evento, evento.userId, contexto, evento.type === 'REGISTER' ? 'conta.registrada' : 'conta.primeiro-login-idp');
        // Always tell Keycloak the level of a new account (it is 1), whatever the user may have typed.
        return { ...base, resultado: 'processado', sincronizar: r.saidaId ? { saidaId: r.saidaId, keycloakUserId: r.contaId, nivelVersao: r.versao } : null };
      }
      case 'UPDATE_PROFILE':
      case 'UPDATE_EMAIL':
      case 'VERIFY_EMAIL': {
        const r = await gravarConta(manager, evento, evento.userId, contexto, ACAO_PERFIL[evento.type]);
        let pessoa: ResumoPessoa | null = null;
        if (recusaPessoa) {
          // The record could not take the proposal at all (e.g. it no longer exists): acknowledged, and audited.
          await registrarAuditoria(manager, {
            ...contexto, acao: 'pessoa.evento-keycloak-recusado', pessoaCpf: recusaPessoa.cpf, campos: [],
            detalhe: { contaId: evento.userId, eventoId: evento.id, recusas: recusaPessoa.recusas },
          });
          pessoa = { versao: null, decisoes: [], revisoesAbertas: [], sincronizacoes: [], recusas: recusaPessoa.recusas };
        }
        return { ...base, resultado: 'processado', sincronizar: r.saidaId ? { saidaId: r.saidaId, keycloakUserId: r.contaId, nivelVersao: r.versao } : null, pessoa };
      }
      case 'DELETE_ACCOUNT':
        await excluirConta(manager, evento.userId, evento.id, contexto);
        return { ...base, resultado: 'processado', sincronizar: null };
    }
  });
}

const ACAO_PERFIL = { UPDATE_PROFILE: 'conta.perfil-atualizado', UPDATE_EMAIL: 'conta.email-atualizado', VERIFY_EMAIL: 'conta.email-verificado' } as const;

interface Contexto {
  ator: string;
  cliente: string | null;
  finalidade: string;
}

/** The event id row: inserted first in every transaction that applies an event; a repeated id is a replay. */
async function registrarEvento(manager: EntityManager, evento: EventoKeycloakDto, payloadBruto: Record<string, unknown>): Promise<void> {
  try {
    await manager.insert(EventoKeycloak, manager.create(EventoKeycloak, { id: evento.id, tipo: evento.type, userId: evento.userId ?? null, payload: payloadBruto }));
  } catch (err) {
    if (ehViolacaoDeUnicidade(err)) throw new EventoRepetido();
    throw err;
  }
}

type ResultadoPerfil =
  | { tipo: 'aplicado'; resultado: ResultadoProcessamento }
  | { tipo: 'sem-pessoa' }
  | { tipo: 'recusado'; cpf: string; recusas: DetalheDeErro[] };

/**
 * A profile event of an account linked to a person: the changed fields go through Entrada Única as actor
 * `evento-keycloak` (tolerant mode: the PMCC's refusals are recorded, never an error), and the event id row and
 * the account update run inside the same transaction (`dentroDaTransacao`): a replay rolls the whole write back.
 * Values that fail validation are dropped from the proposal (and listed as refused); a stale read is retried.
 */
async function aplicarEventoDePerfil(deps: DepsEntradaUnica, evento: EventoKeycloakDto, contaId: string, payloadBruto: Record<string, unknown>): Promise<ResultadoPerfil> {
  const { dataSource } = deps;
  if (await dataSource.manager.existsBy(EventoKeycloak, { id: evento.id })) throw new EventoRepetido();
  const contexto = { ator: ATOR_KEYCLOAK, cliente: evento.clientId ?? null, finalidade: FINALIDADE };
  const invalidos: DetalheDeErro[] = [];
  for (let tentativa = 1; ; tentativa++) {
    const conta = await dataSource.manager.findOneBy(Conta, { keycloakUserId: contaId });
    const cpf = conta?.situacao !== 'excluida' ? conta?.pessoaCpf : null;
    if (!cpf) return { tipo: 'sem-pessoa' };
    const pessoa = await dataSource.manager.findOneBy(Pessoa, { cpf });
    if (!pessoa) return { tipo: 'recusado', cpf, recusas: [{ path: 'cpf', message: 'Pessoa vinculada à conta não encontrada no cadastro base' }] };

    const proposta = propostaDoEvento(evento, { emails: (pessoa.emails ?? []) as unknown as EmailPessoa[] });
    for (const d of invalidos) delete proposta.corpo[d.path.split(/[.[]/)[0]];
    if (Object.keys(proposta.corpo).length === 0) return invalidos.length > 0 ? { tipo: 'recusado', cpf, recusas: invalidos } : { tipo: 'sem-pessoa' };

    let recalculo: ResultadoRecalculo | null = null;
    try {
      const escrita = await entradaUnica(deps, {
        entidade: 'pessoa',
        tipo: 'alterar',
        chave: cpf,
        corpo: proposta.corpo,
        ator: { tipo: 'evento-keycloak', fonte: 'keycloak' },
        chaveFonte: evento.id,
        observadoEm: (evento.time != null ? new Date(evento.time) : relogio().agora()).toISOString(),
        versaoEsperada: pessoa.versao,
        modo: 'tolerante',
        contexto,
        proveniencia: { ator: contaId, evidencia: proposta.evidencia },
        dentroDaTransacao: async (manager) => {
          const travada = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
          if (travada?.pessoaCpf !== cpf || travada.situacao === 'excluida') throw new VinculoMudou();
          await registrarEvento(manager, evento, payloadBruto);
          let r = await gravarConta(manager, evento, contaId, contexto, ACAO_PERFIL[evento.type as keyof typeof ACAO_PERFIL]);
          // The record, not Keycloak, is the source of a tied account's name and e-mail (issue 14, item 2): whatever
          // the PMCC decides, the worker writes the record's values back to the user, so a name the PMCC refused or
          // holds for a steward does not stay in Keycloak and its tokens.
          if (!r.saidaId && ('nome' in proposta.corpo || 'emails' in proposta.corpo)) {
            r = { ...r, sincronizar: true, saidaId: await registrarSaida(manager, contaId, r.versao, 'perfil') };
          }
          recalculo = r;
          if (invalidos.length > 0) {
            await registrarAuditoria(manager, {
              ...contexto, acao: 'pessoa.evento-keycloak-recusado', pessoaCpf: cpf, campos: [],
              detalhe: { contaId, eventoId: evento.id, recusas: invalidos },
            });
          }
        },
      });
      const r = recalculo as ResultadoRecalculo | null;
      return {
        tipo: 'aplicado',
        resultado: {
          id: evento.id,
          tipo: evento.type,
          resultado: 'processado',
          sincronizar: r?.saidaId ? { saidaId: r.saidaId, keycloakUserId: r.contaId, nivelVersao: r.versao } : null,
          pessoa: resumo(escrita, invalidos),
        },
      };
    } catch (err) {
      if (err instanceof EventoRepetido) throw err;
      const podeTentarDeNovo = tentativa < TENTATIVAS_PERFIL;
      // A concurrent write moved the record (stale versaoEsperada) or the link changed: read again.
      if (err instanceof VinculoMudou || err instanceof Conflito) {
        if (podeTentarDeNovo) continue;
        // Not 409: the listener would take it as "already received" and drop the event. 503 makes it retry later.
        throw new Indisponivel('O registro da pessoa mudou durante a aplicação do evento; reenvie mais tarde');
      }
      if (err instanceof DadosInvalidos && err.details.length > 0 && podeTentarDeNovo) {
        invalidos.push(...err.details);
        continue;
      }
      if (err instanceof NaoEncontrado) return { tipo: 'recusado', cpf, recusas: [{ path: 'cpf', message: err.message }] };
      if (err instanceof DadosInvalidos) return { tipo: 'recusado', cpf, recusas: [...invalidos, ...err.details] };
      throw err;
    }
  }
}

function resumo(escrita: ResultadoEscrita, recusas: DetalheDeErro[]): ResumoPessoa {
  return {
    versao: escrita.versao,
    decisoes: escrita.mudancas.map((m) => ({ campo: m.campo, operacao: m.operacao, resultado: m.decisao.resultado, codigo: m.decisao.codigo, aplicado: m.decisao.aplicar })),
    revisoesAbertas: escrita.revisoesAbertas,
    sincronizacoes: escrita.sincronizacoes,
    recusas,
  };
}

/** Upsert of the account from the event's user; never touches evidence or the linked master record. */
async function gravarConta(manager: EntityManager, evento: EventoKeycloakDto, contaId: string, ctx: Contexto, acao: string): Promise<ResultadoRecalculo> {
  const existente = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
  const temUsuario = evento.user !== undefined && evento.user !== null;
  const username = usernameDe(evento);
  const cpfDeclarado = cpfDeclaradoDe(evento.user, evento.details?.['username']);

  const campos: string[] = [];
  if (!existente) {
    await manager.insert(Conta, { keycloakUserId: contaId, username, cpfDeclarado });
    campos.push('username', 'cpf_declarado');
  } else if (temUsuario || username !== null) {
    const mudancas: Partial<Conta> = {};
    if (username !== null && username !== existente.username) {
      mudancas.username = username;
      campos.push('username');
    }
    if (temUsuario && cpfDeclarado !== existente.cpfDeclarado) {
      mudancas.cpfDeclarado = cpfDeclarado;
      campos.push('cpf_declarado');
    }
    if (campos.length > 0) await manager.update(Conta, { keycloakUserId: contaId }, mudancas);
  }
  let recalculo = await recalcular(contaId, manager);
  if (recalculo.mudou) campos.push('nivel_confianca');
  // A new account: Keycloak is always told its level (1), whatever the user may have typed — through the outbox.
  if (!existente && !recalculo.saidaId) recalculo = { ...recalculo, sincronizar: true, saidaId: await registrarSaida(manager, contaId, recalculo.versao, 'conta-registrada') };
  await registrarAuditoria(manager, {
    ...ctx,
    acao,
    pessoaCpf: existente?.pessoaCpf ?? null,
    campos,
    detalhe: { contaId, eventoId: evento.id, criada: !existente, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel },
  });
  return recalculo;
}

/**
 * Records what Gov.br asserted at this sign-in as evidence `govbr` of the account (append-only: every sign-in is one
 * reading, with its seals and dates), ties the account to the master record when Gov.br's CPF is the account's and
 * a valid record with it exists, recomputes the level and audits. The level rules decide what the evidence is worth
 * (api/src/confianca/calcular-nivel.ts).
 */
async function gravarEvidenciaGovbr(manager: EntityManager, evento: EventoKeycloakDto, contaId: string, govbr: DadosGovbr, ctx: Contexto): Promise<ResultadoRecalculo> {
  const conta = await manager.findOneOrFail(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
  const evidencia = manager.create(Evidencia, {
    contaId,
    tipo: 'govbr',
    pessoaCpf: govbr.cpf,
    detalhe: {
      nivelGovbr: govbr.nivel,
      selos: govbr.selos.map((s) => ({ ...s })),
      amr: [...govbr.amr],
      emitidoEm: govbr.emitidoEm,
      lidoEm: relogio().agora().toISOString(),
      fonte: govbr.comConfiabilidades ? 'id_token.reliability_info' : 'id_token (sem reliability_info)',
      eventoId: evento.id,
    },
    registradoPor: ATOR_KEYCLOAK,
  });
  await manager.save(evidencia);
  const campos = ['evidencias'];
  const confere = conta.cpfDeclarado === govbr.cpf;
  if (confere && conta.pessoaCpf === null && conta.situacao === 'ativa') {
    const pessoa = await manager.findOne(Pessoa, { where: { cpf: govbr.cpf } });
    if (pessoa && pessoa.situacao === 'ativa' && !pessoa.obito) {
      await manager.update(Conta, { keycloakUserId: contaId }, { pessoaCpf: govbr.cpf });
      campos.push('pessoa_cpf');
    }
  }
  const recalculo = await recalcular(contaId, manager, { evidenciaNova: true });
  if (recalculo.mudou) campos.push('nivel_confianca');
  await registrarAuditoria(manager, {
    ...ctx,
    acao: 'conta.evidencia-govbr',
    pessoaCpf: govbr.cpf,
    campos,
    detalhe: {
      contaId, eventoId: evento.id, evidenciaId: evidencia.id, nivelGovbr: govbr.nivel, selos: govbr.selos.map((s) => s.id),
      cpfConfere: confere, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel,
    },
  });
  return recalculo;
}

/**
 * Records a sign-in with an ICP-Brasil certificate as evidence `certificado-icp` of the account (append-only: each
 * certificate sign-in is one reading, with the certificate's issuer, serial and validity), ties the account to the
 * master record when the certificate's CPF is the account's and a valid record with it exists (as the gov.br
 * evidence does), recomputes the level and audits. Level 5 is the rules' decision (api/src/confianca/calcular-nivel.ts):
 * the certificate's CPF must be the account's and the master record valid.
 */
async function gravarEvidenciaCertificado(manager: EntityManager, evento: EventoKeycloakDto, contaId: string, cert: CertificadoIcpEventoDto, ctx: Contexto): Promise<ResultadoRecalculo> {
  const conta = await manager.findOneOrFail(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
  const cpf = cpfValidoOuNulo(cert.cpf);
  if (cpf === null) throw new DadosInvalidos([{ path: 'certificadoIcp.cpf', message: 'certificadoIcp.cpf não é um CPF válido' }]);
  const evidencia = manager.create(Evidencia, {
    contaId,
    tipo: 'certificado-icp',
    pessoaCpf: cpf,
    detalhe: {
      emissor: cert.emissor,
      ...(cert.titular !== undefined ? { titular: cert.titular } : {}),
      serial: cert.serial,
      validoDe: cert.validoDe,
      validoAte: cert.validoAte,
      ...(cert.sha256 !== undefined ? { sha256: cert.sha256 } : {}),
      verificadoEm: cert.verificadoEm ?? (evento.time != null ? new Date(evento.time).toISOString() : relogio().agora().toISOString()),
      eventoId: evento.id,
    },
    registradoPor: ATOR_KEYCLOAK,
  });
  await manager.save(evidencia);
  const campos = ['evidencias'];
  const confere = conta.cpfDeclarado === cpf;
  if (confere && conta.pessoaCpf === null && conta.situacao === 'ativa') {
    const pessoa = await manager.findOne(Pessoa, { where: { cpf } });
    if (pessoa && pessoa.situacao === 'ativa' && !pessoa.obito) {
      await manager.update(Conta, { keycloakUserId: contaId }, { pessoaCpf: cpf });
      campos.push('pessoa_cpf');
    }
  }
  const recalculo = await recalcular(contaId, manager, { evidenciaNova: true });
  if (recalculo.mudou) campos.push('nivel_confianca');
  await registrarAuditoria(manager, {
    ...ctx,
    acao: 'conta.evidencia-certificado-icp',
    pessoaCpf: cpf,
    campos,
    detalhe: {
      contaId, eventoId: evento.id, evidenciaId: evidencia.id, emissor: cert.emissor, serial: cert.serial,
      cpfConfere: confere, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel,
    },
  });
  return recalculo;
}

export async function excluirConta(manager: EntityManager, contaId: string, eventoId: string, ctx: Contexto): Promise<void> {
  const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
  if (!conta) {
    await registrarAuditoria(manager, { ...ctx, acao: 'conta.exclusao-sem-conta', campos: [], detalhe: { contaId, eventoId } });
    return;
  }
  await manager.update(Conta, { keycloakUserId: contaId }, { situacao: 'excluida' });
  const recalculo = await recalcular(contaId, manager);
  await registrarAuditoria(manager, {
    ...ctx,
    acao: 'conta.excluida',
    pessoaCpf: conta.pessoaCpf,
    campos: recalculo.mudou ? ['situacao', 'nivel_confianca'] : ['situacao'],
    detalhe: { contaId, eventoId, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel },
  });
}
