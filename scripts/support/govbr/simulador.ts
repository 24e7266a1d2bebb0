/**
 * A local Gov.br Login Único for development and tests, on oidc-provider (a certified OpenID Provider library),
 * reproducing the real service's endpoints and quirks (../shared/reference/govbr-login-unico.md §9):
 *
 * - issuer with a trailing slash; `/authorize`, `/token`, `/jwk` (one RSA key, kid `rsa1`, RS256, no `use`),
 *   `/userinfo` and `/userinfo/`, `/userinfo/picture` (the photo as Base64 text), `/logout`; discovery WITHOUT
 *   `end_session_endpoint`;
 * - authorize refused without `nonce`, `state` or PKCE S256; single-use codes; the token endpoint takes HTTP Basic
 *   only; no refresh tokens; id_tokens live 60 s;
 * - `sub` = `preferred_username` = the CPF; `email`/`phone_number` only when verified; `*_verified` as strings in
 *   the id_token and booleans in userinfo; `amr`; `reliability_info` only with scope `govbr_confiabilidades_idtoken`;
 * - the reliability API on a separate origin (`/confiabilidades/v3/contas/{cpf}/confiabilidades|niveis`), 401
 *   `ACCESSTOKEN_SCOPE_MUSTCONTAINSEXPECTEDSCOPE` without scope `govbr_confiabilidades`;
 * - logout honours only an exactly registered `post_logout_redirect_uri`; echoing `state` back is a switch.
 *
 * Differences from the real service, on purpose: access tokens are opaque (Gov.br's are JWTs); the sign-in page
 * is a plain CPF + password form, and consent is given on sign-in.
 *
 * As a program (`npm start`): `node dist/scripts/support/govbr/simulador.js`, settings from the environment (see
 * `main`). It refuses to start when NODE_ENV=production: in production the realm points at the real Gov.br and
 * the issuer is configuration alone (scripts/realm/producao.env).
 */
import express, { type Request, type Response } from 'express';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Provider, { type KoaContextoMinimo } from 'oidc-provider';
import { NIVEL_NA_API_LEGADA, NIVEL_NO_ID_TOKEN, nivelDosSelos, SELOS } from '../../../api/src/govbr/selos.js';
import { cidadaosDemo, SENHA_DEMO_GOVBR, type CidadaoGovbr } from './cidadaos.js';

interface ClienteGovbr {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface OpcoesSimulador {
  /** Port of the SSO origin (0 = any free port). */
  porta: number;
  /** Port of the REST APIs origin (reliability levels); 0 = any free port. */
  portaApi: number;
  host?: string;
  clientes: ClienteGovbr[];
  cidadaos: CidadaoGovbr[];
  /** Whether logout sends `state` back to the post-logout URI (undocumented at Gov.br; default true). */
  ecoarStateNoLogout?: boolean;
  /** The RSA private key (JWK). Default: a new one; keep one across restarts so relying parties' caches stay valid. */
  chavePrivada?: Record<string, unknown>;
}

export interface SimuladorGovbr {
  /** The issuer, with its trailing slash (e.g. http://localhost:4400/). */
  issuer: string;
  /** The REST APIs origin (e.g. http://localhost:4401). */
  apiUrl: string;
  definirEcoarState(ecoar: boolean): void;
  parar(): Promise<void>;
}

/** A 1×1 PNG, the demo photo. */
const FOTO_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAEnNCcKAAAAAElFTkSuQmCC';

const ESCOPOS = ['openid', 'email', 'phone', 'profile', 'govbr_confiabilidades', 'govbr_confiabilidades_idtoken', 'govbr_empresa'];

/** An RSA key with the real service's kid, alg and no `use`. */
function novaChave(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'rsa1', alg: 'RS256' };
}

