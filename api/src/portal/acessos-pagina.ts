/**
 * The "Quem acessou meus dados" page: one page of the reads of the citizen's record (`lerAcessos`), the pagination
 * and the link to the CSV. The CSV itself is always pt-BR (a data file: `acessosEmCsv`); the English page says so.
 */
import type { AcessoLegivel, PaginaAcessos } from './acessos.service.js';
import { catalogo, esc, ptBR, type Idioma } from './idioma.js';

export const TEXTOS_ACESSOS = catalogo({
  semVinculo: 'Sua conta ainda não está vinculada a um registro do Cadastro Base de Pessoas: não há registro seu para alguém consultar.',
  intro: 'Cada vez que um órgão ou aplicação da Prefeitura consulta o seu cadastro, isso fica registrado. Aqui você vê quem consultou (o órgão e o papel do servidor), quando, quais dados e para quê. Suas próprias consultas não aparecem.',
  baixarCsv: 'Baixar a lista completa (CSV)',
  nenhum: 'Nenhum órgão ou aplicação consultou seus dados até agora.',
  legenda: (total: number) => `${total} consulta(s) ao seu cadastro, mais recentes primeiro`,
  colQuando: 'Quando',
  colQuem: 'Quem',
  colAplicacao: 'Aplicação',
  colOQue: 'O que',
  colDados: 'Dados',
  colParaQue: 'Para quê',
  paginas: 'Páginas',
  anterior: 'Página anterior',
  proxima: 'Próxima página',
  paginaDe: (numero: number, total: number) => `Página ${numero} de ${total}`,
}, {
  semVinculo: 'Your account is not yet linked to a record in the Citizen Register (Cadastro Base de Pessoas): there is no record of yours for anyone to read.',
  intro: 'Every time a City department or application reads your record, it is logged. Here you see who read it (the department and the staff member\'s role), when, which data and what for. Your own reads are not listed.',
  baixarCsv: 'Download the full list (CSV file, in Portuguese)',
  nenhum: 'No department or application has read your data so far.',
  legenda: (total: number) => `${total} ${total === 1 ? 'read' : 'reads'} of your record, newest first`,
  colQuando: 'When',
  colQuem: 'Who',
  colAplicacao: 'Application',
  colOQue: 'What',
  colDados: 'Data',
  colParaQue: 'What for',
  paginas: 'Pages',
  anterior: 'Previous page',
  proxima: 'Next page',
  paginaDe: (numero: number, total: number) => `Page ${numero} of ${total}`,
});

export function paginaAcessos(r: Omit<PaginaAcessos, 'itens'> & { itens: AcessoLegivel[] }, numero: number, tamanho: number, idioma: Idioma): string {
  const t = TEXTOS_ACESSOS[idioma];
  if (!r.vinculada) return `<div class="painel"><p>${esc(t.semVinculo)}</p></div>`;
  const paginas = Math.max(1, Math.ceil(r.total / tamanho));
  // A sharing rule's purpose exists only in pt-BR.
  const finalidade = (a: AcessoLegivel) => (a.finalidadeIdioma === idioma ? esc(a.finalidade) : ptBR(a.finalidade, idioma));
  const linhas = r.itens.map((a) => `<tr><td data-rotulo="${esc(t.colQuando)}">${esc(a.quando)}</td><td data-rotulo="${esc(t.colQuem)}">${esc(a.orgao)}${a.papel ? `<br><span class="dica">${esc(a.papel)}</span>` : ''}</td><td data-rotulo="${esc(t.colAplicacao)}">${esc(a.aplicacao)}</td><td data-rotulo="${esc(t.colOQue)}">${esc(a.oQue)}</td><td data-rotulo="${esc(t.colDados)}">${esc(a.campos.join(', '))}</td><td data-rotulo="${esc(t.colParaQue)}">${finalidade(a)}</td></tr>`).join('');
  const nav = `<nav class="paginacao" aria-label="${esc(t.paginas)}">${numero > 1 ? `<a href="/acessos?pagina=${numero - 1}">${esc(t.anterior)}</a>` : ''}<span>${esc(t.paginaDe(numero, paginas))}</span>${numero < paginas ? `<a href="/acessos?pagina=${numero + 1}">${esc(t.proxima)}</a>` : ''}</nav>`;
  const cabecalho = [t.colQuando, t.colQuem, t.colAplicacao, t.colOQue, t.colDados, t.colParaQue].map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  return `<p>${esc(t.intro)}</p>
<p><a href="/acessos.csv" download${idioma === 'pt-BR' ? '' : ' hreflang="pt-BR"'}>${esc(t.baixarCsv)}</a></p>
${r.total === 0 ? `<div class="painel"><p>${esc(t.nenhum)}</p></div>` : `<div class="painel"><table class="responsiva"><caption>${esc(t.legenda(r.total))}</caption><thead><tr>${cabecalho}</tr></thead><tbody>${linhas}</tbody></table></div>${nav}`}`;
}
