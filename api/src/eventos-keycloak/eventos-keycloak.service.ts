import type { DataSource, EntityManager } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { Conta } from '../contas/conta.entity.js';
import { ehViolacaoDeUnicidade } from '../db/data-source.js';
import { Conflito } from '../errors/conflito.error.js';
import { cpfValidoOuNulo } from '../validation/cpf.js';
import { EventoKeycloak } from './evento-keycloak.entity.js';
import { ehTipoTratado, type EventoKeycloakDto, type UsuarioEventoDto } from './evento.dto.js';

export const ATOR_KEYCLOAK = 'keycloak';
const FINALIDADE = 'evento-keycloak';

export interface ResultadoEvento {
  id: string;
  tipo: string;
  resultado: 'processado' | 'ignorado';
  /** Set when Keycloak must receive the account's level (enqueue after commit). */
  sincronizar: { keycloakUserId: string; nivelVersao: number } | null;
}

function primeiroValor(valor: unknown): unknown {
  return Array.isArray(valor) ? valor[0] : valor;
}

/** The CPF the user typed: `attributes.cpf`, else the username, when it is a valid CPF. Never evidence. */
export function cpfDeclaradoDe(usuario: UsuarioEventoDto | null | undefined, usernameDetalhe?: unknown): string | null {
  return cpfValidoOuNulo(primeiroValor(usuario?.attributes?.['cpf'])) ?? cpfValidoOuNulo(usuario?.username ?? usernameDetalhe);
}

function usernameDe(evento: EventoKeycloakDto): string | null {
  const doDetalhe = evento.details?.['username'];
  return evento.user?.username ?? (typeof doDetalhe === 'string' ? doDetalhe : null);
}

/**
 * Applies one Keycloak event in ONE transaction: the event id is inserted first (a repeated id is a replay →
 * 409 and nothing else happens), then the effects and their audit rows. Any failure leaves nothing behind.
 */
export async function processarEventoKeycloak(dataSource: DataSource, evento: EventoKeycloakDto, payloadBruto: Record<string, unknown>): Promise<ResultadoEvento> {
  return dataSource.transaction(async (manager) => {
    try {
      await manager.insert(EventoKeycloak, manager.create(EventoKeycloak, { id: evento.id, tipo: evento.type, userId: evento.userId ?? null, payload: payloadBruto }));
    } catch (err) {
      if (ehViolacaoDeUnicidade(err)) throw new Conflito('Evento já recebido (id repetido)');
      throw err;
    }
    const base = { id: evento.id, tipo: evento.type };
    if (!ehTipoTratado(evento.type) || !evento.userId) return { ...base, resultado: 'ignorado', sincronizar: null };

    const contexto = { ator: ATOR_KEYCLOAK, cliente: evento.clientId ?? null, finalidade: FINALIDADE };
    switch (evento.type) {
      case 'REGISTER':
      case 'IDENTITY_PROVIDER_FIRST_LOGIN': {
        const r = await gravarConta(manager, evento, evento.userId, contexto, evento.type === 'REGISTER' ? 'conta.registrada' : 'conta.primeiro-login-idp');
        // Always tell Keycloak the level of a new account (it is 1), whatever the user may have typed.
        return { ...base, resultado: 'processado', sincronizar: { keycloakUserId: r.contaId, nivelVersao: r.versao } };
      }
      case 'UPDATE_PROFILE': {
        const r = await gravarConta(manager, evento, evento.userId, contexto, 'conta.perfil-atualizado');
        return { ...base, resultado: 'processado', sincronizar: r.sincronizar ? { keycloakUserId: r.contaId, nivelVersao: r.versao } : null };
      }
      case 'DELETE_ACCOUNT':
        await excluirConta(manager, evento.userId, evento.id, contexto);
        return { ...base, resultado: 'processado', sincronizar: null };
    }
  });
}

interface Contexto {
  ator: string;
  cliente: string | null;
  finalidade: string;
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
  const recalculo = await recalcular(contaId, manager);
  if (recalculo.mudou) campos.push('nivel_confianca');
  await registrarAuditoria(manager, {
    ...ctx,
    acao,
    pessoaCpf: existente?.pessoaCpf ?? null,
    campos,
    detalhe: { contaId, eventoId: evento.id, criada: !existente, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel },
  });
  return recalculo;
}

async function excluirConta(manager: EntityManager, contaId: string, eventoId: string, ctx: Contexto): Promise<void> {
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
