/**
 * Aplicações Permitidas: the applications the citizen has granted access to (Keycloak consents) or is signed in to
 * now (active sessions), the data each receives (the granted scopes, and the fields and purpose of the data-sharing
 * rule of that client), and the revocation of a grant — through Keycloak's admin API as the `lum-api` service account
 * (`DELETE /users/{id}/consents/{client}`: the grant and its offline tokens go, and the next sign-in asks for consent
 * again), recorded in the person's consent history (`historico_consentimento`) and the audit log.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import type { Principal } from '../auth/principal.js';
import { REGRAS } from '../compartilhamento/regras.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { contaDoCidadao, contextoCidadao } from '../me/me.service.js';
import { esc } from './html.js';
import { NOME_DA_APLICACAO, ROTULO_CAMPO, dataHoraBr } from './rotulos.js';

/** What the portal needs of Keycloak for this page (the real adapter below; tests use the same against the slot). */
export interface KeycloakAplicacoes {
  consentimentos(usuarioId: string): Promise<{ cliente: string; escopos: string[]; concedidoEm: Date | null }[]>;
  clientesComSessao(usuarioId: string): Promise<string[]>;
  revogar(usuarioId: string, cliente: string): Promise<void>;
  /** The user's active sessions (Segurança: "sessões e dispositivos"). */
  sessoes(usuarioId: string): Promise<SessaoKeycloak[]>;
  encerrarSessao(sessaoId: string): Promise<void>;
}

export interface SessaoKeycloak {
  id: string;
  inicio: Date | null;
  ultimoAcesso: Date | null;
  ip: string | null;
  clientes: string[];
}

export function keycloakAplicacoes(opcoes: { baseUrl: string; realm: string; clientId: string; clientSecret: string }): KeycloakAplicacoes {
  const cliente = async () => {
    const kc = new KcAdminClient({ baseUrl: opcoes.baseUrl, realmName: opcoes.realm, timeout: 10_000 });
    await kc.auth({ grantType: 'client_credentials', clientId: opcoes.clientId, clientSecret: opcoes.clientSecret });
    return kc;
  };
  return {
    async consentimentos(id) {
      const lista = await (await cliente()).users.listConsents({ id });
      return lista.filter((c) => typeof c.clientId === 'string').map((c) => ({
        cliente: c.clientId!,
        escopos: [...(c.grantedClientScopes ?? [])].sort(),
        concedidoEm: typeof c.createdDate === 'number' ? new Date(c.createdDate) : null,
      }));
    },
    async clientesComSessao(id) {
      const sessoes = await (await cliente()).users.listSessions({ id });
      return [...new Set(sessoes.flatMap((s) => Object.values(s.clients ?? {})))].sort();
    },
    async revogar(id, clienteId) {
      await (await cliente()).users.revokeConsent({ id, clientId: clienteId });
    },
    async sessoes(id) {
      const sessoes = await (await cliente()).users.listSessions({ id });
      return sessoes.filter((x) => typeof x.id === 'string').map((x) => ({
        id: x.id!, inicio: typeof x.start === 'number' ? new Date(x.start) : null, ultimoAcesso: typeof x.lastAccess === 'number' ? new Date(x.lastAccess) : null,
        ip: x.ipAddress ?? null, clientes: [...new Set(Object.values(x.clients ?? {}))].sort(),
      }));
    },
    async encerrarSessao(sessaoId) {
      await (await cliente()).realms.deleteSession({ realm: opcoes.realm, session: sessaoId, isOffline: false });
    },
  };
}

interface Aplicacao {
  cliente: string;
  nome: string;
  consentida: boolean;
  comSessao: boolean;
  escopos: string[];
  concedidoEm: Date | null;
  campos: string[];
  finalidade: string | null;
}

export interface Revogacao { cliente: string; escopos: string[]; em: Date }

export async function listarAplicacoes(dataSource: DataSource, kc: KeycloakAplicacoes, principal: Principal): Promise<{ aplicacoes: Aplicacao[]; historico: Revogacao[] }> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  const [consentimentos, comSessao] = await Promise.all([kc.consentimentos(principal.sub), kc.clientesComSessao(principal.sub)]);
  const clientes = [...new Set([...consentimentos.map((c) => c.cliente), ...comSessao])].sort();
  const aplicacoes = clientes.map((id) => {
    const c = consentimentos.find((x) => x.cliente === id);
    const regra = Object.hasOwn(REGRAS.clientes, id) ? REGRAS.clientes[id] : null;
    return {
      cliente: id, nome: NOME_DA_APLICACAO[id] ?? id, consentida: c !== undefined, comSessao: comSessao.includes(id),
      escopos: c?.escopos ?? [], concedidoEm: c?.concedidoEm ?? null,
      campos: regra ? regra.campos.map((f) => ROTULO_CAMPO[f] ?? f) : [], finalidade: regra?.finalidade ?? null,
    };
  });
  const historico = await dataSource.query<{ cliente: string; escopos: string[]; em: Date }[]>(
    `SELECT cliente, escopos, em FROM historico_consentimento WHERE conta_id = $1 ORDER BY em DESC, id DESC LIMIT 50`, [conta.keycloakUserId]);
  await registrarAuditoria(dataSource.manager, {
    ...contextoCidadao(principal), acao: 'aplicacoes.lidas', pessoaCpf: conta.pessoaCpf, campos: [],
    detalhe: { autoatendimento: true, contaId: conta.keycloakUserId, clientes },
  });
  return { aplicacoes, historico };
}

