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
import { NOME_DO_ORGAO, acessosEmCsv, listarAcessos } from './acessos.service.js';
import { decodeJwt } from 'jose';
import { encerrarSessao, listaDeSessoes, listarAplicacoes, paginaAplicacoes, revogarAplicacao, type KeycloakAplicacoes } from './aplicacoes.js';
import { CSS, TEXTOS, esc, pagina } from './html.js';
import {
  NOMES_DO_FORMULARIO, formulario, listaDePedidos, mudancaDoFormulario, pedidosDoCidadao, perfilSomenteLeitura, valoresDoFormulario, valoresDoRegistro,
} from './meus-dados.js';
import type { ClienteOidc } from './oidc.js';
import { NOME_DA_APLICACAO, ROTULO_CAMPO } from './rotulos.js';
import { listarNotificacoes, marcarTodasComoLidas, paginaNotificacoes } from './notificacoes.js';
import { paginaConversa, paginaMensagens, type ValoresNovaConversa } from './conversas.js';
import { NovaConversaDto, NovaMensagemDto } from '../mensagens/conversa.dto.js';
import { abrirConversa, lerConversaDoCidadao, listarConversasDoCidadao, responderComoCidadao } from '../mensagens/conversas.service.js';
import { definirAvisoEmail, lerAvisoEmail } from '../mensagens/avisos.js';
import { uuidDoParametro } from '../http/parametros.js';
import { validarCorpo } from '../validation/validar.js';
import { ACOES_KEYCLOAK, paginaSeguranca } from './seguranca.js';
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
const ROTULO_APLICACAO = (id: string) => NOME_DA_APLICACAO[id] ?? id;

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

/** 400 with a pt-BR message for query parameters a page does not take. */
function consultaSo(req: Request, permitidos: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (!permitidos.includes(k)) throw new ErroDePagina(400, `Parâmetro não permitido: ${k}`);
    if (typeof v !== 'string') throw new ErroDePagina(400, `${k} deve aparecer uma única vez`);
    out[k] = v;
  }
  return out;
}

