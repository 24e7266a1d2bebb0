/**
 * Mensagens in the portal (issue 14): the citizen's threads with the organs — the list with the unread count, a new
 * thread, one thread with its messages and the reply form — next to the notifications, and the e-mail notice choice.
 * The pages call the same service as `/me/conversas` (`mensagens/conversas.service.ts`) with the signed-in citizen's
 * verified token; the forms are validated by the same DTOs (unknown fields refused).
 */
import { ORGAOS } from '../auth/papeis.js';
import { LIMITES_CONVERSA } from '../mensagens/conversa.dto.js';
import type { Conversa, ResumoConversa } from '../mensagens/conversas.service.js';
import { NOMES_DO_ORGAO, nomeDoPapel } from './acessos.service.js';
import { catalogo, esc, type Idioma } from './idioma.js';
import { dataHora } from './rotulos.js';

const { assunto: A, texto: T } = LIMITES_CONVERSA;

/** Mensagens' text (the threads part; the notifications are notificacoes.ts). */
export const TEXTOS_CONVERSAS = catalogo({
  semConversas: 'Você ainda não escreveu para nenhum órgão da Prefeitura.',
  respostasNovas: (n: number) => `${n} resposta${n === 1 ? '' : 's'} nova${n === 1 ? '' : 's'}: `,
  resumo: (mensagens: number, quando: string) => `${mensagens} mensage${mensagens === 1 ? 'm' : 'ns'} · última em ${quando}`,
  paraQualOrgao: 'Para qual órgão',
  escolhaOrgao: 'Escolha o órgão',
  assunto: 'Assunto',
  dicaAssunto: `De ${A.min} a ${A.max} caracteres.`,
  mensagem: 'Mensagem',
  dicaTexto: `Até ${T.max} caracteres. Não é preciso informar seu CPF: a mensagem vai ligada à sua conta.`,
  enviarMensagem: 'Enviar mensagem',
  avisoAtivo: 'Você recebe um aviso por e-mail quando um órgão responde ou um pedido seu é decidido.',
  avisoInativo: 'Você não recebe avisos por e-mail.',
  avisoExplicacao: 'O aviso só diz que há novidade e pede que você entre aqui para ler: nunca traz o conteúdo da mensagem nem seus dados.',
  pararAviso: 'Parar de receber avisos por e-mail',
  receberAviso: 'Receber um aviso por e-mail',
  intro: 'Converse com os servidores da Prefeitura e acompanhe as decisões sobre seus pedidos.',
  conversas: (n: number) => `Conversas com a Prefeitura (${n} resposta${n === 1 ? '' : 's'} não lida${n === 1 ? '' : 's'})`,
  escrever: 'Escrever para um órgão',
  avisoEmail: 'Aviso por e-mail',
  voce: 'Você',
  nova: 'Nova · ',
  para: (orgao: string, quando: string) => `Para: ${orgao} · aberta em ${quando}`,
  mensagens: 'Mensagens',
  responder: 'Responder',
  suaResposta: 'Sua resposta',
  enviarResposta: 'Enviar resposta',
  voltar: 'Voltar para Mensagens',
  enviada: (orgao: string) => `Mensagem enviada para ${orgao}. A resposta aparecerá aqui.`,
  respostaEnviada: 'Resposta enviada.',
  naoEnviada: 'Mensagem não enviada; nada foi gravado:',
  avisoLigado: 'Pronto: você receberá um aviso por e-mail de novas respostas e decisões.',
  avisoDesligado: 'Pronto: você não receberá mais avisos por e-mail.',
}, {
  semConversas: 'You have not written to any City department yet.',
  respostasNovas: (n: number) => `${n} new ${n === 1 ? 'reply' : 'replies'}: `,
  resumo: (mensagens: number, quando: string) => `${mensagens} message${mensagens === 1 ? '' : 's'} · last on ${quando}`,
  paraQualOrgao: 'To which department',
  escolhaOrgao: 'Choose the department',
  assunto: 'Subject',
  dicaAssunto: `${A.min} to ${A.max} characters.`,
  mensagem: 'Message',
  dicaTexto: `Up to ${T.max} characters. You need not give your CPF: the message is tied to your account.`,
  enviarMensagem: 'Send message',
  avisoAtivo: 'You get an e-mail notice when a department replies or one of your requests is decided.',
  avisoInativo: 'You do not get e-mail notices.',
  avisoExplicacao: 'The notice only says there is something new and asks you to sign in here to read it: it never carries the message or your data.',
  pararAviso: 'Stop e-mail notices',
  receberAviso: 'Get an e-mail notice',
  intro: 'Talk with City staff and follow the decisions on your requests.',
  conversas: (n: number) => `Conversations with the City (${n} unread ${n === 1 ? 'reply' : 'replies'})`,
  escrever: 'Write to a department',
  avisoEmail: 'E-mail notice',
  voce: 'You',
  nova: 'New · ',
  para: (orgao: string, quando: string) => `To: ${orgao} · opened on ${quando}`,
  mensagens: 'Messages',
  responder: 'Reply',
  suaResposta: 'Your reply',
  enviarResposta: 'Send reply',
  voltar: 'Back to Messages',
  enviada: (orgao: string) => `Message sent to ${orgao}. The reply will show here.`,
  respostaEnviada: 'Reply sent.',
  naoEnviada: 'Message not sent; nothing was saved. The reason, from the register, is in Portuguese:',
  avisoLigado: 'Done: you will get an e-mail notice of new replies and decisions.',
  avisoDesligado: 'Done: you will no longer get e-mail notices.',
});

