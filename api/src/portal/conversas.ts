/**
 * Mensagens in the portal (issue 14): the citizen's threads with the organs — the list with the unread count, a new
 * thread, one thread with its messages and the reply form — next to the notifications, and the e-mail notice choice.
 * The pages call the same service as `/me/conversas` (`mensagens/conversas.service.ts`) with the signed-in citizen's
 * verified token; the forms are validated by the same DTOs (unknown fields refused).
 */
import { ORGAOS } from '../auth/papeis.js';
import { LIMITES_CONVERSA } from '../mensagens/conversa.dto.js';
import type { Conversa, ResumoConversa } from '../mensagens/conversas.service.js';
import { NOME_DO_ORGAO, NOME_DO_PAPEL } from './acessos.service.js';
import { esc } from './html.js';
import { dataHoraBr } from './rotulos.js';

const quando = (iso: string) => dataHoraBr(new Date(iso));
const csrfCampo = (csrf: string) => `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;

/** Paragraphs of a message, escaped (its line breaks kept). */
function paragrafos(texto: string): string {
  return texto.split(/\n{2,}/).map((p) => `<p>${p.split('\n').map(esc).join('<br>')}</p>`).join('');
}

export interface ValoresNovaConversa { orgao?: string; assunto?: string; texto?: string }

function listaDeConversas(conversas: readonly ResumoConversa[]): string {
  if (conversas.length === 0) return '<p>Você ainda não escreveu para nenhum órgão da Prefeitura.</p>';
  return `<ul class="notificacoes">${conversas.map((c) => `<li${c.naoLidas > 0 ? ' class="nova"' : ''}>
<p>${c.naoLidas > 0 ? `<strong>${c.naoLidas} resposta${c.naoLidas === 1 ? '' : 's'} nova${c.naoLidas === 1 ? '' : 's'}: </strong>` : ''}<a href="/mensagens/conversas/${esc(c.id)}">${esc(c.assunto)}</a></p>
<p class="dica">${esc(NOME_DO_ORGAO[c.orgao])} · ${c.mensagens} mensage${c.mensagens === 1 ? 'm' : 'ns'} · última em ${esc(quando(c.atualizadaEm))}</p></li>`).join('')}</ul>`;
}

function formularioNovaConversa(csrf: string, v: ValoresNovaConversa = {}): string {
  const opcoes = ORGAOS.map((o) => `<option value="${o}"${v.orgao === o ? ' selected' : ''}>${esc(NOME_DO_ORGAO[o])}</option>`).join('');
  return `<form method="post" action="/mensagens/conversas" class="painel">
${csrfCampo(csrf)}
<div class="campo"><label for="f-orgao">Para qual órgão</label><select id="f-orgao" name="orgao" required><option value="">Escolha o órgão</option>${opcoes}</select></div>
<div class="campo"><label for="f-assunto">Assunto</label><input id="f-assunto" name="assunto" required minlength="${LIMITES_CONVERSA.assunto.min}" maxlength="${LIMITES_CONVERSA.assunto.max}" value="${esc(v.assunto)}" aria-describedby="dica-assunto"><p class="dica" id="dica-assunto">De ${LIMITES_CONVERSA.assunto.min} a ${LIMITES_CONVERSA.assunto.max} caracteres.</p></div>
<div class="campo"><label for="f-texto">Mensagem</label><textarea id="f-texto" name="texto" rows="6" required maxlength="${LIMITES_CONVERSA.texto.max}" aria-describedby="dica-texto">${esc(v.texto)}</textarea><p class="dica" id="dica-texto">Até ${LIMITES_CONVERSA.texto.max} caracteres. Não é preciso informar seu CPF: a mensagem vai ligada à sua conta.</p></div>
<button type="submit" class="botao">Enviar mensagem</button>
</form>`;
}

function formularioAvisoEmail(csrf: string, ativo: boolean): string {
  return `<form method="post" action="/mensagens/aviso-email" class="painel">
${csrfCampo(csrf)}
<input type="hidden" name="ativo" value="${ativo ? 'false' : 'true'}">
<p>${ativo ? 'Você recebe um aviso por e-mail quando um órgão responde ou um pedido seu é decidido.' : 'Você não recebe avisos por e-mail.'} O aviso só diz que há novidade e pede que você entre aqui para ler: nunca traz o conteúdo da mensagem nem seus dados.</p>
<button type="submit" class="botao">${ativo ? 'Parar de receber avisos por e-mail' : 'Receber um aviso por e-mail'}</button>
</form>`;
}

/** The Mensagens page: threads, the new-thread form, the notifications (`notificacoes`), the e-mail choice. */
export function paginaMensagens(conversas: readonly ResumoConversa[], notificacoes: string, csrf: string, avisoAtivo: boolean, valores?: ValoresNovaConversa): string {
  const novas = conversas.reduce((n, c) => n + c.naoLidas, 0);
  return `<p>Converse com os servidores da Prefeitura e acompanhe as decisões sobre seus pedidos.</p>
<section aria-labelledby="t-conversas"><h2 id="t-conversas">Conversas com a Prefeitura (${novas} resposta${novas === 1 ? '' : 's'} não lida${novas === 1 ? '' : 's'})</h2><div class="painel">${listaDeConversas(conversas)}</div></section>
<section aria-labelledby="t-nova"><h2 id="t-nova">Escrever para um órgão</h2>${formularioNovaConversa(csrf, valores)}</section>
${notificacoes}
<section aria-labelledby="t-aviso"><h2 id="t-aviso">Aviso por e-mail</h2>${formularioAvisoEmail(csrf, avisoAtivo)}</section>`;
}

/** One thread: its messages in order (the ones new to the citizen marked) and the reply form. */
export function paginaConversa(c: Conversa, csrf: string, texto = ''): string {
  const quem = (m: Conversa['itens'][number]) => m.autor === 'cidadao' ? 'Você' : `${NOME_DO_ORGAO[c.orgao]}${m.papel ? ` (${NOME_DO_PAPEL[m.papel] ?? m.papel})` : ''}`;
  const itens = c.itens.map((m) => `<li${m.lida ? '' : ' class="nova"'}><p class="dica">${m.lida ? '' : '<strong>Nova · </strong>'}${esc(quem(m))} · ${esc(quando(m.enviadaEm))}</p>${paragrafos(m.texto)}</li>`).join('');
  return `<p class="dica">Para: ${esc(NOME_DO_ORGAO[c.orgao])} · aberta em ${esc(quando(c.criadaEm))}</p>
<section aria-labelledby="t-msgs" class="painel"><h2 id="t-msgs">Mensagens</h2><ol class="notificacoes">${itens}</ol></section>
<section aria-labelledby="t-responder"><h2 id="t-responder">Responder</h2>
<form method="post" action="/mensagens/conversas/${esc(c.id)}" class="painel">
${csrfCampo(csrf)}
<div class="campo"><label for="f-texto">Sua resposta</label><textarea id="f-texto" name="texto" rows="5" required maxlength="${LIMITES_CONVERSA.texto.max}">${esc(texto)}</textarea></div>
<button type="submit" class="botao">Enviar resposta</button>
</form></section>
<p><a href="/mensagens">Voltar para Mensagens</a></p>`;
}
