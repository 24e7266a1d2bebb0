/**
 * Mensagens — the notifications part only: the decisions on the citizen's own change requests (accepted, refused with
 * the steward's reason), the organs' answers to the citizen's Sala de Espera requests (approved, rejected or asked
 * for more, with the reason; `decisao_sala`) and the evidence that changed the account's level, newest first, each read or unread (read
 * state in `notificacao_lida`). The threads with staff are `portal/conversas.ts`.
 */
import type { DataSource } from 'typeorm';
import { registrarAuditoria } from '../auditoria/auditoria.service.js';
import type { Principal } from '../auth/principal.js';
import { contaDoCidadao, contextoCidadao } from '../me/me.service.js';
import { catalogo, esc, ptBR, type Idioma } from './idioma.js';
import { dataHora, rotuloCampo } from './rotulos.js';
import { nomeEvidencia } from './seguranca.js';

/** What happened, kept as data: the page words it in its language (a steward's or organ's reason stays pt-BR). */
type Evento =
  | { tipo: 'revisao'; campo: string; aceito: boolean; justificativa: string | null }
  | { tipo: 'sala'; decisao: string; servico: string; motivo: string | null }
  | { tipo: 'evidencia'; evidencia: string };

interface Notificacao {
  chave: string;
  em: Date;
  evento: Evento;
  lida: boolean;
}

export const TEXTOS_NOTIFICACOES = catalogo({
  revisaoAceita: (campo: string) => `Seu pedido de alteração de ${campo} foi aceito por um gestor do cadastro.`,
  revisaoRecusada: (campo: string) => `Seu pedido de alteração de ${campo} foi recusado por um gestor do cadastro`,
  salaAprovada: (servico: string) => `Seu pedido na Sala de Espera do serviço ${servico} foi aprovado. Entre de novo no serviço para continuar.`,
  salaRecusada: (servico: string) => `Seu pedido na Sala de Espera do serviço ${servico} foi recusado:`,
  salaComplementar: (servico: string) => `O órgão pediu mais informações sobre seu pedido na Sala de Espera do serviço ${servico}:`,
  salaComplementarFim: 'Entre de novo no serviço para responder.',
  evidencia: (nome: string) => `Nova comprovação de identidade na sua conta: ${nome}. Veja seu nível de confiança em Segurança.`,
  semNotificacoes: 'Você não tem notificações.',
  nova: 'Nova: ',
  titulo: (n: number) => `Notificações (${n} não lida${n === 1 ? '' : 's'})`,
  marcarLidas: 'Marcar todas como lidas',
}, {
  revisaoAceita: (campo: string) => `Your request to change ${campo} was accepted by a register manager.`,
  revisaoRecusada: (campo: string) => `Your request to change ${campo} was refused by a register manager`,
  salaAprovada: (servico: string) => `Your request in the waiting room (Sala de Espera) of the service ${servico} was approved. Sign in to the service again to continue.`,
  salaRecusada: (servico: string) => `Your request in the waiting room (Sala de Espera) of the service ${servico} was refused:`,
  salaComplementar: (servico: string) => `The department asked for more information about your request in the waiting room (Sala de Espera) of the service ${servico}:`,
  salaComplementarFim: 'Sign in to the service again to answer.',
  evidencia: (nome: string) => `New proof of identity on your account: ${nome}. See your confidence level under Security.`,
  semNotificacoes: 'You have no notifications.',
  nova: 'New: ',
  titulo: (n: number) => `Notifications (${n} unread)`,
  marcarLidas: 'Mark all as read',
});

/** A notification's text as HTML in `idioma` (the pt-BR sentences are the ones the citizen read before English existed). */
function textoHtml(e: Evento, idioma: Idioma): string {
  const t = TEXTOS_NOTIFICACOES[idioma];
  switch (e.tipo) {
    case 'revisao': {
      const campo = rotuloCampo(e.campo, idioma);
      if (e.aceito) return esc(t.revisaoAceita(campo));
      return `${esc(t.revisaoRecusada(campo))}${e.justificativa ? `: ${ptBR(e.justificativa, idioma)}` : '.'}`;
    }
    case 'sala':
      if (e.decisao === 'aprovado') return esc(t.salaAprovada(e.servico));
      if (e.decisao === 'recusado') return `${esc(t.salaRecusada(e.servico))} ${ptBR(e.motivo ?? '', idioma)}`;
      return `${esc(t.salaComplementar(e.servico))} ${ptBR(e.motivo ?? '', idioma)} ${esc(t.salaComplementarFim)}`;
    case 'evidencia':
      return esc(t.evidencia(nomeEvidencia(e.evidencia, idioma)));
  }
}