/** Revokes the citizen's grant to `cliente` (404 when there is none) and records it in the consent history. */
export async function revogarAplicacao(dataSource: DataSource, kc: KeycloakAplicacoes, principal: Principal, cliente: string): Promise<void> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  const concedido = (await kc.consentimentos(principal.sub)).find((c) => c.cliente === cliente);
  if (!concedido) throw new NaoEncontrado('Você não deu acesso a esta aplicação');
  await kc.revogar(principal.sub, cliente);
  await dataSource.transaction(async (m) => {
    await m.query(`INSERT INTO historico_consentimento (conta_id, pessoa_cpf, cliente, acao, escopos, origem) VALUES ($1, $2, $3, 'revogado', $4::text[], 'area-do-cidadao')`,
      [conta.keycloakUserId, conta.pessoaCpf, cliente, concedido.escopos]);
    await registrarAuditoria(m, {
      ...contextoCidadao(principal), acao: 'consentimento.revogado', pessoaCpf: conta.pessoaCpf, campos: [],
      detalhe: { contaId: conta.keycloakUserId, cliente, escopos: concedido.escopos },
    });
  });
}

export function paginaAplicacoes(r: Awaited<ReturnType<typeof listarAplicacoes>>, csrf: string): string {
  const cartoes = r.aplicacoes.map((a) => `<li class="cartao">
<h2>${esc(a.nome)}</h2>
<p>${a.consentida ? `Você deu acesso${a.concedidoEm ? ` em ${esc(dataHoraBr(a.concedidoEm))}` : ''}.` : 'Aplicação da Prefeitura: não pede autorização.'}${a.comSessao ? ' Você está conectado(a) a ela agora.' : ''}</p>
${a.escopos.length > 0 ? `<p><strong>Permissões concedidas:</strong> ${esc(a.escopos.join(', '))}</p>` : ''}
<p><strong>Dados do cadastro que pode receber:</strong> ${a.campos.length > 0 ? esc(a.campos.join(', ')) : 'nenhum dado do Cadastro Base'}</p>
${a.finalidade ? `<p><strong>Para quê:</strong> ${esc(a.finalidade)}</p>` : ''}
${a.consentida ? `<form method="post" action="/aplicacoes/revogar"><input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="cliente" value="${esc(a.cliente)}"><button type="submit" class="botao">Remover o acesso de ${esc(a.nome)}</button></form>` : ''}
</li>`).join('');
  const historico = r.historico.length === 0 ? '<p>Nenhum acesso removido.</p>'
    : `<ul>${r.historico.map((h) => `<li>${esc(dataHoraBr(h.em))} — acesso de ${esc(NOME_DA_APLICACAO[h.cliente] ?? h.cliente)} removido por você</li>`).join('')}</ul>`;
  return `<p>Aplicações que têm acesso à sua conta: as que você autorizou e as que você está usando agora.</p>
${r.aplicacoes.length === 0 ? '<div class="painel"><p>Nenhuma aplicação tem acesso à sua conta agora.</p></div>' : `<ul class="cartoes">${cartoes}</ul>`}
<section class="painel" aria-labelledby="t-hist"><h2 id="t-hist">Histórico de consentimentos</h2>${historico}</section>`;
}

/** Ends one of the citizen's own sessions (404 when the id is not one of theirs); audited. */
export async function encerrarSessao(dataSource: DataSource, kc: KeycloakAplicacoes, principal: Principal, sessaoId: string): Promise<void> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  if (!(await kc.sessoes(principal.sub)).some((x) => x.id === sessaoId)) throw new NaoEncontrado('Sessão não encontrada entre as suas sessões ativas');
  await kc.encerrarSessao(sessaoId);
  await registrarAuditoria(dataSource.manager, {
    ...contextoCidadao(principal), acao: 'sessao.encerrada', pessoaCpf: conta.pessoaCpf, campos: [], detalhe: { contaId: conta.keycloakUserId, sessao: sessaoId },
  });
}

export function listaDeSessoes(sessoes: readonly SessaoKeycloak[], atual: string | null, csrf: string): string {
  if (sessoes.length === 0) return '<p>Nenhuma sessão ativa.</p>';
  const linhas = sessoes.map((x) => {
    const esta = x.id === atual;
    const acao = esta ? 'Esta sessão (use Sair para encerrar)'
      : `<form method="post" action="/seguranca/sessoes/encerrar"><input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="sessao" value="${esc(x.id)}"><button type="submit" class="botao">Encerrar</button></form>`;
    return `<tr><td data-rotulo="Início">${esc(x.inicio ? dataHoraBr(x.inicio) : '')}</td><td data-rotulo="Último acesso">${esc(x.ultimoAcesso ? dataHoraBr(x.ultimoAcesso) : '')}</td><td data-rotulo="Endereço IP">${esc(x.ip ?? '')}</td><td data-rotulo="Aplicações">${esc(x.clientes.map((c) => NOME_DA_APLICACAO[c] ?? c).join(', '))}</td><td data-rotulo="Ação">${acao}</td></tr>`;
  }).join('');
  return `<table class="responsiva"><caption>Sessões ativas no Login Único</caption><thead><tr><th scope="col">Início</th><th scope="col">Último acesso</th><th scope="col">Endereço IP</th><th scope="col">Aplicações</th><th scope="col">Ação</th></tr></thead><tbody>${linhas}</tbody></table>`;
}