const quando = (iso: string, idioma: Idioma) => dataHora(new Date(iso), idioma);
const csrfCampo = (csrf: string) => `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;

/** Paragraphs of a message, escaped (its line breaks kept). */
function paragrafos(texto: string): string {
  return texto.split(/\n{2,}/).map((p) => `<p>${p.split('\n').map(esc).join('<br>')}</p>`).join('');
}

export interface ValoresNovaConversa { orgao?: string; assunto?: string; texto?: string }

function listaDeConversas(conversas: readonly ResumoConversa[], idioma: Idioma): string {
  const t = TEXTOS_CONVERSAS[idioma];
  if (conversas.length === 0) return `<p>${esc(t.semConversas)}</p>`;
  return `<ul class="notificacoes">${conversas.map((c) => `<li${c.naoLidas > 0 ? ' class="nova"' : ''}>
<p>${c.naoLidas > 0 ? `<strong>${esc(t.respostasNovas(c.naoLidas))}</strong>` : ''}<a href="/mensagens/conversas/${esc(c.id)}">${esc(c.assunto)}</a></p>
<p class="dica">${esc(NOMES_DO_ORGAO[idioma][c.orgao])} · ${esc(t.resumo(c.mensagens, quando(c.atualizadaEm, idioma)))}</p></li>`).join('')}</ul>`;
}

function formularioNovaConversa(csrf: string, idioma: Idioma, v: ValoresNovaConversa = {}): string {
  const t = TEXTOS_CONVERSAS[idioma];
  const opcoes = ORGAOS.map((o) => `<option value="${o}"${v.orgao === o ? ' selected' : ''}>${esc(NOMES_DO_ORGAO[idioma][o])}</option>`).join('');
  return `<form method="post" action="/mensagens/conversas" class="painel">
${csrfCampo(csrf)}
<div class="campo"><label for="f-orgao">${esc(t.paraQualOrgao)}</label><select id="f-orgao" name="orgao" required><option value="">${esc(t.escolhaOrgao)}</option>${opcoes}</select></div>
<div class="campo"><label for="f-assunto">${esc(t.assunto)}</label><input id="f-assunto" name="assunto" required minlength="${A.min}" maxlength="${A.max}" value="${esc(v.assunto)}" aria-describedby="dica-assunto"><p class="dica" id="dica-assunto">${esc(t.dicaAssunto)}</p></div>
<div class="campo"><label for="f-texto">${esc(t.mensagem)}</label><textarea id="f-texto" name="texto" rows="6" required maxlength="${T.max}" aria-describedby="dica-texto">${esc(v.texto)}</textarea><p class="dica" id="dica-texto">${esc(t.dicaTexto)}</p></div>
<button type="submit" class="botao">${esc(t.enviarMensagem)}</button>
</form>`;
}

function formularioAvisoEmail(csrf: string, ativo: boolean, idioma: Idioma): string {
  const t = TEXTOS_CONVERSAS[idioma];
  return `<form method="post" action="/mensagens/aviso-email" class="painel">
