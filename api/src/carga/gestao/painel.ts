/**
 * The stewards' page (pt-BR) of the batch load: the whole-base diagnosis in the source document's categories, the
 * requests in the queue and the recent loads. Rendered on the server from the same data as the JSON routes, every
 * value escaped; no script at all, and the only style is the inline sheet below, allowed by its hash in the CSP.
 */
import { createHash } from 'node:crypto';
import type { CategoriasDiagnostico } from './categorias.js';
import { descreverIlegiveis, ROTULOS_MOTIVO_CPF } from './categorias.js';
import type { CargaJson, DiagnosticoDaBaseJson, ListaCargas, PedidoCargaJson } from './cargas.service.js';

const CSS = `
:root { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 0; }
header { background: #00305e; color: #fff; padding: 1.25rem 2rem; }
header h1 { margin: .25rem 0 .5rem; font-size: 1.5rem; }
header p { margin: 0; max-width: 60rem; }
.orgao { font-size: .9rem; }
main { padding: 1rem 2rem 2rem; }
h2 { font-size: 1.25rem; margin-top: 1.75rem; }
table { border-collapse: collapse; margin-top: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid #d6d7d9; }
th { background: #f1f1f1; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.sub th { font-weight: normal; padding-left: 1.6rem; }
.falhou { color: #8b0a03; font-weight: 600; }
.vazio { color: #4a4a4a; font-style: italic; }
.visualmente-oculto { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { padding: 1rem 2rem; border-top: 1px solid #d6d7d9; font-size: .9rem; }
`;

/** CSP of the page: nothing but the inline sheet above. */
export const CSP_PAINEL = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapar = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const numero = new Intl.NumberFormat('pt-BR');
const n = (v: number): string => numero.format(v);
const dataHora = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'short' });
const quando = (iso: string | null): string => (iso ? `<time datetime="${escapar(iso)}">${escapar(dataHora.format(new Date(iso)))}</time>` : '—');

const SITUACOES: Record<string, string> = { aguardando: 'aguardando', 'em-andamento': 'em andamento', concluida: 'concluída', falhou: 'falhou' };
const FASES: Record<string, string> = {
  lendo: 'lendo o arquivo', particionando: 'separando CPFs de outra pessoa', fundindo: 'fundindo por CPF', vinculando: 'vinculando sem CPF',
  registrando: 'registrando', concluida: 'concluída',
};

function linha(rotulo: string, valor: number | undefined, sub = false): string {
  if (valor === undefined) return '';
  return `<tr${sub ? ' class="sub"' : ''}><th scope="row">${escapar(rotulo)}</th><td class="n">${n(valor)}</td></tr>`;
}

/** The categories as a two-column table, in the source document's order and words. */
function tabelaDiagnostico(d: CategoriasDiagnostico, legenda: string): string {
  const motivos = Object.entries(d.cpfsInvalidos.porMotivo).sort(([a], [b]) => a.localeCompare(b))
    .map(([m, v]) => linha(`por motivo: ${ROTULOS_MOTIVO_CPF[m] ?? m} — registros (valores distintos: ${n(v.valoresDistintos)})`, v.linhas, true)).join('');
  return `<table>
<caption class="visualmente-oculto">${escapar(legenda)}</caption>
<thead><tr><th scope="col">Categoria</th><th scope="col" class="n">Quantidade</th></tr></thead>
<tbody>
${linha('Registros lidos', d.registrosLidos)}
${linha('CPFs únicos', d.cpfsUnicos)}
${linha('CPFs válidos', d.cpfsValidos)}
${linha('CPFs inválidos/falsos — valores distintos', d.cpfsInvalidos.valoresDistintos)}
${linha('CPFs inválidos/falsos — registros', d.cpfsInvalidos.linhas)}
${motivos}
${linha('Sem CPF', d.semCpf)}
${linha('CPF de outra pessoa (ex.: criança com o CPF da mãe)', d.cpfDeOutraPessoa)}
${linha('CPFs de responsável devolvidos ao titular (registro mestre refeito)', d.cpfsDevolvidosAoTitular)}
${linha('Fundidos', d.fundidos)}
${linha('Casados sem CPF', d.casadosSemCpf)}
${linha('Em quarentena (CPF inválido, sem vínculo)', d.emQuarentena)}
${linha('Novas identidades', d.novasIdentidades)}
${linha('Identidades pendentes (aguardando gestor)', d.pendentes)}
${linha('Itens de revisão abertos — campos', d.itensDeRevisaoAbertos.campos)}
${linha('Itens de revisão abertos — vínculo', d.itensDeRevisaoAbertos.vinculo)}
${linha('Registros sem chave na fonte', d.semChave)}
${linha('Chaves duplicadas na fonte', d.chavesDuplicadas)}
${linha('Inalterados (já carregados iguais)', d.inalterados)}
</tbody>
</table>`;
}

function progresso(p: PedidoCargaJson): string {
  if (!p.progresso) return '—';
  const fase = FASES[p.progresso.fase] ?? p.progresso.fase;
  return `${escapar(fase)}: ${n(p.progresso.feitas)}${p.progresso.total === null ? '' : ` de ${n(p.progresso.total)}`}`;
}

