/**
 * The public page (pt-BR) that lists and searches the published catalogue. Plain HTML + a small script that reads
 * the JSON-LD at /dados-abertos/cmbd.jsonld; kept as strings so `tsc` output needs no asset copy. CSP allows only
 * same-origin scripts and styles.
 */
export const PAGINA_HTML = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Catálogo Municipal de Bases de Dados (CMBD) — Prefeitura de São Paulo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dados-abertos/cmbd/pagina.css">
<script src="/dados-abertos/cmbd/pagina.js" defer></script>
</head>
<body>
<header>
  <p class="orgao">Prefeitura de São Paulo · Controladoria Geral do Município</p>
  <h1>Catálogo Municipal de Bases de Dados (CMBD)</h1>
  <p>Lista das bases de dados dos órgãos e entidades da Prefeitura (Decreto Municipal nº 54.779/2014). O catálogo identifica a existência das bases; o acesso aos dados segue a Lei de Acesso à Informação.</p>
</header>
<main>
  <section aria-labelledby="titulo-busca">
    <h2 id="titulo-busca" class="visualmente-oculto">Buscar</h2>
    <form id="busca" role="search">
      <label for="termo">Buscar por palavra-chave, título, órgão ou resumo</label>
      <div class="linha">
        <input id="termo" name="termo" type="search" autocomplete="off" placeholder="ex.: escolas, assistência social, SMADS">
        <button type="submit">Buscar</button>
      </div>
    </form>
    <p id="estado" role="status" aria-live="polite">Carregando o catálogo…</p>
    <p class="downloads">Dados abertos: <a id="link-csv" href="/dados-abertos/cmbd.csv">CSV</a> · <a id="link-jsonld" href="/dados-abertos/cmbd.jsonld">JSON-LD (DCAT)</a></p>
  </section>
  <section aria-labelledby="titulo-resultados">
    <h2 id="titulo-resultados">Bases catalogadas</h2>
    <table id="resultados">
      <thead><tr><th scope="col">Órgão</th><th scope="col">Título da base</th><th scope="col">Palavras-chave</th><th scope="col">Periodicidade</th><th scope="col">Situação</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section aria-labelledby="titulo-nao">
    <h2 id="titulo-nao">Órgãos que não participaram da atualização</h2>
    <ul id="nao-participantes"></ul>
  </section>
</main>
<footer><p>Dúvidas: portaldetransparencia@prefeitura.sp.gov.br · (11) 3334-7140</p></footer>
</body>
</html>
`;

export const PAGINA_CSS = `
:root { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 0; }
header { background: #00305e; color: #fff; padding: 1.5rem 2rem; }
header h1 { margin: .25rem 0 .5rem; font-size: 1.6rem; }
header p { margin: 0; max-width: 60rem; }
.orgao { font-size: .9rem; opacity: .85; }
main { padding: 1rem 2rem 2rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
.linha { display: flex; gap: .5rem; max-width: 40rem; }
input[type=search] { flex: 1; font-size: 1rem; padding: .5rem .6rem; border: 2px solid #5b616b; border-radius: 4px; }
input[type=search]:focus, button:focus, a:focus { outline: 3px solid #fdb81e; outline-offset: 1px; }
button { font-size: 1rem; padding: .5rem 1rem; background: #00305e; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid #d6d7d9; }
th { background: #f1f1f1; }
td .resumo { color: #4a4a4a; font-size: .9rem; margin-top: .25rem; }
.etiqueta { display: inline-block; background: #e1f3f8; border-radius: 3px; padding: 0 .35rem; margin: 0 .2rem .2rem 0; font-size: .85rem; }
.inativa { color: #8b0a03; font-weight: 600; }
.visualmente-oculto { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { padding: 1rem 2rem; border-top: 1px solid #d6d7d9; font-size: .9rem; }
`;

export const PAGINA_JS = `'use strict';
(function () {
  var todos = [];
  function chave(s) { return String(s || '').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase(); }
  function el(tag, texto, classe) { var e = document.createElement(tag); if (texto !== undefined) e.textContent = texto; if (classe) e.className = classe; return e; }
  function desenhar(lista) {
    var corpo = document.querySelector('#resultados tbody');
    corpo.replaceChildren();
    lista.forEach(function (d) {
      var tr = el('tr');
      tr.setAttribute('data-id', d['dct:identifier']);
      tr.appendChild(el('td', d['dct:publisher']['cmbd:sigla'] + ' — ' + d['dct:publisher']['foaf:name']));
      var tdTitulo = el('td'); tdTitulo.appendChild(el('strong', d['dct:title'])); tdTitulo.appendChild(el('div', d['dct:description'], 'resumo'));
      tr.appendChild(tdTitulo);
      var tdChaves = el('td'); (d['dcat:keyword'] || []).forEach(function (k) { tdChaves.appendChild(el('span', k, 'etiqueta')); });
      tr.appendChild(tdChaves);
      tr.appendChild(el('td', d['dct:accrualPeriodicity']));
      var inativa = d['cmbd:situacao'] === 'INATIVA';
      var desde = inativa && d['cmbd:inativaDesde'] ? ' desde ' + d['cmbd:inativaDesde']['@value'].split('-').reverse().join('/') : '';
      tr.appendChild(el('td', d['cmbd:situacao'] + desde, inativa ? 'inativa' : ''));
      corpo.appendChild(tr);
    });
  }
  function buscar(termo) {
    var t = chave(termo).trim();
    var lista = !t ? todos : todos.filter(function (d) {
      var texto = [d['dct:title'], d['dct:description'], d['dct:publisher']['foaf:name'], d['dct:publisher']['cmbd:sigla'], d['dcat:theme']].concat(d['dcat:keyword'] || []).join(' ');
      return t.split(/\\s+/).every(function (p) { return chave(texto).indexOf(p) >= 0; });
    });
    desenhar(lista);
    document.getElementById('estado').textContent = t
      ? lista.length + (lista.length === 1 ? ' base encontrada' : ' bases encontradas') + ' para “' + termo.trim() + '”.'
      : lista.length + (lista.length === 1 ? ' base catalogada.' : ' bases catalogadas.');
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('busca').addEventListener('submit', function (ev) { ev.preventDefault(); buscar(document.getElementById('termo').value); });
    document.getElementById('termo').addEventListener('input', function (ev) { buscar(ev.target.value); });
    fetch('/dados-abertos/cmbd.jsonld', { headers: { accept: 'application/ld+json' } }).then(function (r) {
      if (r.status === 404) throw new Error('Nenhum catálogo publicado ainda.');
      if (!r.ok) throw new Error('Não foi possível carregar o catálogo (erro ' + r.status + ').');
      return r.json();
    }).then(function (cat) {
      todos = cat['dcat:dataset'] || [];
      document.querySelector('h1').textContent = 'Catálogo Municipal de Bases de Dados (CMBD) — ' + cat['cmbd:campanha'];
      var ul = document.getElementById('nao-participantes');
      var nao = cat['cmbd:orgaosNaoParticipantes'] || [];
      if (!nao.length) ul.appendChild(el('li', 'Todos os órgãos participaram.'));
      nao.forEach(function (o) { ul.appendChild(el('li', o['cmbd:sigla'] + ' — ' + o['foaf:name'])); });
      buscar(document.getElementById('termo').value);
    }).catch(function (e) { document.getElementById('estado').textContent = e.message; });
  });
})();
`;