${csrfCampo(csrf)}
<input type="hidden" name="ativo" value="${ativo ? 'false' : 'true'}">
<p>${esc(ativo ? t.avisoAtivo : t.avisoInativo)} ${esc(t.avisoExplicacao)}</p>
<button type="submit" class="botao">${esc(ativo ? t.pararAviso : t.receberAviso)}</button>
</form>`;
}

/** The Mensagens page: threads, the new-thread form, the notifications (`notificacoes`), the e-mail choice. */
export function paginaMensagens(conversas: readonly ResumoConversa[], notificacoes: string, csrf: string, avisoAtivo: boolean, idioma: Idioma, valores?: ValoresNovaConversa): string {
  const t = TEXTOS_CONVERSAS[idioma];
  const novas = conversas.reduce((n, c) => n + c.naoLidas, 0);
  return `<p>${esc(t.intro)}</p>
<section aria-labelledby="t-conversas"><h2 id="t-conversas">${esc(t.conversas(novas))}</h2><div class="painel">${listaDeConversas(conversas, idioma)}</div></section>
<section aria-labelledby="t-nova"><h2 id="t-nova">${esc(t.escrever)}</h2>${formularioNovaConversa(csrf, idioma, valores)}</section>
${notificacoes}
<section aria-labelledby="t-aviso"><h2 id="t-aviso">${esc(t.avisoEmail)}</h2>${formularioAvisoEmail(csrf, avisoAtivo, idioma)}</section>`;
}

/**
 * One thread: its messages in order (the ones new to the citizen marked) and the reply form. The City's staff write
 * in pt-BR: in English mode their messages carry `lang="pt-BR"`; the citizen's own (and the subject they typed) carry
 * no language of their own.
 */
export function paginaConversa(c: Conversa, csrf: string, idioma: Idioma, texto = ''): string {
  const t = TEXTOS_CONVERSAS[idioma];
  const orgao = NOMES_DO_ORGAO[idioma][c.orgao];
  const quem = (m: Conversa['itens'][number]) => m.autor === 'cidadao' ? t.voce : `${orgao}${m.papel ? ` (${nomeDoPapel(m.papel, idioma)})` : ''}`;
  const corpo = (m: Conversa['itens'][number]) => (m.autor !== 'cidadao' && idioma !== 'pt-BR' ? `<div lang="pt-BR">${paragrafos(m.texto)}</div>` : paragrafos(m.texto));
  const itens = c.itens.map((m) => `<li${m.lida ? '' : ' class="nova"'}><p class="dica">${m.lida ? '' : `<strong>${esc(t.nova)}</strong>`}${esc(quem(m))} · ${esc(quando(m.enviadaEm, idioma))}</p>${corpo(m)}</li>`).join('');
  return `<p class="dica">${esc(t.para(orgao, quando(c.criadaEm, idioma)))}</p>
<section aria-labelledby="t-msgs" class="painel"><h2 id="t-msgs">${esc(t.mensagens)}</h2><ol class="notificacoes">${itens}</ol></section>
<section aria-labelledby="t-responder"><h2 id="t-responder">${esc(t.responder)}</h2>
<form method="post" action="/mensagens/conversas/${esc(c.id)}" class="painel">
${csrfCampo(csrf)}
<div class="campo"><label for="f-texto">${esc(t.suaResposta)}</label><textarea id="f-texto" name="texto" rows="5" required maxlength="${T.max}">${esc(texto)}</textarea></div>
<button type="submit" class="botao">${esc(t.enviarResposta)}</button>
</form></section>
<p><a href="/mensagens">${esc(t.voltar)}</a></p>`;
}