function tabelaFila(pedidos: PedidoCargaJson[] | null): string {
  if (pedidos === null) return '<p class="vazio">A fila de cargas não respondeu agora; as cargas abaixo vêm do banco de dados.</p>';
  if (pedidos.length === 0) return '<p class="vazio">Nenhum pedido aguardando ou em andamento.</p>';
  return `<table>
<thead><tr><th scope="col">Pedido</th><th scope="col">Fonte</th><th scope="col">Arquivo</th><th scope="col">Situação</th><th scope="col">Progresso</th><th scope="col">Solicitado por</th><th scope="col">Solicitado em</th></tr></thead>
<tbody>
${pedidos.map((p) => `<tr><td>${escapar(p.id)}</td><td>${escapar(p.fonte)}</td><td>${escapar(p.arquivo)}</td><td>${escapar(SITUACOES[p.situacao] ?? p.situacao)}</td><td>${progresso(p)}</td><td>${escapar(p.solicitadaPor)}</td><td>${quando(p.solicitadaEm)}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

function celulaNumero(v: number | undefined): string {
  return `<td class="n">${v === undefined ? '—' : n(v)}</td>`;
}

/** Rows not loaded because they could not be read, where the first are and why. */
function celulaIlegiveis(d: CategoriasDiagnostico | undefined): string {
  if (d?.linhasIlegiveis === undefined) return celulaNumero(undefined);
  return `<td class="n">${escapar(descreverIlegiveis(d.linhasIlegiveis, n))}</td>`;
}

function tabelaCargas(cargas: CargaJson[]): string {
  if (cargas.length === 0) return '<p class="vazio">Nenhuma carga registrada ainda.</p>';
  return `<table>
<thead><tr><th scope="col">Carga</th><th scope="col">Fonte (CMBD)</th><th scope="col">Arquivo</th><th scope="col">Situação</th><th scope="col">Fase</th>
<th scope="col" class="n">Registros lidos</th><th scope="col" class="n">Linhas ilegíveis (colunas a mais ou a menos, codificação)</th><th scope="col" class="n">CPFs válidos</th><th scope="col" class="n">CPFs inválidos (registros)</th><th scope="col" class="n">Sem CPF</th>
<th scope="col" class="n">Itens de revisão abertos</th><th scope="col">Iniciada em</th><th scope="col">Concluída em</th></tr></thead>
<tbody>
${cargas.map((c) => {
    const d = c.diagnostico ?? undefined;
    const situacao = `<td${c.situacao === 'falhou' ? ' class="falhou"' : ''}>${escapar(SITUACOES[c.situacao] ?? c.situacao)}${c.erro ? `: ${escapar(c.erro.slice(0, 200))}` : ''}</td>`;
    return `<tr><td>${escapar(c.id)}</td><td>${escapar(c.fonte)} (${escapar(c.cmbd.sigla)})</td><td>${escapar(c.arquivo)}</td>${situacao}<td>${escapar(FASES[c.fase] ?? c.fase)}</td>`
      + `${celulaNumero(d?.registrosLidos ?? c.linhasConfirmadas)}${celulaIlegiveis(d)}${celulaNumero(d?.cpfsValidos)}${celulaNumero(d?.cpfsInvalidos.linhas)}${celulaNumero(d?.semCpf)}`
      + `${celulaNumero(d ? d.itensDeRevisaoAbertos.campos + d.itensDeRevisaoAbertos.vinculo : undefined)}<td>${quando(c.iniciadaEm)}</td><td>${quando(c.concluidaEm)}</td></tr>`;
  }).join('\n')}
</tbody>
</table>`;
}

export function paginaPainel(dados: { base: DiagnosticoDaBaseJson; cargas: ListaCargas }): string {
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Carga em lote — diagnóstico do Cadastro Base</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<header>
  <p class="orgao">Prefeitura de São Paulo · Cadastro Base de Pessoas</p>
  <h1>Carga em lote: diagnóstico do cadastro</h1>
  <p>Situação das cargas das bases municipais e o diagnóstico de toda a base, nas categorias do processo de carga em lote. Gerado em ${quando(dados.base.geradoEm)}.</p>
</header>
<main>
  <section aria-labelledby="titulo-base">
    <h2 id="titulo-base">Diagnóstico de toda a base</h2>
    ${tabelaDiagnostico(dados.base.diagnostico, 'Diagnóstico de toda a base, por categoria')}
  </section>
  <section aria-labelledby="titulo-fila">
    <h2 id="titulo-fila">Pedidos na fila</h2>
    ${tabelaFila(dados.cargas.naFila)}
  </section>
  <section aria-labelledby="titulo-cargas">
    <h2 id="titulo-cargas">Cargas recentes</h2>
    ${tabelaCargas(dados.cargas.itens)}
  </section>
</main>
<footer><p>Os mesmos dados em JSON: GET /cargas/diagnostico e GET /cargas. Itens de revisão de vínculo: GET /revisoes-vinculo.</p></footer>
</body>
</html>
`;
}
