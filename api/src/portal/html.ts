/**
 * The portal's pages are server-rendered HTML: no script at all (the CSP forbids them), one stylesheet, every dynamic
 * value escaped by `esc`. pt-BR first; English second: the layout here (`TEXTOS`), each page's body in its own
 * catalogue next to its code (`catalogo` in idioma.ts).
 */
import { catalogo, esc, linhaHtml, marcarGlosas, type Idioma, type Linha } from './idioma.js';

const PT = {
  titulo: 'Minha conta',
  produto: 'Login Único Municipal',
  cidade: 'Cidade de São Paulo',
  pular: 'Pular para o conteúdo',
  inicio: 'Início',
  meusDados: 'Meus Dados',
  seguranca: 'Segurança',
  acessos: 'Quem acessou meus dados',
  aplicacoes: 'Aplicações Permitidas',
  mensagens: 'Mensagens',
  sair: 'Sair',
  entrar: 'Entrar',
  outroIdioma: 'English',
  menu: 'Menu da área do cidadão',
  rodape: 'Prefeitura de São Paulo — Login Único Municipal e Cadastro Base de Pessoas',
  boasVindas: 'Área do Cidadão',
  descMeusDados: 'Verifique seus dados pessoais, adicione ou altere seus dados, e-mail e endereço.',
  descSeguranca: 'Melhore o nível de segurança da sua conta para obter acesso a mais serviços online.',
  descAcessos: 'Veja quais órgãos e aplicações da Prefeitura consultaram seus dados, quando e para quê.',
  descAplicacoes: 'Gerencie os aplicativos que têm acesso à sua conta e serviços governamentais.',
  descMensagens: 'Verifique suas mensagens com funcionários da Prefeitura e receba notificações sobre suas solicitações.',
  entrarTexto: 'Entre com o Login Único para ver e corrigir seus dados, melhorar o nível da sua conta e saber quem consultou seus dados.',
} as const;

export const TEXTOS = catalogo(PT, {
    titulo: 'My account',
    produto: 'Municipal Single Sign-On',
    cidade: 'City of São Paulo',
    pular: 'Skip to content',
    inicio: 'Home',
    meusDados: 'My data',
    seguranca: 'Security',
    acessos: 'Who accessed my data',
    aplicacoes: 'Allowed applications',
    mensagens: 'Messages',
    sair: 'Sign out',
    entrar: 'Sign in',
    outroIdioma: 'Português',
    menu: 'Citizen area menu',
    rodape: 'City of São Paulo — Municipal Single Sign-On and Citizen Register',
    boasVindas: 'Citizen area',
    descMeusDados: 'Check your personal data, add or change your data, e-mail and address.',
    descSeguranca: 'Raise your account\'s security level to reach more online services.',
    descAcessos: 'See which city bodies and applications read your data, when and why.',
    descAplicacoes: 'Manage the applications that have access to your account and government services.',
    descMensagens: 'Read your messages with City staff and get notices about your requests.',
    entrarTexto: 'Sign in with the Municipal Single Sign-On to see and correct your data, raise your account\'s level and see who read your data.',
});

/** A one-time notice: its lines are in `idioma` (the language of the page that wrote it), fragments in their own. */
export interface Aviso {
  tipo: 'sucesso' | 'erro' | 'info';
  idioma: Idioma;
  linhas: readonly Linha[];
}

export interface Layout {
  idioma: Idioma;
  /** Page title (already in the page's language). */
  titulo: string;
  /** Path of the current page, for aria-current and the language switch. */
  atual: string;
  /** Signed in: the menu and the sign-out form (with its CSRF token). */
  csrf: string | null;
  /** Notice of the previous action. */
  aviso?: Aviso | undefined;
  corpo: string;
}

/** The whole page: header with the city's wordmark, menu, notice, content, footer. */
export function pagina(l: Layout): string {
  const t = TEXTOS[l.idioma];
  const item = (href: string, rotulo: string) =>
    `<li><a href="${href}"${l.atual === href ? ' aria-current="page"' : ''}>${esc(rotulo)}</a></li>`;
  const menu = l.csrf === null ? '' : `
    <nav aria-label="${esc(t.menu)}"><ul class="menu">
      ${item('/', t.inicio)}${item('/meus-dados', t.meusDados)}${item('/seguranca', t.seguranca)}${item('/aplicacoes', t.aplicacoes)}${item('/mensagens', t.mensagens)}${item('/acessos', t.acessos)}
    </ul></nav>`;
  const sair = l.csrf === null
    ? `<a class="botao botao-claro" href="/entrar">${esc(t.entrar)}</a>`
    : `<form method="post" action="/sair" class="form-sair"><input type="hidden" name="_csrf" value="${esc(l.csrf)}"><button type="submit" class="botao botao-claro">${esc(t.sair)}</button></form>`;
  // A notice written before a language switch keeps its language, and says so.
  const aviso = l.aviso && l.aviso.linhas.length > 0
    ? `<div class="aviso aviso-${l.aviso.tipo}" role="${l.aviso.tipo === 'erro' ? 'alert' : 'status'}"${l.aviso.idioma === l.idioma ? '' : ` lang="${l.aviso.idioma}"`}>${l.aviso.linhas.map((x) => `<p>${linhaHtml(x, l.aviso!.idioma)}</p>`).join('')}</div>`
    : '';
  const outro = l.idioma === 'pt-BR' ? 'en' : 'pt-BR';
  const cabeca = `<!doctype html>
<html lang="${l.idioma}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(l.titulo)} — ${esc(t.titulo)} — ${esc(t.produto)}</title>
<link rel="stylesheet" href="/estatico/portal.css">
</head>
`;
  // The body of an English page marks the Portuguese glosses of its text (`marcarGlosas`).
  const corpo = `<body>
<a class="pular" href="#conteudo">${esc(t.pular)}</a>
<header class="topo">
  <div class="marca"><span class="cidade">${esc(t.cidade)}</span><span class="produto">${esc(t.produto)} · ${esc(t.titulo)}</span></div>
  <div class="acoes-topo"><a class="idioma" href="/idioma?para=${outro}&amp;volta=${encodeURIComponent(l.atual)}" lang="${outro}">${esc(t.outroIdioma)}</a>${sair}</div>
</header>
${menu}
<main id="conteudo" tabindex="-1">
${aviso}
<h1>${esc(l.titulo)}</h1>
${l.corpo}
</main>
<footer class="rodape"><p>${esc(t.rodape)}</p></footer>
</body>
</html>`;
  return cabeca + (l.idioma === 'en' ? marcarGlosas(corpo) : corpo);
}

