/**
 * Área do Cidadão ("Minha conta", issue 14): a server-rendered portal served by the API process on its own port
 * (the realm's `portal-cidadao` client, `LUM_PORTAL_URL`). It signs in through the realm with authorization code +
 * PKCE, keeps the tokens in a server-side session (Redis), and calls the API's own logic in process — /me
 * (`me.service.ts`), Entrada Única, the audit log — with the signed-in citizen's verified access token, exactly as the
 * API routes do. No script runs in the pages (CSP `script-src 'none'`); every form carries a CSRF token.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { PAPEL_CIDADAO } from '../auth/papeis.js';
import type { VerificadorToken } from '../auth/verificador-token.js';
import { ApiError } from '../errors/api-error.js';
import { paraApiError } from '../errors/error-handler.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { alterarMeusDados, lerMeusDados } from '../me/me.service.js';
import { PoliticaNegada } from '../pmcc/politica-negada.error.js';
import { NOMES_DO_ORGAO, acessosEmCsv, lerAcessos } from './acessos.service.js';
import { paginaAcessos } from './acessos-pagina.js';
import { decodeJwt } from 'jose';
import {
  TEXTOS_APLICACOES, encerrarSessao, listaDeSessoes, listarAplicacoes, paginaAplicacoes, revogarAplicacao, type KeycloakAplicacoes,
} from './aplicacoes.js';
import { CSS, TEXTOS, pagina } from './html.js';
import { catalogo, esc, ptBR, type Catalogo, type Idioma, type Linha } from './idioma.js';
import {
  NOMES_DO_FORMULARIO, TEXTOS_MEUS_DADOS, formulario, linhasRecusaPmcc, listaDePedidos, mudancaDoFormulario, pedidosDoCidadao, perfilSomenteLeitura,
  valoresDoFormulario, valoresDoRegistro,
} from './meus-dados.js';
import type { ClienteOidc } from './oidc.js';
import { nomeDaAplicacao, rotuloCampo } from './rotulos.js';
import { listarNotificacoes, marcarTodasComoLidas, paginaNotificacoes } from './notificacoes.js';
import { TEXTOS_CONVERSAS, paginaConversa, paginaMensagens, type ValoresNovaConversa } from './conversas.js';
import { NovaConversaDto, NovaMensagemDto } from '../mensagens/conversa.dto.js';
import { abrirConversa, lerConversaDoCidadao, listarConversasDoCidadao, responderComoCidadao } from '../mensagens/conversas.service.js';
import { definirAvisoEmail, lerAvisoEmail } from '../mensagens/avisos.js';
import { uuidDoParametro } from '../http/parametros.js';
import { validarCorpo } from '../validation/validar.js';
import { ACOES_KEYCLOAK, TEXTOS_SEGURANCA, paginaSeguranca } from './seguranca.js';
import { SessoesPortal, csrfConfere, type Sessao } from './sessao.js';

export interface DepsPortal {
  dataSource: DataSource;
  redis: Redis;
  fila: FilaSyncNivel;
  logger: Logger;
  verificarToken: VerificadorToken;
  oidc: ClienteOidc;
  /** The portal's public base URL, without a trailing slash (the realm's `portal-cidadao` redirect URIs). */
  urlPublica: string;
  /** Keycloak's public realm URL (`<keycloak>/realms/<realm>`), for the account console's device page. */
  urlRealm: string;
  /** Redis key prefix of the sessions. */
  prefixo: string;
  /** Keycloak's admin API for Aplicações Permitidas (consents, sessions, revocation). */
  aplicacoes: KeycloakAplicacoes;
}

const TAMANHO_PAGINA = 20;