class ErroDePagina extends Error {
  constructor(readonly status: number, mensagem: string) {
    super(mensagem);
  }
}

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
    if (o !== undefined && o !== origem) throw new ErroDePagina(403, 'Pedido recusado: origem desconhecida');
    const corpo: unknown = req.body;
    if (typeof corpo !== 'object' || corpo === null || !csrfConfere(sessaoDe(req), (corpo as Record<string, unknown>)['_csrf'])) {
      throw new ErroDePagina(403, 'Pedido recusado: o formulário expirou ou não veio desta página. Abra a página de novo e tente outra vez.');
    }
    next();
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
    if (!principal.roles.includes(PAPEL_CIDADAO)) throw new ErroDePagina(403, 'Esta área é para cidadãos: sua conta não tem o papel de cidadão.');
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
    if (para !== 'pt-BR' && para !== 'en') throw new ErroDePagina(400, 'Idioma desconhecido: use pt-BR ou en');
    sessaoDe(req).dados.idioma = para;
    await redirecionar(req, res, voltaSegura(q['volta']));
  });

  /** Sign-in (and Keycloak's required actions): a new authorization request, its PKCE verifier kept in the session. */
  const iniciarLogin = async (req: Request, res: Response, volta: string, acao?: string, idp?: string) => {
    const s = sessaoDe(req);
    const pedido = await oidc.iniciar({ redirectUri, acao, idp });
    s.dados.login = { state: pedido.state, verificador: pedido.verificador, nonce: pedido.nonce, volta };
    await sessoes.salvar(res, s);
    res.redirect(303, pedido.url);
  };

  app.get('/entrar', async (req, res) => {
    const q = consultaSo(req, ['volta', 'idp']);
    if (q['idp'] !== undefined && q['idp'] !== 'govbr') throw new ErroDePagina(400, 'Provedor de identidade desconhecido');
    await iniciarLogin(req, res, voltaSegura(q['volta']), undefined, q['idp']);
  });

  app.get('/acao/:acao', async (req, res) => {
    consultaSo(req, []);
    const acao = Object.hasOwn(ACOES_KEYCLOAK, req.params.acao) ? ACOES_KEYCLOAK[req.params.acao] : undefined;
    if (!acao) throw new ErroDePagina(404, 'Ação desconhecida');
    if (!(await cidadao(req, res))) return;
    await iniciarLogin(req, res, '/seguranca', acao);
  });

  app.get('/callback', async (req, res) => {
    const s = sessaoDe(req);
    const login = s.dados.login;
    delete s.dados.login;
    const q = req.query;
    if (!login) throw new ErroDePagina(400, 'Nenhuma entrada em andamento nesta sessão: comece de novo pelo botão Entrar.');
    const status = typeof q['kc_action_status'] === 'string' ? q['kc_action_status'] : undefined;
    if (typeof q['error'] === 'string') {
      // A required action cancelled comes back as an error with the session intact.
      s.dados.aviso = { tipo: 'erro', linhas: [status === 'cancelled' ? 'Ação cancelada: nada foi alterado.' : 'A entrada não foi concluída. Tente de novo.'] };
      await redirecionar(req, res, s.dados.tokens ? login.volta : '/');
      return;
    }
    let tokens;
    try {
      tokens = await oidc.concluir(new URL(req.originalUrl, deps.urlPublica), login);
    } catch (err) {
      req.log?.info({ motivo: (err as Error).message }, 'troca do código recusada');
      throw new ErroDePagina(400, 'A entrada não foi concluída (código inválido ou expirado). Tente de novo pelo botão Entrar.');
    }
    const nova = await sessoes.renovarId(s);
    nova.dados.tokens = tokens;
    if (status === 'success') nova.dados.aviso = { tipo: 'sucesso', linhas: ['Pronto: a alteração de segurança foi concluída no Login Único.'] };
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
    await render(req, res, TEXTOS[sessaoDe(req).dados.idioma].meusDados, await corpoMeusDados(principal, sessaoDe(req).dados.csrf));
  });

  const corpoMeusDados = async (principal: Principal, csrf: string, enviado?: ReturnType<typeof valoresDoFormulario>): Promise<string> => {
    const meus = await lerMeusDados(dataSource, principal);
    if (!meus.pessoa) {
      return `<div class="painel"><p>Sua conta ainda não está vinculada a um registro do Cadastro Base de Pessoas, por isso ainda não há dados para mostrar.</p>
<p><a href="/seguranca">Veja em Segurança como vincular sua conta e elevar o nível de confiança.</a></p></div>`;
    }
    const p = meus.pessoa;
    const pedidos = await pedidosDoCidadao(dataSource, principal, String(p['cpf']));
    const v = { ...valoresDoRegistro(p), ...enviado };
    return `<section class="painel" aria-labelledby="t-perfil"><h2 id="t-perfil">Perfil de Usuário</h2>${perfilSomenteLeitura(p)}</section>
<section aria-labelledby="t-pedidos"><h2 id="t-pedidos">Pedidos de alteração</h2><div class="painel">${listaDePedidos(pedidos)}</div></section>
<section aria-labelledby="t-alterar"><h2 id="t-alterar">Adicionar ou alterar seus dados</h2>${formulario(p, v, csrf)}</section>`;
  };

  app.post('/meus-dados', formulario_, exigirCsrf, async (req, res) => {
    const corpo = req.body as Record<string, unknown>;
    const desconhecidos = Object.keys(corpo).filter((k) => !NOMES_DO_FORMULARIO.includes(k));
    if (desconhecidos.length > 0) throw new ErroDePagina(400, `Campo desconhecido no formulário: ${desconhecidos.join(', ')}`);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    const meus = await lerMeusDados(dataSource, principal);
    if (!meus.pessoa) {
      await redirecionar(req, res, '/meus-dados');
      return;
    }
    const enviado = valoresDoFormulario(corpo);
    const mudanca = mudancaDoFormulario(meus.pessoa, enviado);
    if (Object.keys(mudanca).length === 0) {
      s.dados.aviso = { tipo: 'info', linhas: ['Nada foi alterado: os valores enviados são os que já estão no seu cadastro.'] };
      await redirecionar(req, res, '/meus-dados');
      return;
    }
    const versao = typeof corpo['versao'] === 'string' && /^\d{1,9}$/.test(corpo['versao']) ? Number(corpo['versao']) : null;
    try {
      const r = await alterarMeusDados({ dataSource, fila: deps.fila, logger: req.log ?? logger }, principal, mudanca, { versaoEsperada: versao, dryRun: false });
      const rotulo = (c: string) => ROTULO_CAMPO[c] ?? c;
      const aplicados = r.mudancas.filter((m) => m.decisao.aplicar).map((m) => rotulo(m.campo));
      const pendentes = r.mudancas.filter((m) => !m.decisao.aplicar && m.decisao.abrirRevisao).map((m) => rotulo(m.campo));
      s.dados.aviso = {
        tipo: 'sucesso',
        linhas: [
          ...(aplicados.length > 0 ? [`Alteração gravada: ${aplicados.join(', ')}.`] : []),
          ...(pendentes.length > 0 ? [`Pedido registrado e pendente de análise por um gestor do cadastro: ${pendentes.join(', ')}.`] : []),
        ],
      };
      await redirecionar(req, res, '/meus-dados');
    } catch (err) {
      const e = paraApiError(err);
      if (e.status >= 500) throw err;
      const linhas = err instanceof PoliticaNegada
        ? ['Alteração recusada pela PMCC (Políticas de Manutenção dos Cadastros Centralizados); nada foi gravado:', ...err.recusas.map((x) => `${ROTULO_CAMPO[x.campo] ?? x.campo}: ${x.mensagem}`)]
        : e.status === 409
          ? ['Seus dados mudaram enquanto você editava; nada foi gravado. Confira os valores atuais e envie de novo.']
          : ['Alteração recusada; nada foi gravado:', ...(e.details.length > 0 ? e.details.map((d) => d.message) : [e.message])];
      s.dados.aviso = { tipo: 'erro', linhas };
      await render(req, res, TEXTOS[s.dados.idioma].meusDados, await corpoMeusDados(principal, s.dados.csrf, e.status === 409 ? undefined : enviado), 422);
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
      sessoes = listaDeSessoes(await deps.aplicacoes.sessoes(principal.sub), typeof sid === 'string' ? sid : null, s.dados.csrf);
    } catch (err) {
      (req.log ?? logger).warn({ err }, 'sessões do Login Único indisponíveis');
      sessoes = '<p>Não foi possível listar suas sessões agora. Tente de novo em alguns instantes.</p>';
    }
    await render(req, res, TEXTOS[s.dados.idioma].seguranca, paginaSeguranca(meus.conta, `${deps.urlRealm}/account/account-security/device-activity`, sessoes));
  });

  app.post('/seguranca/sessoes/encerrar', formulario_, exigirCsrf, async (req, res) => {
    const corpo = req.body as Record<string, unknown>;
    const desconhecidos = Object.keys(corpo).filter((k) => k !== '_csrf' && k !== 'sessao');
    if (desconhecidos.length > 0) throw new ErroDePagina(400, `Campo desconhecido no formulário: ${desconhecidos.join(', ')}`);
    const sessao = corpo['sessao'];
    if (typeof sessao !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(sessao)) throw new ErroDePagina(400, 'Sessão inválida');
    const principal = await cidadao(req, res);
    if (!principal) return;
    await encerrarSessao(dataSource, deps.aplicacoes, principal, sessao);
    sessaoDe(req).dados.aviso = { tipo: 'sucesso', linhas: ['Sessão encerrada.'] };
    await redirecionar(req, res, '/seguranca');
  });

  app.get('/aplicacoes', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const r = await listarAplicacoes(dataSource, deps.aplicacoes, principal);
    await render(req, res, TEXTOS[sessaoDe(req).dados.idioma].aplicacoes, paginaAplicacoes(r, sessaoDe(req).dados.csrf));
  });

  app.post('/aplicacoes/revogar', formulario_, exigirCsrf, async (req, res) => {
    const corpo = req.body as Record<string, unknown>;
    const desconhecidos = Object.keys(corpo).filter((k) => k !== '_csrf' && k !== 'cliente');
    if (desconhecidos.length > 0) throw new ErroDePagina(400, `Campo desconhecido no formulário: ${desconhecidos.join(', ')}`);
    const cliente = corpo['cliente'];
    if (typeof cliente !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(cliente)) throw new ErroDePagina(400, 'Aplicação inválida');
    const principal = await cidadao(req, res);
    if (!principal) return;
    await revogarAplicacao(dataSource, deps.aplicacoes, principal, cliente);
    sessaoDe(req).dados.aviso = { tipo: 'sucesso', linhas: [`Acesso removido: ${ROTULO_APLICACAO(cliente)} pedirá sua autorização de novo na próxima entrada.`] };
    await redirecionar(req, res, '/aplicacoes');
  });

  const corpoMensagens = async (principal: Principal, csrf: string, valores?: ValoresNovaConversa): Promise<string> => {
    const [conversas, notificacoes, aviso] = [await listarConversasDoCidadao(dataSource, principal), await listarNotificacoes(dataSource, principal), await lerAvisoEmail(dataSource, principal)];
    return paginaMensagens(conversas, paginaNotificacoes(notificacoes, csrf), csrf, aviso.ativo, valores);
  };

  app.get('/mensagens', async (req, res) => {
    consultaSo(req, []);
    const principal = await cidadao(req, res);
    if (!principal) return;
    await render(req, res, TEXTOS[sessaoDe(req).dados.idioma].mensagens, await corpoMensagens(principal, sessaoDe(req).dados.csrf));
  });

  /** The form's fields without the CSRF token, for the DTO (which refuses any other field). */
  const semCsrf = (req: Request): Record<string, unknown> => {
    const { _csrf: _, ...resto } = req.body as Record<string, unknown>;
    return resto;
  };
  /** The DTO's pt-BR messages as the page's error notice. */
  const linhasDoErro = (err: unknown): string[] | null => {
    if (!(err instanceof ApiError) || err.status >= 500) return null;
    return ['Mensagem não enviada; nada foi gravado:', ...(err.details.length > 0 ? err.details.map((d) => d.message) : [err.message])];
  };

  app.post('/mensagens/conversas', formulario_, exigirCsrf, async (req, res) => {
    const corpo = semCsrf(req);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const s = sessaoDe(req);
    try {
      const c = await abrirConversa(dataSource, principal, await validarCorpo(NovaConversaDto, corpo));
      s.dados.aviso = { tipo: 'sucesso', linhas: [`Mensagem enviada para ${NOME_DO_ORGAO[c.orgao]}. A resposta aparecerá aqui.`] };
      await redirecionar(req, res, `/mensagens/conversas/${c.id}`);
    } catch (err) {
      const linhas = linhasDoErro(err);
      if (!linhas) throw err;
      s.dados.aviso = { tipo: 'erro', linhas };
      const valores = Object.fromEntries(['orgao', 'assunto', 'texto'].map((k) => [k, typeof corpo[k] === 'string' ? corpo[k] : ''])) as ValoresNovaConversa;
      await render(req, res, TEXTOS[s.dados.idioma].mensagens, await corpoMensagens(principal, s.dados.csrf, valores), (err as ApiError).status);
    }
  });

  const idDaConversa = (v: string | undefined): string => {
    try {
      return uuidDoParametro(v, 'id');
    } catch {
      throw new ErroDePagina(404, 'Conversa não encontrada');
    }
  };

  app.get('/mensagens/conversas/:id', async (req, res) => {
    consultaSo(req, []);
    const id = idDaConversa(req.params.id);
    const principal = await cidadao(req, res);
    if (!principal) return;
    const c = await lerConversaDoCidadao(dataSource, principal, id);
    await render(req, res, c.assunto, paginaConversa(c, sessaoDe(req).dados.csrf));
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
      s.dados.aviso = { tipo: 'sucesso', linhas: ['Resposta enviada.'] };
      await redirecionar(req, res, `/mensagens/conversas/${id}`);
    } catch (err) {
      const linhas = linhasDoErro(err);
      if (!linhas || (err as ApiError).status === 404) throw err;
      s.dados.aviso = { tipo: 'erro', linhas };
      const c = await lerConversaDoCidadao(dataSource, principal, id);
      await render(req, res, c.assunto, paginaConversa(c, s.dados.csrf, typeof corpo['texto'] === 'string' ? corpo['texto'] : ''), (err as ApiError).status);
    }
  });

  app.post('/mensagens/aviso-email', formulario_, exigirCsrf, async (req, res) => {
    const corpo = semCsrf(req);
    const desconhecidos = Object.keys(corpo).filter((k) => k !== 'ativo');
    if (desconhecidos.length > 0) throw new ErroDePagina(400, `Campo desconhecido no formulário: ${desconhecidos.join(', ')}`);
    if (corpo['ativo'] !== 'true' && corpo['ativo'] !== 'false') throw new ErroDePagina(400, 'ativo deve ser true ou false');
    const principal = await cidadao(req, res);
    if (!principal) return;
    const { ativo } = await definirAvisoEmail(dataSource, principal, corpo['ativo'] === 'true');
    sessaoDe(req).dados.aviso = { tipo: 'sucesso', linhas: [ativo ? 'Pronto: você receberá um aviso por e-mail de novas respostas e decisões.' : 'Pronto: você não receberá mais avisos por e-mail.'] };
    await redirecionar(req, res, '/mensagens');
  });

  app.post('/mensagens/lidas', formulario_, exigirCsrf, async (req, res) => {
    const desconhecidos = Object.keys(req.body as Record<string, unknown>).filter((k) => k !== '_csrf');
    if (desconhecidos.length > 0) throw new ErroDePagina(400, `Campo desconhecido no formulário: ${desconhecidos.join(', ')}`);
    const principal = await cidadao(req, res);
    if (!principal) return;
    await marcarTodasComoLidas(dataSource, principal);
    await redirecionar(req, res, '/mensagens');
  });

  app.get('/acessos', async (req, res) => {
    const q = consultaSo(req, ['pagina']);
    const numero = q['pagina'] === undefined ? 1 : Number(q['pagina']);
    if (!Number.isInteger(numero) || numero < 1 || numero > 10_000 || !/^\d+$/.test(q['pagina'] ?? '1')) throw new ErroDePagina(400, 'pagina deve ser um número inteiro de 1 a 10000');
    const principal = await cidadao(req, res);
    if (!principal) return;
    const r = await listarAcessos(dataSource, principal, { limit: TAMANHO_PAGINA, offset: (numero - 1) * TAMANHO_PAGINA });
    const titulo = TEXTOS[sessaoDe(req).dados.idioma].acessos;
    if (!r.vinculada) {
      await render(req, res, titulo, '<div class="painel"><p>Sua conta ainda não está vinculada a um registro do Cadastro Base de Pessoas: não há registro seu para alguém consultar.</p></div>');
      return;
    }
    const paginas = Math.max(1, Math.ceil(r.total / TAMANHO_PAGINA));
    const linhas = r.itens.map((a) => `<tr><td data-rotulo="Quando">${esc(a.quando)}</td><td data-rotulo="Quem">${esc(a.orgao)}${a.papel ? `<br><span class="dica">${esc(a.papel)}</span>` : ''}</td><td data-rotulo="Aplicação">${esc(a.aplicacao)}</td><td data-rotulo="O que">${esc(a.oQue)}</td><td data-rotulo="Dados">${esc(a.campos.join(', '))}</td><td data-rotulo="Para quê">${esc(a.finalidade)}</td></tr>`).join('');
    const nav = `<nav class="paginacao" aria-label="Páginas">${numero > 1 ? `<a href="/acessos?pagina=${numero - 1}">Página anterior</a>` : ''}<span>Página ${numero} de ${paginas}</span>${numero < paginas ? `<a href="/acessos?pagina=${numero + 1}">Próxima página</a>` : ''}</nav>`;
    const corpo = `<p>Cada vez que um órgão ou aplicação da Prefeitura consulta o seu cadastro, isso fica registrado. Aqui você vê quem consultou (o órgão e o papel do servidor), quando, quais dados e para quê. Suas próprias consultas não aparecem.</p>
<p><a href="/acessos.csv" download>Baixar a lista completa (CSV)</a></p>
${r.total === 0 ? '<div class="painel"><p>Nenhum órgão ou aplicação consultou seus dados até agora.</p></div>' : `<div class="painel"><table class="responsiva"><caption>${r.total} consulta(s) ao seu cadastro, mais recentes primeiro</caption><thead><tr><th scope="col">Quando</th><th scope="col">Quem</th><th scope="col">Aplicação</th><th scope="col">O que</th><th scope="col">Dados</th><th scope="col">Para quê</th></tr></thead><tbody>${linhas}</tbody></table></div>${nav}`}`;
    await render(req, res, titulo, corpo);
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
    await render(req, res, 'Página não encontrada', '<p>Esta página não existe. <a href="/">Voltar ao início</a></p>', 404);
  });

  app.use(async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof ErroDePagina ? err.status : (() => {
      const e = err instanceof ApiError ? err : paraApiError(err);
      return e.status;
    })();
    const mensagem = err instanceof ErroDePagina || (err instanceof ApiError && err.status < 500)
      ? (err as Error).message
      : status < 500 ? paraApiError(err).message : 'Erro interno: tente de novo em alguns instantes.';
    if (status >= 500) (req.log ?? logger).error({ err }, 'erro no portal do cidadão');
    if (res.headersSent) return;
    if (!req.sessaoPortal) {
      res.status(status).type('text/plain').send(mensagem);
      return;
    }
    await render(req, res, status === 403 ? 'Acesso recusado' : status === 404 ? 'Não encontrado' : 'Não foi possível concluir', `<div class="painel"><p>${esc(mensagem)}</p><p><a href="/">Voltar ao início</a></p></div>`, status);
  });

  return app;
}