/** The key kept in `arquivo` (created once; parallel first starts agree on one file). */
export function chaveDoArquivo(arquivo: string): Record<string, unknown> {
  if (!existsSync(arquivo)) {
    mkdirSync(path.dirname(arquivo), { recursive: true });
    const tmp = `${arquivo}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, JSON.stringify(novaChave()), { mode: 0o600 });
    try {
      linkSync(tmp, arquivo); // fails if another process created it meanwhile: then that one is used
    } catch {
      /* the other process's key wins */
    }
    rmSync(tmp, { force: true });
  }
  return JSON.parse(readFileSync(arquivo, 'utf8')) as Record<string, unknown>;
}

function escapar(texto: string): string {
  return texto.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pagina(titulo: string, corpo: string): string {
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapar(titulo)}</title>
<style>body{font-family:Rawline,Raleway,sans-serif;background:#f8f8f8;margin:0}main{max-width:420px;margin:40px auto;background:#fff;padding:24px 32px;box-shadow:0 1px 6px rgba(0,0,0,.16)}
h1{color:#1351b4;font-size:1.4em}label{display:block;margin-top:12px;font-weight:600}input{width:100%;box-sizing:border-box;padding:8px;margin-top:4px;font-size:1em}
button{margin-top:20px;background:#1351b4;color:#fff;border:0;border-radius:20px;padding:10px 24px;font-weight:700;font-size:1em;cursor:pointer}
.aviso{background:#fff5c2;padding:8px;font-size:.9em}.erro{color:#b00;font-weight:600}</style></head><body><main>${corpo}</main></body></html>`;
}

function paginaDeLogin(uid: string, erro?: string): string {
  return pagina('gov.br — Identifique-se', `<h1>gov.br</h1>
<p class="aviso">Simulador de desenvolvimento do Login Único gov.br. Nenhum dado sai desta máquina.</p>
<form method="post" action="/interacao/${escapar(uid)}/login" autocomplete="off">
${erro ? `<p class="erro" role="alert">${escapar(erro)}</p>` : ''}
<label for="cpf">Número do CPF</label><input id="cpf" name="cpf" inputmode="numeric" autofocus required>
<label for="senha">Senha</label><input id="senha" name="senha" type="password" required>
<button type="submit" id="entrar">Continuar</button>
</form>`);
}

function cidadaoPorCpf(cidadaos: readonly CidadaoGovbr[], cpf: string): CidadaoGovbr | undefined {
  return cidadaos.find((c) => c.cpf === cpf);
}

/** `YYYY-MM-DD HH:MM:SS` (the seals API's mask) from the ISO date with offset the id_token carries. */
function dataDaApi(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The claims of a citizen; `use` is `id_token` or `userinfo` (strings vs booleans, reliability_info). */
function claimsDe(c: CidadaoGovbr, use: string, issuer: string): Record<string, unknown> {
  const emId = use === 'id_token';
  const bool = (v: boolean) => (emId ? String(v) : v);
  const claims: Record<string, unknown> = {
    sub: c.cpf,
    preferred_username: c.cpf,
    name: c.nome,
    picture: `${issuer}userinfo/picture`,
    profile: 'https://servicos.staging.acesso.gov.br/',
  };
  if (c.nomeSocial) claims['social_name'] = c.nomeSocial;
  if (c.email && c.emailVerificado) Object.assign(claims, { email: c.email, email_verified: bool(true) });
  if (c.telefone && c.telefoneVerificado) Object.assign(claims, { phone_number: c.telefone, phone_number_verified: bool(true) });
  if (c.cnpj) Object.assign(claims, { cnpj: c.cnpj.numero, cnpj_certificate_name: c.cnpj.nome });
  if (emId) {
    claims['reliability_info'] = {
      level: NIVEL_NO_ID_TOKEN[nivelDosSelos(c.selos.map((s) => s.id))],
      reliabilities: c.selos.map((s) => ({ id: s.id, updatedAt: s.atualizadoEm })),
    };
  }
  return claims;
}

function ouvir(app: RequestListener, porta: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer(app);
    s.once('error', reject);
    s.listen(porta, host, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

const fechar = (s: Server) => new Promise<void>((resolve) => {
  s.closeAllConnections();
  s.close(() => resolve());
});

export async function iniciarSimuladorGovbr(opcoes: OpcoesSimulador): Promise<SimuladorGovbr> {
  const host = opcoes.host ?? '127.0.0.1';
  let ecoarState = opcoes.ecoarStateNoLogout ?? true;
  const app = express();
  const servidor = await ouvir(app, opcoes.porta, host);
  const apiApp = express();
  const servidorApi = await ouvir(apiApp, opcoes.portaApi, host);
  const porta = (servidor.address() as AddressInfo).port;
  const issuer = `http://localhost:${porta}/`;
  const apiUrl = `http://localhost:${(servidorApi.address() as AddressInfo).port}`;
  const cidadaos = opcoes.cidadaos;

  const provider = new Provider(issuer, {
    clients: opcoes.clientes.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    })),
    jwks: { keys: [opcoes.chavePrivada ?? novaChave()] },
    scopes: ESCOPOS,
    claims: {

      openid: ['sub', 'amr', 'preferred_username', 'cnpj', 'cnpj_certificate_name'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
      profile: ['name', 'social_name', 'picture', 'profile'],
      govbr_confiabilidades_idtoken: ['reliability_info'],
    },
    // The id_token carries the profile claims even though an access token is issued (as Gov.br's does).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic'],
    responseTypes: ['code'],
    routes: { authorization: '/authorize', token: '/token', jwks: '/jwk', userinfo: '/userinfo', end_session: '/logout' },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 60, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    issueRefreshToken: () => false,
    clientBasedCORS: () => false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interacao/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Gov.br's logout is a plain navigation: the confirmation form submits itself.
        logoutSource: (ctx: KoaContextoMinimo, form: string) => {
          ctx.body = pagina('gov.br — Saindo', `${form}<p>Saindo do gov.br…</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes" id="sair">Sair</button>
<script>var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>`);
        },
        postLogoutSuccessSource: (ctx: KoaContextoMinimo) => {
          ctx.body = pagina('gov.br — Sessão encerrada', '<h1>gov.br</h1><p id="saiu">Você saiu do gov.br.</p>');
        },
      },
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const c = cidadaoPorCpf(cidadaos, sub);
      return c ? { accountId: c.cpf, claims: (use: string) => claimsDe(c, use, issuer) } : undefined;
    },
    renderError: (ctx: KoaContextoMinimo, out: Record<string, string>) => {
      ctx.body = pagina('gov.br — Erro', `<h1>gov.br</h1><p class="erro" id="erro">${escapar(out['error'] ?? 'erro')}: ${escapar(out['error_description'] ?? '')}</p>`);
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    // No end_session_endpoint in discovery (open issue at Gov.br since Aug 2024): relying parties set it by hand.
    if (ctx.path === '/.well-known/openid-configuration' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const corpo = { ...(ctx.body as Record<string, unknown>) };
      delete corpo['end_session_endpoint'];
      corpo['grant_types_supported'] = ['authorization_code'];
      ctx.body = corpo;
    }
    // Gov.br's JWKS key has no `use`.
    if (ctx.path === '/jwk' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const { keys } = ctx.body as { keys: Array<Record<string, unknown>> };
      ctx.body = { keys: keys.map(({ use: _use, ...k }) => k) };
    }
    if (!ecoarState && ctx.path.startsWith('/logout') && [302, 303].includes(ctx.status)) {
      const destino = ctx.response.get('location');
      if (destino && /^https?:/.test(destino)) {
        const u = new URL(destino);
        u.searchParams.delete('state');
        ctx.response.set('location', u.href);
      }
    }
  });

  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  // Gov.br requires nonce, state and PKCE S256 on every authorization request.
  app.get('/authorize', (req, res, next) => {
    const q = req.query as Record<string, unknown>;
    const faltando = ['nonce', 'state', 'code_challenge'].filter((p) => typeof q[p] !== 'string' || q[p] === '');
    if (faltando.length > 0 || q['code_challenge_method'] !== 'S256') {
      const motivo = faltando.length > 0 ? `parâmetros obrigatórios ausentes: ${faltando.join(', ')}` : 'code_challenge_method deve ser S256';
      res.status(400).json({ error: 'invalid_request', erro_description: motivo });
      return;
    }
    next();
  });

  app.get('/interacao/:uid', async (req, res, next) => {
    try {
      const detalhes = await provider.interactionDetails(req, res);
      if (detalhes.prompt.name === 'consent' && detalhes.session?.accountId) {
        await concluir(req, res, detalhes.session.accountId, null);
        return;
      }
      res.type('html').send(paginaDeLogin(detalhes.uid));
    } catch (err) {
      next(err);
    }
  });

  async function concluir(req: Request, res: Response, cpf: string, amr: readonly string[] | null): Promise<void> {
    const detalhes = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: cpf, clientId: String(detalhes.params['client_id']) });
    const escopo = detalhes.params['scope'];
    grant.addOIDCScope(typeof escopo === 'string' ? escopo : 'openid');
    const grantId = await grant.save();
    const resultado: Record<string, unknown> = { consent: { grantId } };
    if (amr) resultado['login'] = { accountId: cpf, amr: [...amr], remember: true };
    await provider.interactionFinished(req, res, resultado, { mergeWithLastSubmission: true });
  }

  app.post('/interacao/:uid/login', express.urlencoded({ extended: false }), async (req, res, next) => {
    try {
      const detalhes = await provider.interactionDetails(req, res);
      const corpo = req.body as Record<string, unknown>;
      const texto = (v: unknown) => (typeof v === 'string' ? v : '');
      const cpf = texto(corpo['cpf']).replace(/\D/g, '');
      const c = cidadaoPorCpf(cidadaos, cpf);
      if (!c || c.senha !== texto(corpo['senha'])) {
        res.status(401).type('html').send(paginaDeLogin(detalhes.uid, 'CPF ou senha incorretos.'));
        return;
      }
      await concluir(req, res, c.cpf, c.amr);
    } catch (err) {
      next(err);
    }
  });

  /** The bearer access token of a request, or an answer already sent. */
  async function tokenDe(req: Request, res: Response, escopo: string): Promise<{ cpf: string } | null> {
    const m = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const token = m ? await provider.AccessToken.find(m[1]) : undefined;
    if (!token) {
      res.status(401).json({ error: 'ACCESSTOKEN_MUSTBEVALID', erro_description: 'Access token inválido' });
      return null;
    }
    if (!token.scopes.has(escopo)) {
      res.status(401).json({ error: 'ACCESSTOKEN_SCOPE_MUSTCONTAINSEXPECTEDSCOPE', erro_description: `O access token deve conter o escopo ${escopo}` });
      return null;
    }
    return { cpf: token.accountId };
  }

  app.get('/userinfo/picture', async (req, res) => {
    const t = await tokenDe(req, res, 'profile');
    if (t) res.type('text/plain').send(FOTO_BASE64);
  });
  // The manual writes the userinfo path with a trailing slash; both answer.
  app.use((req, _res, next) => {
    if (req.url === '/userinfo/' || req.url.startsWith('/userinfo/?')) req.url = req.url.replace('/userinfo/', '/userinfo');
    next();
  });
  app.use(provider.callback());

  // The REST APIs origin (api.staging.acesso.gov.br): reliability seals and the legacy levels.
  apiApp.get('/confiabilidades/v3/contas/:cpf/:recurso', async (req, res) => {
    const t = await tokenDe(req, res, 'govbr_confiabilidades');
    if (!t) return;
    const { cpf, recurso } = req.params;
    if (cpf !== t.cpf) {
      res.status(403).json({ error: 'forbidden', erro_description: 'O CPF não é o do titular do access token' });
      return;
    }
    const c = cidadaoPorCpf(cidadaos, cpf)!;
    if (recurso === 'confiabilidades') {
      res.json(c.selos.map((s) => ({ id: s.id, dataAtualizacao: dataDaApi(s.atualizadoEm) })));
    } else if (recurso === 'niveis') {
      const nivel = nivelDosSelos(c.selos.map((s) => s.id));
      const datas = c.selos.filter((s) => SELOS.get(s.id)?.nivel === nivel).map((s) => s.atualizadoEm).sort();
      res.json([{ id: NIVEL_NA_API_LEGADA[nivel], dataAtualizacao: dataDaApi(datas.at(-1) ?? c.selos[0]?.atualizadoEm ?? '1970-01-01T00:00:00') }]);
    } else {
      res.status(404).json({ error: 'not_found', erro_description: 'Recurso inexistente' });
    }
  });

  return {
    issuer,
    apiUrl,
    definirEcoarState: (ecoar) => {
      ecoarState = ecoar;
    },
    parar: async () => {
      await Promise.all([fechar(servidor), fechar(servidorApi)]);
    },
  };
}

