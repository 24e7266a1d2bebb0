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
import { catalogo, esc, ptBR, type Idioma } from './idioma.js';
import { dataHora, nomeDaAplicacao, rotuloCampo } from './rotulos.js';

/** Aplicações Permitidas' text, and the sessions table Segurança shows. */
export const TEXTOS_APLICACOES = catalogo({
  deuAcesso: 'Você deu acesso',
  deuAcessoEm: (quando: string) => `Você deu acesso em ${quando}.`,
  daPrefeitura: 'Aplicação da Prefeitura: não pede autorização.',
  conectado: 'Você está conectado(a) a ela agora.',
  permissoes: 'Permissões concedidas:',
  dados: 'Dados do cadastro que pode receber:',
  nenhumDado: 'nenhum dado do Cadastro Base',
  paraQue: 'Para quê:',
  remover: (nome: string) => `Remover o acesso de ${nome}`,
  semHistorico: 'Nenhum acesso removido.',
  removidoPorVoce: (quando: string, nome: string) => `${quando} — acesso de ${nome} removido por você`,
  intro: 'Aplicações que têm acesso à sua conta: as que você autorizou e as que você está usando agora.',
  nenhuma: 'Nenhuma aplicação tem acesso à sua conta agora.',
  historico: 'Histórico de consentimentos',
  removido: (nome: string) => `Acesso removido: ${nome} pedirá sua autorização de novo na próxima entrada.`,
  semSessoes: 'Nenhuma sessão ativa.',
  estaSessao: 'Esta sessão (use Sair para encerrar)',
  encerrar: 'Encerrar',
  colInicio: 'Início',
  colUltimo: 'Último acesso',
  colIp: 'Endereço IP',
  colAplicacoes: 'Aplicações',
  colAcao: 'Ação',
  legendaSessoes: 'Sessões ativas no Login Único',
  sessaoEncerrada: 'Sessão encerrada.',
}, {
  deuAcesso: 'You gave access',
  deuAcessoEm: (quando: string) => `You gave access on ${quando}.`,
  daPrefeitura: 'A City application: it does not ask for authorisation.',
  conectado: 'You are signed in to it now.',
  permissoes: 'Permissions granted (scopes):',
  dados: 'Register data it may receive:',
  nenhumDado: 'no data of the Citizen Register',
  paraQue: 'What for (in Portuguese):',
  remover: (nome: string) => `Remove the access of ${nome}`,
  semHistorico: 'No access removed.',
  removidoPorVoce: (quando: string, nome: string) => `${quando} — access of ${nome} removed by you`,
  intro: 'Applications that have access to your account: the ones you authorised and the ones you are using now.',
  nenhuma: 'No application has access to your account now.',
  historico: 'Consent history',
  removido: (nome: string) => `Access removed: ${nome} will ask for your authorisation again the next time you sign in.`,
  semSessoes: 'No active session.',
  estaSessao: 'This session (use Sign out to end it)',
  encerrar: 'End',
  colInicio: 'Started',
  colUltimo: 'Last access',
  colIp: 'IP address',
  colAplicacoes: 'Applications',
  colAcao: 'Action',
  legendaSessoes: 'Active sessions in the Municipal Single Sign-On',
  sessaoEncerrada: 'Session ended.',
});

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
  consentida: boolean;
  comSessao: boolean;
  escopos: string[];
  concedidoEm: Date | null;
  /** API field names the sharing rule lets the client receive. */
  campos: string[];
  /** The sharing rule's purpose (pt-BR only). */
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
      cliente: id, consentida: c !== undefined, comSessao: comSessao.includes(id),
      escopos: c?.escopos ?? [], concedidoEm: c?.concedidoEm ?? null,
      campos: regra ? [...regra.campos] : [], finalidade: regra?.finalidade ?? null,
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

