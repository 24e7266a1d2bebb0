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
import { esc } from './html.js';
import { ROTULO_CAMPO, dataHoraBr } from './rotulos.js';
import { NOME_EVIDENCIA } from './seguranca.js';

interface Notificacao {
  chave: string;
  em: Date;
  texto: string;
  lida: boolean;
}

/** The citizen's notice of an organ's answer to a Sala de Espera request (pt-BR). */
function textoDecisaoSala(decisao: string, servico: string, motivo: string | null): string {
  if (decisao === 'aprovado') return `Seu pedido na Sala de Espera do serviço ${servico} foi aprovado. Entre de novo no serviço para continuar.`;
  if (decisao === 'recusado') return `Seu pedido na Sala de Espera do serviço ${servico} foi recusado: ${motivo ?? ''}`;
  return `O órgão pediu mais informações sobre seu pedido na Sala de Espera do serviço ${servico}: ${motivo ?? ''} Entre de novo no serviço para responder.`;
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
      texto: p.resolucao === 'adotar-alternativo'
        ? `Seu pedido de alteração de ${ROTULO_CAMPO[p.campo] ?? p.campo} foi aceito por um gestor do cadastro.`
        : `Seu pedido de alteração de ${ROTULO_CAMPO[p.campo] ?? p.campo} foi recusado por um gestor do cadastro${p.justificativa ? `: ${p.justificativa}` : '.'}`,
    })),
    ...decisoes.map((d) => ({ chave: `sala:${d.id}`, em: d.decidido_em, texto: textoDecisaoSala(d.decisao, d.nome_cliente, d.motivo) })),
    ...evidencias.map((e) => ({
      chave: `evidencia:${e.id}`, em: e.registrado_em,
      texto: `Nova comprovação de identidade na sua conta: ${NOME_EVIDENCIA[e.tipo] ?? e.tipo}. Veja seu nível de confiança em Segurança.`,
    })),
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

export function paginaNotificacoes(itens: readonly Notificacao[], csrf: string): string {
  const novas = itens.filter((n) => !n.lida).length;
  const lista = itens.length === 0 ? '<p>Você não tem notificações.</p>'
    : `<ul class="notificacoes">${itens.map((n) => `<li${n.lida ? '' : ' class="nova"'}><p>${n.lida ? '' : '<strong>Nova: </strong>'}${esc(n.texto)}</p><p class="dica">${esc(dataHoraBr(n.em))}</p></li>`).join('')}</ul>`;
  return `<section class="painel" aria-labelledby="t-notif"><h2 id="t-notif">Notificações (${novas} não lida${novas === 1 ? '' : 's'})</h2>${lista}
${novas > 0 ? `<form method="post" action="/mensagens/lidas"><input type="hidden" name="_csrf" value="${esc(csrf)}"><button type="submit" class="botao">Marcar todas como lidas</button></form>` : ''}</section>`;
}