/** The portal's own messages: errors of a request, the notices of sign-in, the error pages. */
const PT_PORTAL = {
  parametroNaoPermitido: (nome: string) => `Parâmetro não permitido: ${nome}`,
  parametroRepetido: (nome: string) => `${nome} deve aparecer uma única vez`,
  origemDesconhecida: 'Pedido recusado: origem desconhecida',
  formularioExpirado: 'Pedido recusado: o formulário expirou ou não veio desta página. Abra a página de novo e tente outra vez.',
  semPapelCidadao: 'Esta área é para cidadãos: sua conta não tem o papel de cidadão.',
  idiomaDesconhecido: 'Idioma desconhecido: use pt-BR ou en',
  provedorDesconhecido: 'Provedor de identidade desconhecido',
  acaoDesconhecida: 'Ação desconhecida',
  semEntrada: 'Nenhuma entrada em andamento nesta sessão: comece de novo pelo botão Entrar.',
  acaoCancelada: 'Ação cancelada: nada foi alterado.',
  entradaNaoConcluida: 'A entrada não foi concluída. Tente de novo.',
  codigoInvalido: 'A entrada não foi concluída (código inválido ou expirado). Tente de novo pelo botão Entrar.',
  segurancaConcluida: 'Pronto: a alteração de segurança foi concluída no Login Único.',
  campoDesconhecido: (nomes: string) => `Campo desconhecido no formulário: ${nomes}`,
  sessaoInvalida: 'Sessão inválida',
  aplicacaoInvalida: 'Aplicação inválida',
  conversaNaoEncontrada: 'Conversa não encontrada',
  ativoInvalido: 'ativo deve ser true ou false',
  paginaInvalida: 'pagina deve ser um número inteiro de 1 a 10000',
  paginaNaoEncontrada: 'Página não encontrada',
  paginaNaoExiste: 'Esta página não existe.',
  voltarAoInicio: 'Voltar ao início',
  tituloRecusado: 'Acesso recusado',
  tituloNaoEncontrado: 'Não encontrado',
  tituloNaoConcluido: 'Não foi possível concluir',
  erroInterno: 'Erro interno: tente de novo em alguns instantes.',
  /** Only on the English page, before a pt-BR message of the API. */
  motivoEmPortugues: 'O motivo:',
};

export const TEXTOS_PORTAL = catalogo(PT_PORTAL, {
  parametroNaoPermitido: (nome: string) => `Parameter not allowed: ${nome}`,
  parametroRepetido: (nome: string) => `${nome} must appear only once`,
  origemDesconhecida: 'Request refused: unknown origin',
  formularioExpirado: 'Request refused: the form expired or did not come from this page. Open the page again and try once more.',
  semPapelCidadao: 'This area is for citizens: your account does not have the citizen role.',
  idiomaDesconhecido: 'Unknown language: use pt-BR or en',
  provedorDesconhecido: 'Unknown identity provider',
  acaoDesconhecida: 'Unknown action',
  semEntrada: 'No sign-in under way in this session: start again with the Sign in button.',
  acaoCancelada: 'Action cancelled: nothing was changed.',
  entradaNaoConcluida: 'The sign-in was not completed. Try again.',
  codigoInvalido: 'The sign-in was not completed (invalid or expired code). Try again with the Sign in button.',
  segurancaConcluida: 'Done: the security change was completed in the Municipal Single Sign-On.',
  campoDesconhecido: (nomes: string) => `Unknown field in the form: ${nomes}`,
  sessaoInvalida: 'Invalid session',
  aplicacaoInvalida: 'Invalid application',
  conversaNaoEncontrada: 'Conversation not found',
  ativoInvalido: 'ativo must be true or false',
  paginaInvalida: 'pagina must be a whole number from 1 to 10000',
  paginaNaoEncontrada: 'Page not found',
  paginaNaoExiste: 'This page does not exist.',
  voltarAoInicio: 'Back to the home page',
  tituloRecusado: 'Access refused',
  tituloNaoEncontrado: 'Not found',
  tituloNaoConcluido: 'Could not complete',
  erroInterno: 'Internal error: try again in a few moments.',
  motivoEmPortugues: 'The reason, from the register, is in Portuguese:',
});
type TextosPortal = Catalogo<typeof PT_PORTAL>;

declare module 'express-serve-static-core' {
  interface Request {
    sessaoPortal?: Sessao;
  }
}

function sessaoDe(req: Request): Sessao {
  if (!req.sessaoPortal) throw new Error('sessão do portal ausente');
  return req.sessaoPortal;
}