export async function listarNotificacoes(dataSource: DataSource, principal: Principal): Promise<Notificacao[]> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  const pedidos = conta.pessoaCpf === null ? [] : await dataSource.query<{ id: string; campo: string; resolucao: string | null; justificativa: string | null; resolvida_em: Date }[]>(
    `SELECT r.id, r.campo, r.resolucao, r.justificativa, r.resolvida_em FROM revisao r JOIN valor_campo v ON v.id = r.valor_campo_id
      WHERE r.entidade = 'pessoa' AND r.chave = $1 AND v.tipo_ator = 'cidadao' AND r.situacao = 'resolvida' ORDER BY r.resolvida_em DESC LIMIT 100`, [conta.pessoaCpf]);
  const evidencias = await dataSource.query<{ id: string; tipo: string; registrado_em: Date }[]>(
    `SELECT id, tipo, registrado_em FROM evidencia WHERE conta_id = $1 ORDER BY registrado_em DESC LIMIT 100`, [conta.keycloakUserId]);
  const decisoes = await dataSource.query<{ id: string; decisao: string; motivo: string | null; decidido_em: Date; nome_cliente: string }[]>(
    `SELECT d.id, d.decisao, d.motivo, d.decidido_em, p.nome_cliente FROM decisao_sala d JOIN pedido_sala p ON p.id = d.pedido_id
      WHERE d.conta_id = $1 ORDER BY d.decidido_em DESC LIMIT 100`, [conta.keycloakUserId]);
  const lidas = new Set((await dataSource.query<{ chave: string }[]>(`SELECT chave FROM notificacao_lida WHERE conta_id = $1`, [conta.keycloakUserId])).map((l) => l.chave));
  const itens: Omit<Notificacao, 'lida'>[] = [
    ...pedidos.map((p) => ({
      chave: `revisao:${p.id}`, em: p.resolvida_em,
      evento: { tipo: 'revisao' as const, campo: p.campo, aceito: p.resolucao === 'adotar-alternativo', justificativa: p.justificativa },
    })),
    ...decisoes.map((d) => ({ chave: `sala:${d.id}`, em: d.decidido_em, evento: { tipo: 'sala' as const, decisao: d.decisao, servico: d.nome_cliente, motivo: d.motivo } })),
    ...evidencias.map((e) => ({ chave: `evidencia:${e.id}`, em: e.registrado_em, evento: { tipo: 'evidencia' as const, evidencia: e.tipo } })),
  ].sort((a, b) => b.em.getTime() - a.em.getTime());
  await registrarAuditoria(dataSource.manager, {
    ...contextoCidadao(principal), acao: 'notificacoes.lidas', pessoaCpf: conta.pessoaCpf, campos: [], detalhe: { autoatendimento: true, itens: itens.length },
  });
  return itens.map((n) => ({ ...n, lida: lidas.has(n.chave) }));
}

/** Marks every notification the citizen has now as read. */
export async function marcarTodasComoLidas(dataSource: DataSource, principal: Principal): Promise<void> {
  const conta = await contaDoCidadao(dataSource.manager, principal);
  const chaves = (await listarNotificacoes(dataSource, principal)).filter((n) => !n.lida).map((n) => n.chave);
  if (chaves.length === 0) return;
  await dataSource.query(`INSERT INTO notificacao_lida (conta_id, chave) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [conta.keycloakUserId, chaves]);
}

export function paginaNotificacoes(itens: readonly Notificacao[], csrf: string, idioma: Idioma): string {
  const t = TEXTOS_NOTIFICACOES[idioma];
  const novas = itens.filter((n) => !n.lida).length;
  const lista = itens.length === 0 ? `<p>${esc(t.semNotificacoes)}</p>`
    : `<ul class="notificacoes">${itens.map((n) => `<li${n.lida ? '' : ' class="nova"'}><p>${n.lida ? '' : `<strong>${esc(t.nova)}</strong>`}${textoHtml(n.evento, idioma)}</p><p class="dica">${esc(dataHora(n.em, idioma))}</p></li>`).join('')}</ul>`;
  return `<section class="painel" aria-labelledby="t-notif"><h2 id="t-notif">${esc(t.titulo(novas))}</h2>${lista}
${novas > 0 ? `<form method="post" action="/mensagens/lidas"><input type="hidden" name="_csrf" value="${esc(csrf)}"><button type="submit" class="botao">${esc(t.marcarLidas)}</button></form>` : ''}</section>`;
}