function lista(valor: string | undefined): string[] {
  return (valor ?? '').split(/\s+/).filter((v) => v !== '');
}

/** The program, for `npm start` (development only). */
async function main(): Promise<void> {
  if ((process.env.NODE_ENV ?? 'development') === 'production') {
    process.stderr.write('[govbr-simulador] recusado: NODE_ENV=production — em produção o realm aponta para o gov.br real (scripts/realm/producao.env)\n');
    process.exit(1);
  }
  const porta = Number(process.env.LUM_GOVBR_SIM_PORT ?? '4400');
  const portaApi = Number(process.env.LUM_GOVBR_SIM_API_PORT ?? String(porta + 1));
  const kc = (process.env.KEYCLOAK_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
  const broker = `${kc}/realms/${process.env.KEYCLOAK_REALM ?? 'prefeitura-sp'}/broker/govbr/endpoint`;
  const sim = await iniciarSimuladorGovbr({
    porta,
    portaApi,
    host: process.env.LUM_GOVBR_SIM_HOST ?? '127.0.0.1',
    clientes: [{
      clientId: process.env.LUM_GOVBR_CLIENT_ID ?? 'dev-loginunico.prefeitura.sp.gov.br',
      clientSecret: process.env.LUM_GOVBR_CLIENT_SECRET ?? 'dev-govbr-secret',
      redirectUris: lista(process.env.LUM_GOVBR_SIM_REDIRECT_URIS ?? broker),
      postLogoutRedirectUris: lista(process.env.LUM_GOVBR_SIM_POST_LOGOUT_URIS ?? `${broker}/logout_response`),
    }],
    cidadaos: cidadaosDemo(process.env.LUM_DEMO_GOVBR_PASSWORD ?? SENHA_DEMO_GOVBR),
    ecoarStateNoLogout: process.env.LUM_GOVBR_SIM_ECOAR_STATE !== '0',
    chavePrivada: chaveDoArquivo(path.resolve(process.env.LUM_GOVBR_SIM_KEY_FILE ?? '.run/govbr-simulador-chave.json')),
  });
  process.stdout.write(`[govbr-simulador] issuer ${sim.issuer} · APIs ${sim.apiUrl}\n`);
  const sair = () => void sim.parar().then(() => process.exit(0));
  process.on('SIGTERM', sair);
  process.on('SIGINT', sair);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`[govbr-simulador] ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