/** The page. Scope names are the realm's identifiers (shown as they are); the sharing rule's purpose is pt-BR only. */
export function paginaAplicacoes(r: Awaited<ReturnType<typeof listarAplicacoes>>, csrf: string, idioma: Idioma): string {
  const t = TEXTOS_APLICACOES[idioma];
  const cartoes = r.aplicacoes.map((a) => {
    const nome = nomeDaAplicacao(a.cliente, idioma);
    return `<li class="cartao">
<h2>${esc(nome)}</h2>
<p>${esc(a.consentida ? (a.concedidoEm ? t.deuAcessoEm(dataHora(a.concedidoEm, idioma)) : `${t.deuAcesso}.`) : t.daPrefeitura)}${a.comSessao ? ` ${esc(t.conectado)}` : ''}</p>
${a.escopos.length > 0 ? `<p><strong>${esc(t.permissoes)}</strong> ${esc(a.escopos.join(', '))}</p>` : ''}
<p><strong>${esc(t.dados)}</strong> ${a.campos.length > 0 ? esc(a.campos.map((c) => rotuloCampo(c, idioma)).join(', ')) : esc(t.nenhumDado)}</p>
${a.finalidade ? `<p><strong>${esc(t.paraQue)}</strong> ${ptBR(a.finalidade, idioma)}</p>` : ''}
${a.consentida ? `<form method="post" action="/aplicacoes/revogar"><input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="cliente" value="${esc(a.cliente)}"><button type="submit" class="botao">${esc(t.remover(nome))}</button></form>` : ''}
</li>`;
  }).join('');
  const historico = r.historico.length === 0 ? `<p>${esc(t.semHistorico)}</p>`
    : `<ul>${r.historico.map((h) => `<li>${esc(t.removidoPorVoce(dataHora(h.em, idioma), nomeDaAplicacao(h.cliente, idioma)))}</li>`).join('')}</ul>`;
  return `<p>${esc(t.intro)}</p>
${r.aplicacoes.length === 0 ? `<div class="painel"><p>${esc(t.nenhuma)}</p></div>` : `<ul class="cartoes">${cartoes}</ul>`}
<section class="painel" aria-labelledby="t-hist"><h2 id="t-hist">${esc(t.historico)}</h2>${historico}</section>`;
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

export function listaDeSessoes(sessoes: readonly SessaoKeycloak[], atual: string | null, csrf: string, idioma: Idioma): string {
  const t = TEXTOS_APLICACOES[idioma];
  if (sessoes.length === 0) return `<p>${esc(t.semSessoes)}</p>`;
  const linhas = sessoes.map((x) => {
    const esta = x.id === atual;
    const acao = esta ? esc(t.estaSessao)
      : `<form method="post" action="/seguranca/sessoes/encerrar"><input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="sessao" value="${esc(x.id)}"><button type="submit" class="botao">${esc(t.encerrar)}</button></form>`;
    return `<tr><td data-rotulo="${esc(t.colInicio)}">${esc(x.inicio ? dataHora(x.inicio, idioma) : '')}</td><td data-rotulo="${esc(t.colUltimo)}">${esc(x.ultimoAcesso ? dataHora(x.ultimoAcesso, idioma) : '')}</td><td data-rotulo="${esc(t.colIp)}">${esc(x.ip ?? '')}</td><td data-rotulo="${esc(t.colAplicacoes)}">${esc(x.clientes.map((c) => nomeDaAplicacao(c, idioma)).join(', '))}</td><td data-rotulo="${esc(t.colAcao)}">${acao}</td></tr>`;
  }).join('');
  return `<table class="responsiva"><caption>${esc(t.legendaSessoes)}</caption><thead><tr><th scope="col">${esc(t.colInicio)}</th><th scope="col">${esc(t.colUltimo)}</th><th scope="col">${esc(t.colIp)}</th><th scope="col">${esc(t.colAplicacoes)}</th><th scope="col">${esc(t.colAcao)}</th></tr></thead><tbody>${linhas}</tbody></table>`;
}