/** The stylesheet (the city's colours, as the login theme; readable at 320 px; visible focus). */
export const CSS = `
:root { --azul: #003b7a; --azul-escuro: #002a57; --link: #0b4f9c; --vermelho: #c8102e; --fundo: #eef1f5; --texto: #1b1b1b; --suave: #444b55; --foco: #ffbf47; --verde: #1e6b34; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--texto); background: var(--fundo); line-height: 1.5; font-size: 1rem; }
a { color: var(--link); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, main:focus-visible { outline: 3px solid var(--foco); outline-offset: 2px; }
main:focus { outline: none; }
.pular { position: absolute; left: -9999px; top: 0; background: var(--foco); color: #000; padding: .5rem 1rem; z-index: 10; }
.pular:focus { left: 0; }
.topo { background: var(--azul); color: #fff; display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem; padding: .75rem 1rem; border-bottom: 4px solid var(--vermelho); }
.marca { display: flex; flex-direction: column; }
.cidade { font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; }
.produto { font-size: .9rem; }
.acoes-topo { display: flex; align-items: center; gap: .75rem; }
.idioma { color: #fff; }
.form-sair { margin: 0; }
.menu { list-style: none; margin: 0; padding: .25rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; background: #fff; border-bottom: 1px solid #c9d1dc; }
.menu a { display: inline-block; padding: .5rem 0; text-decoration: none; font-weight: 600; }
.menu a[aria-current="page"] { border-bottom: 3px solid var(--vermelho); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { color: var(--azul-escuro); font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { color: var(--azul-escuro); font-size: 1.2rem; margin-top: 1.5rem; }
.cartoes { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; }
.cartao { background: #fff; border: 1px solid #c9d1dc; border-radius: 6px; padding: 1rem; }
.cartao h2 { margin-top: 0; }
.botao { display: inline-block; background: var(--azul); color: #fff; border: 2px solid var(--azul); border-radius: 4px; padding: .5rem 1rem; font-size: 1rem; font-weight: 600; text-decoration: none; cursor: pointer; min-height: 44px; }
.botao-claro { background: #fff; color: var(--azul); border-color: #fff; }
.painel { background: #fff; border: 1px solid #c9d1dc; border-radius: 6px; padding: 1rem; margin-bottom: 1rem; overflow-x: auto; }
dl.dados { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: .25rem 1rem; margin: 0; }
dl.dados dt { font-weight: 600; color: var(--suave); }
dl.dados dd { margin: 0; overflow-wrap: anywhere; }
fieldset { border: 1px solid #c9d1dc; border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 700; color: var(--azul-escuro); padding: 0 .25rem; }
.campo { margin-bottom: .75rem; }
.campo label { display: block; font-weight: 600; }
.campo input, .campo select, .campo textarea { width: 100%; max-width: 32rem; padding: .5rem; font-size: 1rem; border: 1px solid #6b7480; border-radius: 4px; min-height: 44px; }
.dica { color: var(--suave); font-size: .9rem; margin: .15rem 0 0; }
.aviso { border-left: 6px solid var(--link); background: #fff; padding: .5rem 1rem; margin-bottom: 1rem; }
.aviso p { margin: .25rem 0; }
.aviso-sucesso { border-color: var(--verde); }
.aviso-erro { border-color: var(--vermelho); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #c9d1dc; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #e3e8ef; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
.paginacao { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
.notificacoes { list-style: none; padding: 0; }
.notificacoes p { overflow-wrap: anywhere; }
.notificacoes li { border-bottom: 1px solid #e3e8ef; padding: .25rem 0; }
.notificacoes li.nova { border-left: 4px solid var(--vermelho); padding-left: .5rem; }
.rodape { text-align: center; color: var(--suave); font-size: .85rem; padding: 1rem; }
@media (max-width: 40rem) {
  dl.dados { grid-template-columns: 1fr; }
  dl.dados dd { margin-bottom: .5rem; }
  table.responsiva thead { position: absolute; left: -9999px; }
  table.responsiva caption { display: block; width: 100%; }
  table.responsiva, table.responsiva tbody, table.responsiva tr, table.responsiva td { display: block; width: 100%; }
  table.responsiva tr { margin-bottom: .75rem; border: 1px solid #c9d1dc; }
  table.responsiva td { border: none; border-bottom: 1px solid #e3e8ef; }
  table.responsiva td::before { content: attr(data-rotulo); display: block; font-weight: 700; color: var(--suave); }
}
`;