/** A path of this portal to come back to after signing in (never another origin). */
function voltaSegura(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[A-Za-z0-9\-_/.?=&]*$/.test(v) && !v.startsWith('/\\') ? v : '/';
}

/** 400 for query parameters a page does not take. */
function consultaSo(req: Request, permitidos: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (!permitidos.includes(k)) throw new ErroDePagina(400, (t) => t.parametroNaoPermitido(k));
    if (typeof v !== 'string') throw new ErroDePagina(400, (t) => t.parametroRepetido(k));
    out[k] = v;
  }
  return out;
}

/** An error of the portal itself: its message in the page's language (pt-BR in the log). */
class ErroDePagina extends Error {
  constructor(readonly status: number, readonly texto: (t: TextosPortal) => string) {
    super(texto(TEXTOS_PORTAL['pt-BR']));
  }
}

const idiomaDe = (req: Request): Idioma => req.sessaoPortal?.dados.idioma ?? 'pt-BR';

export function criarPortal(deps: DepsPortal): Express {
  const { dataSource, logger, oidc } = deps;
  const sessoes = new SessoesPortal(deps.redis, deps.prefixo, deps.urlPublica.startsWith('https:'));
  const origem = new URL(deps.urlPublica).origin;
  const redirectUri = `${deps.urlPublica}/callback`;
  const urlKeycloak = new URL(deps.urlRealm).origin;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy',
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${urlKeycloak}; frame-ancestors 'none'; base-uri 'none'`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the portal's own form posts.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/estatico/portal.css', (_req, res) => {
    res.type('text/css').send(CSS);
  });
  // Browsers ask for it on their own; the portal has none.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  app.use(async (req, _res, next) => {
    req.sessaoPortal = await sessoes.carregar(req);
    next();
  });

  /** Writes: a form body (urlencoded, small), the CSRF token of the session, and our own Origin when the browser sends one. */
  const formulario_ = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 40 });
  const exigirCsrf = (req: Request, _res: Response, next: NextFunction) => {
    const o = req.get('origin');
    if (o !== undefined && o !== origem) throw new ErroDePagina(403, (t) => t.origemDesconhecida);
    const corpo: unknown = req.body;
    if (typeof corpo !== 'object' || corpo === null || !csrfConfere(sessaoDe(req), (corpo as Record<string, unknown>)['_csrf'])) {
      throw new ErroDePagina(403, (t) => t.formularioExpirado);
    }
    next();
  };

  /** The current session's notice, in the session's language now. */
  const avisar = (req: Request, tipo: 'sucesso' | 'erro' | 'info', linhas: readonly Linha[]) => {
    const s = sessaoDe(req);
    s.dados.aviso = { tipo, idioma: s.dados.idioma, linhas };
  };

  /** Which field names of a form the page does not take (400, named). */
  const semCamposDesconhecidos = (corpo: Record<string, unknown>, conhecidos: readonly string[]) => {
    const desconhecidos = Object.keys(corpo).filter((k) => !conhecidos.includes(k));
    if (desconhecidos.length > 0) throw new ErroDePagina(400, (t) => t.campoDesconhecido(desconhecidos.join(', ')));
  };

  const render = async (req: Request, res: Response, titulo: string, corpo: string, status = 200) => {
    const s = sessaoDe(req);
    const aviso = s.dados.aviso;
    delete s.dados.aviso;
    await sessoes.salvar(res, s);
    res.status(status).type('html').send(pagina({ idioma: s.dados.idioma, titulo, atual: req.path, csrf: s.dados.tokens ? s.dados.csrf : null, aviso, corpo }));
  };

  const redirecionar = async (req: Request, res: Response, para: string) => {
    await sessoes.salvar(res, sessaoDe(req));
    res.redirect(303, para);
  };

  /**
   * The signed-in citizen, from the session's access token (renewed with the refresh token when about to expire),
   * verified as every API request is; null after redirecting to sign-in.
   */
  const cidadao = async (req: Request, res: Response): Promise<Principal | null> => {
    const s = sessaoDe(req);
    const t = s.dados.tokens;
    if (!t) {
      await redirecionar(req, res, `/entrar?volta=${encodeURIComponent(req.originalUrl)}`);
      return null;
    }
    if (t.expiraEm - 15_000 < Date.now()) {
      try {
        s.dados.tokens = await oidc.renovar(t.renovacao ?? '');
      } catch (err) {
        req.log?.info({ motivo: (err as Error).message }, 'renovação do token recusada');
        delete s.dados.tokens;
        await redirecionar(req, res, `/entrar?volta=${encodeURIComponent(req.originalUrl)}`);
        return null;
      }
    }
    let principal: Principal;
    try {
      principal = await deps.verificarToken(s.dados.tokens!.acesso);
    } catch (err) {
      // A token the API no longer accepts (e.g. the realm's keys rotated): signed out, not an error page.
      req.log?.info({ motivo: (err as Error).message }, 'token da sessão recusado');
      delete s.dados.tokens;
      await redirecionar(req, res, `/entrar?volta=${encodeURIComponent(req.originalUrl)}`);
      return null;
    }
    if (!principal.roles.includes(PAPEL_CIDADAO)) throw new ErroDePagina(403, (t) => t.semPapelCidadao);
    return principal;
  };

  app.get('/', async (req, res) => {
    consultaSo(req, []);
    const s = sessaoDe(req);
    const t = TEXTOS[s.dados.idioma];
    if (!s.dados.tokens) {
      await render(req, res, t.boasVindas, `<div class="painel"><p>${esc(t.entrarTexto)}</p><p><a class="botao" href="/entrar">${esc(t.entrar)}</a></p></div>`);
      return;
    }
    const cartao = (href: string, titulo: string, desc: string) => `<li class="cartao"><h2><a href="${href}">${esc(titulo)}</a></h2><p>${esc(desc)}</p></li>`;
    await render(req, res, t.titulo, `<ul class="cartoes">${cartao('/meus-dados', t.meusDados, t.descMeusDados)}${cartao('/seguranca', t.seguranca, t.descSeguranca)}${cartao('/aplicacoes', t.aplicacoes, t.descAplicacoes)}${cartao('/mensagens', t.mensagens, t.descMensagens)}${cartao('/acessos', t.acessos, t.descAcessos)}</ul>`);
  });

  app.get('/idioma', async (req, res) => {
    const q = consultaSo(req, ['para', 'volta']);
    const para = q['para'];
    if (para !== 'pt-BR' && para !== 'en') throw new ErroDePagina(400, (t) => t.idiomaDesconhecido);
    sessaoDe(req).dados.idioma = para;
    await redirecionar(req, res, voltaSegura(q['volta']));
  });

  /** Sign-in (and Keycloak's required actions): a new authorization request, its PKCE verifier kept in the session. */
  const iniciarLogin = async (req: Request, res: Response, volta: string, acao?: string, idp?: string) => {
    const s = sessaoDe(req);
    const pedido = await oidc.iniciar({ redirectUri, acao, idp, idioma: s.dados.idioma });
    s.dados.login = { state: pedido.state, verificador: pedido.verificador, nonce: pedido.nonce, volta };
    await sessoes.salvar(res, s);
    res.redirect(303, pedido.url);
  };

  app.get('/entrar', async (req, res) => {
    const q = consultaSo(req, ['volta', 'idp']);
    if (q['idp'] !== undefined && q['idp'] !== 'govbr') throw new ErroDePagina(400, (t) => t.provedorDesconhecido);
    await iniciarLogin(req, res, voltaSegura(q['volta']), undefined, q['idp']);
  });

  app.get('/acao/:acao', async (req, res) => {
    consultaSo(req, []);
    const acao = Object.hasOwn(ACOES_KEYCLOAK, req.params.acao) ? ACOES_KEYCLOAK[req.params.acao] : undefined;
    if (!acao) throw new ErroDePagina(404, (t) => t.acaoDesconhecida);
    if (!(await cidadao(req, res))) return;
    await iniciarLogin(req, res, '/seguranca', acao);
  });

  app.get('/callback', async (req, res) => {
    const s = sessaoDe(req);
    const login = s.dados.login;
    delete s.dados.login;
    const q = req.query;
    if (!login) throw new ErroDePagina(400, (t) => t.semEntrada);
    const status = typeof q['kc_action_status'] === 'string' ? q['kc_action_status'] : undefined;
    if (typeof q['error'] === 'string') {
      // A required action cancelled comes back as an error with the session intact.
      const t = TEXTOS_PORTAL[s.dados.idioma];
      avisar(req, 'erro', [status === 'cancelled' ? t.acaoCancelada : t.entradaNaoConcluida]);
      await redirecionar(req, res, s.dados.tokens ? login.volta : '/');
      return;
    }
    let tokens;
    try {
      tokens = await oidc.concluir(new URL(req.originalUrl, deps.urlPublica), login);
    } catch (err) {
      req.log?.info({ motivo: (err as Error).message }, 'troca do código recusada');
      throw new ErroDePagina(400, (t) => t.codigoInvalido);
    }
    const nova = await sessoes.renovarId(s);
    nova.dados.tokens = tokens;
    if (status === 'success') nova.dados.aviso = { tipo: 'sucesso', idioma: nova.dados.idioma, linhas: [TEXTOS_PORTAL[nova.dados.idioma].segurancaConcluida] };
    req.sessaoPortal = nova;
    await redirecionar(req, res, login.volta);
  });

  app.post('/sair', formulario_, exigirCsrf, async (req, res) => {
    const s = sessaoDe(req);
    const idToken = s.dados.tokens?.id ?? null;
    await sessoes.encerrar(res, s);
    const url = await oidc.urlDeSaida(idToken, `${deps.urlPublica}/`);
    res.redirect(303, url ?? '/');
  });

  app.get('/meus-dados', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    await render(req, res, TEXTOS[s.dados.idioma].meusDados, await corpoMeusDados(principal, s.dados.csrf, s.dados.idioma));
  });

  const corpoMeusDados = async (principal: Principal, csrf: string, idioma: Idioma, enviado?: ReturnType<typeof valoresDoFormulario>): Promise<string> => {
    const t = TEXTOS_MEUS_DADOS[idioma];
    const meus = await lerMeusDados(dataSource, principal);
    if (!meus.pessoa) {
      return `<div class="painel"><p>${esc(t.semVinculo)}</p>
<p><a href="/seguranca">${esc(t.semVinculoLink)}</a></p></div>`;
    }
    const p = meus.pessoa;
    const pedidos = await pedidosDoCidadao(dataSource, principal, String(p['cpf']));
    const v = { ...valoresDoRegistro(p, idioma), ...enviado };
    return `<section class="painel" aria-labelledby="t-perfil"><h2 id="t-perfil">${esc(t.perfil)}</h2>${perfilSomenteLeitura(p, idioma)}</section>
<section aria-labelledby="t-pedidos"><h2 id="t-pedidos">${esc(t.pedidos)}</h2><div class="painel">${listaDePedidos(pedidos, idioma)}</div></section>
<section aria-labelledby="t-alterar"><h2 id="t-alterar">${esc(t.alterar)}</h2>${formulario(p, v, csrf, idioma)}</section>`;
  };

  app.post('/meus-dados', formulario_, exigirCsrf, async (req, res) => {
    const corpo = req.body as Record<string, unknown>;
    semCamposDesconhecidos(corpo, NOMES_DO_FORMULARIO);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    const meus = await lerMeusDados(dataSource, principal);
    if (!meus.pessoa) {
      await redirecionar(req, res, '/meus-dados');
      return;
    }
    const idioma = s.dados.idioma;
    const t = TEXTOS_MEUS_DADOS[idioma];
    const enviado = valoresDoFormulario(corpo);
    const mudanca = mudancaDoFormulario(meus.pessoa, enviado);
    if (Object.keys(mudanca).length === 0) {
      avisar(req, 'info', [t.nadaAlterado]);
      await redirecionar(req, res, '/meus-dados');
      return;
    }
    const versao = typeof corpo['versao'] === 'string' && /^\d{1,9}$/.test(corpo['versao']) ? Number(corpo['versao']) : null;
    try {
      const r = await alterarMeusDados({ dataSource, fila: deps.fila, logger: req.log ?? logger }, principal, mudanca, { versaoEsperada: versao, dryRun: false });
      const aplicados = r.mudancas.filter((m) => m.decisao.aplicar).map((m) => rotuloCampo(m.campo, idioma));
      const pendentes = r.mudancas.filter((m) => !m.decisao.aplicar && m.decisao.abrirRevisao).map((m) => rotuloCampo(m.campo, idioma));
      avisar(req, 'sucesso', [
        ...(aplicados.length > 0 ? [t.gravada(aplicados.join(', '))] : []),
        ...(pendentes.length > 0 ? [t.pendenteAviso(pendentes.join(', '))] : []),
      ]);
      await redirecionar(req, res, '/meus-dados');
    } catch (err) {
      const e = paraApiError(err);
      if (e.status >= 500) throw err;
      // PMCC refusals by their code; any other refusal is Entrada Única's own pt-BR sentence, marked as pt-BR.
      const linhas: Linha[] = err instanceof PoliticaNegada
        ? linhasRecusaPmcc(err.recusas, idioma)
        : e.status === 409
          ? [t.conflito]
          : [t.recusada, ...(e.details.length > 0 ? e.details.map((d) => d.message) : [e.message]).map((m): Linha => [{ texto: m, lang: 'pt-BR' }])];
      avisar(req, 'erro', linhas);
      await render(req, res, TEXTOS[idioma].meusDados, await corpoMeusDados(principal, s.dados.csrf, idioma, e.status === 409 ? undefined : enviado), 422);
    }
  });

  app.get('/seguranca', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const meus = await lerMeusDados(dataSource, principal);
    const s = sessaoDe(req);
    const idToken = s.dados.tokens?.id;
    const sid = idToken ? decodeJwt(idToken)['sid'] : undefined;
    let sessoes: string;
    try {
      sessoes = listaDeSessoes(await deps.aplicacoes.sessoes(principal.sub), typeof sid === 'string' ? sid : null, s.dados.csrf, s.dados.idioma);
    } catch (err) {
      (req.log ?? logger).warn({ err }, 'sessões do Login Único indisponíveis');
      sessoes = `<p>${esc(TEXTOS_SEGURANCA[s.dados.idioma].sessoesIndisponiveis)}</p>`;
    }
    await render(req, res, TEXTOS[s.dados.idioma].seguranca, paginaSeguranca(meus.conta, `${deps.urlRealm}/account/account-security/device-activity`, sessoes, s.dados.idioma));
  });

  app.post('/seguranca/sessoes/encerrar', formulario_, exigirCsrf, async (req, res) => {
    const corpo = req.body as Record<string, unknown>;
    semCamposDesconhecidos(corpo, ['_csrf', 'sessao']);
    const sessao = corpo['sessao'];
    if (typeof sessao !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(sessao)) throw new ErroDePagina(400, (t) => t.sessaoInvalida);
    const principal = await cidadao(req, res);
    if (!principal) return;
    await encerrarSessao(dataSource, deps.aplicacoes, principal, sessao);
    avisar(req, 'sucesso', [TEXTOS_APLICACOES[idiomaDe(req)].sessaoEncerrada]);
    await redirecionar(req, res, '/seguranca');
  });

  app.get('/aplicacoes', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const r = await listarAplicacoes(dataSource, deps.aplicacoes, principal);
    const idioma = idiomaDe(req);
    await render(req, res, TEXTOS[idioma].aplicacoes, paginaAplicacoes(r, sessaoDe(req).dados.csrf, idioma));
  });

  app.post('/aplicacoes/revogar', formulario_, exigirCsrf, async (req, res) => {
    const corpo = req.body as Record<string, unknown>;
    semCamposDesconhecidos(corpo, ['_csrf', 'cliente']);
    const cliente = corpo['cliente'];
    if (typeof cliente !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(cliente)) throw new ErroDePagina(400, (t) => t.aplicacaoInvalida);
    const principal = await cidadao(req, res);
    if (!principal) return;
    await revogarAplicacao(dataSource, deps.aplicacoes, principal, cliente);
    const idioma = idiomaDe(req);
    avisar(req, 'sucesso', [TEXTOS_APLICACOES[idioma].removido(nomeDaAplicacao(cliente, idioma))]);
    await redirecionar(req, res, '/aplicacoes');
  });

  const corpoMensagens = async (principal: Principal, csrf: string, idioma: Idioma, valores?: ValoresNovaConversa): Promise<string> => {
    const [conversas, notificacoes, aviso] = [await listarConversasDoCidadao(dataSource, principal), await listarNotificacoes(dataSource, principal), await lerAvisoEmail(dataSource, principal)];
    return paginaMensagens(conversas, paginaNotificacoes(notificacoes, csrf, idioma), csrf, aviso.ativo, idioma, valores);
  };

  app.get('/mensagens', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    await render(req, res, TEXTOS[s.dados.idioma].mensagens, await corpoMensagens(principal, s.dados.csrf, s.dados.idioma));
  });

  /** The form's fields without the CSRF token, for the DTO (which refuses any other field). */
  const semCsrf = (req: Request): Record<string, unknown> => {
    const { _csrf: _, ...resto } = req.body as Record<string, unknown>;
    return resto;
  };
  /** The DTO's pt-BR messages as the page's error notice (marked pt-BR on the English page). */
  const linhasDoErro = (err: unknown, idioma: Idioma): Linha[] | null => {
    if (!(err instanceof ApiError) || err.status >= 500) return null;
    const motivos = err.details.length > 0 ? err.details.map((d) => d.message) : [err.message];
    return [TEXTOS_CONVERSAS[idioma].naoEnviada, ...motivos.map((m): Linha => [{ texto: m, lang: 'pt-BR' }])];
  };

  app.post('/mensagens/conversas', formulario_, exigirCsrf, async (req, res) => {
    const corpo = semCsrf(req);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    try {
      const c = await abrirConversa(dataSource, principal, await validarCorpo(NovaConversaDto, corpo));
      avisar(req, 'sucesso', [TEXTOS_CONVERSAS[s.dados.idioma].enviada(NOMES_DO_ORGAO[s.dados.idioma][c.orgao])]);
      await redirecionar(req, res, `/mensagens/conversas/${c.id}`);
    } catch (err) {
      const linhas = linhasDoErro(err, s.dados.idioma);
      if (!linhas) throw err;
      avisar(req, 'erro', linhas);
      const valores = Object.fromEntries(['orgao', 'assunto', 'texto'].map((k) => [k, typeof corpo[k] === 'string' ? corpo[k] : ''])) as ValoresNovaConversa;
      await render(req, res, TEXTOS[s.dados.idioma].mensagens, await corpoMensagens(principal, s.dados.csrf, s.dados.idioma, valores), (err as ApiError).status);
    }
  });

  const idDaConversa = (v: string | undefined): string => {
    try {
      return uuidDoParametro(v, 'id');
    } catch {
      throw new ErroDePagina(404, (t) => t.conversaNaoEncontrada);
    }
  };

  app.get('/mensagens/conversas/:id', async (req, res) => {
    consultaSo(req, []);
    const id = idDaConversa(req.params.id);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const c = await lerConversaDoCidadao(dataSource, principal, id);
    await render(req, res, c.assunto, paginaConversa(c, sessaoDe(req).dados.csrf, idiomaDe(req)));
  });

  app.post('/mensagens/conversas/:id', formulario_, exigirCsrf, async (req, res) => {
    const id = idDaConversa(String(req.params['id']));
    const corpo = semCsrf(req);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    try {
      const dto = await validarCorpo(NovaMensagemDto, corpo);
      await responderComoCidadao(dataSource, principal, id, dto.texto);
      avisar(req, 'sucesso', [TEXTOS_CONVERSAS[s.dados.idioma].respostaEnviada]);
      await redirecionar(req, res, `/mensagens/conversas/${id}`);
    } catch (err) {
      const linhas = linhasDoErro(err, s.dados.idioma);
      if (!linhas || (err as ApiError).status === 404) throw err;
      avisar(req, 'erro', linhas);
      const c = await lerConversaDoCidadao(dataSource, principal, id);
      await render(req, res, c.assunto, paginaConversa(c, s.dados.csrf, s.dados.idioma, typeof corpo['texto'] === 'string' ? corpo['texto'] : ''), (err as ApiError).status);
    }
  });

  app.post('/mensagens/aviso-email', formulario_, exigirCsrf, async (req, res) => {
    const corpo = semCsrf(req);
    semCamposDesconhecidos(corpo, ['ativo']);
    if (corpo['ativo'] !== 'true' && corpo['ativo'] !== 'false') throw new ErroDePagina(400, (t) => t.ativoInvalido);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const { ativo } = await definirAvisoEmail(dataSource, principal, corpo['ativo'] === 'true');
    const t = TEXTOS_CONVERSAS[idiomaDe(req)];
    avisar(req, 'sucesso', [ativo ? t.avisoLigado : t.avisoDesligado]);
    await redirecionar(req, res, '/mensagens');
  });

  app.post('/mensagens/lidas', formulario_, exigirCsrf, async (req, res) => {
    semCamposDesconhecidos(req.body as Record<string, unknown>, ['_csrf']);
    const principal = await cidadao(req, res);
    if (!principal) return;
    await marcarTodasComoLidas(dataSource, principal);
    await redirecionar(req, res, '/mensagens');
  });

  app.get('/acessos', async (req, res) => {
    const q = consultaSo(req, ['pagina']);
    const numero = q['pagina'] === undefined ? 1 : Number(q['pagina']);
    if (!Number.isInteger(numero) || numero < 1 || numero > 10_000 || !/^\d+$/.test(q['pagina'] ?? '1')) throw new ErroDePagina(400, (t) => t.paginaInvalida);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const idioma = idiomaDe(req);
    const r = await lerAcessos(dataSource, principal, { limit: TAMANHO_PAGINA, offset: (numero - 1) * TAMANHO_PAGINA }, idioma);
    await render(req, res, TEXTOS[idioma].acessos, paginaAcessos(r, numero, TAMANHO_PAGINA, idioma));
  });

  app.get('/acessos.csv', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const csv = await acessosEmCsv(dataSource, principal);
    await sessoes.salvar(res, sessaoDe(req));
    res.setHeader('Content-Disposition', 'attachment; filename="quem-acessou-meus-dados.csv"');
    res.type('text/csv; charset=utf-8').send(csv);
  });

  app.use(async (req, res) => {
    const t = TEXTOS_PORTAL[idiomaDe(req)];
    await render(req, res, t.paginaNaoEncontrada, `<p>${esc(t.paginaNaoExiste)} <a href="/">${esc(t.voltarAoInicio)}</a></p>`, 404);
  });

  app.use(async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof ErroDePagina ? err.status : (() => {
      const e = err instanceof ApiError ? err : paraApiError(err);
      return e.status;
    })();
    const idioma = idiomaDe(req);
    const t = TEXTOS_PORTAL[idioma];
    // The portal's own errors in the page's language; the API's (pt-BR only) as they are, marked pt-BR in English.
    const mensagem = err instanceof ErroDePagina ? { texto: err.texto(t), lang: idioma }
      : status >= 500 ? { texto: t.erroInterno, lang: idioma }
        : { texto: err instanceof ApiError ? err.message : paraApiError(err).message, lang: 'pt-BR' as const };
    if (status >= 500) (req.log ?? logger).error({ err }, 'erro no portal do cidadão');
    if (res.headersSent) return;
    if (!req.sessaoPortal) {
      res.status(status).type('text/plain').send(mensagem.texto);
      return;
    }
    const texto = mensagem.lang === idioma ? `<p>${esc(mensagem.texto)}</p>` : `<p>${esc(t.motivoEmPortugues)}</p>${ptBR(mensagem.texto, idioma, 'p')}`;
    await render(req, res, status === 403 ? t.tituloRecusado : status === 404 ? t.tituloNaoEncontrado : t.tituloNaoConcluido,
      `<div class="painel">${texto}<p><a href="/">${esc(t.voltarAoInicio)}</a></p></div>`, status);
  });

  return app;
}
