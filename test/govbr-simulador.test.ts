/**
 * The Gov.br simulator against the fact sheet's fidelity checklist (../shared/reference/govbr-login-unico.md §9),
 * over real HTTP (ports chosen by the OS): discovery, keys, the authorization request's requirements, code + PKCE
 * with HTTP Basic, the claims of the id_token and of userinfo, the photo, the reliability API and logout.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compactVerify, createLocalJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import { cidadaosDemo } from '../scripts/support/govbr/cidadaos.js';
import { iniciarSimuladorGovbr, type SimuladorGovbr } from '../scripts/support/govbr/simulador.js';
import { Navegador, pedidoGovbr, tokensDoSimulador, trocarCodigo } from './support/govbr.js';

const CLIENTE = 'h-teste.prefeitura.sp.gov.br';
const SEGREDO = 'segredo-de-teste';
const RETORNO = 'http://localhost:4999/broker/govbr/endpoint';
const SAIDA = 'http://localhost:4999/broker/govbr/endpoint/logout_response';
const SENHA = 'Senha-Govbr-1';
const PRATA = '39053344705';
const NAO_VERIFICADO = '46123098713';

let sim: SimuladorGovbr;

beforeAll(async () => {
  sim = await iniciarSimuladorGovbr({
    porta: 0, portaApi: 0,
    clientes: [{ clientId: CLIENTE, clientSecret: SEGREDO, redirectUris: [RETORNO], postLogoutRedirectUris: [SAIDA] }],
    cidadaos: cidadaosDemo(SENHA),
  });
});
afterAll(async () => sim?.parar());

const CLI = { clientId: CLIENTE, clientSecret: SEGREDO, redirectUri: RETORNO };
const pedido = (extra: Record<string, string | null> = {}) => pedidoGovbr(sim, CLI, extra);
const trocar = (code: string, verificador: string, auth: 'basic' | 'post' = 'basic') => trocarCodigo(sim, CLI, code, verificador, auth);
const tokensDe = (cpf: string, extra: Record<string, string | null> = {}) => tokensDoSimulador(sim, CLI, cpf, SENHA, extra);

/** Signs in as `cpf` and returns the redirect to the relying party. */
async function entrar(nav: Navegador, cpf: string, senha: string) {
  const p = pedido();
  const pagina = await nav.seguir(p.url);
  expect(pagina.status).toBe(200);
  return { r: await nav.enviarFormulario(pagina, { cpf, senha }), p };
}

describe('the Gov.br simulator', () => {
  it('publishes discovery with the issuer\'s trailing slash and no end_session_endpoint, and /jwk with one RS256 key "rsa1" without "use"', async () => {
    expect(sim.issuer).toMatch(/^http:\/\/localhost:\d+\/$/);
    const d = (await (await fetch(new URL('.well-known/openid-configuration', sim.issuer))).json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: sim.issuer, authorization_endpoint: `${sim.issuer}authorize`, token_endpoint: `${sim.issuer}token`,
      jwks_uri: `${sim.issuer}jwk`, userinfo_endpoint: `${sim.issuer}userinfo`, code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code'],
    });
    expect(d).not.toHaveProperty('end_session_endpoint');
    const jwks = (await (await fetch(new URL('jwk', sim.issuer))).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: 'rsa1', alg: 'RS256' });
    expect(jwks.keys[0]).not.toHaveProperty('use');
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it.each([
    ['nonce', { nonce: null }, 'nonce'],
    ['state', { state: null }, 'state'],
    ['code_challenge', { code_challenge: null }, 'code_challenge'],
  ])('refuses an authorization request without %s', async (_p, extra, nome) => {
    const r = await fetch(pedido(extra).url, { redirect: 'manual' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'invalid_request', erro_description: `parâmetros obrigatórios ausentes: ${nome}` });
  });

  it('refuses a PKCE method other than S256', async () => {
    const r = await fetch(pedido({ code_challenge_method: 'plain' }).url, { redirect: 'manual' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'invalid_request', erro_description: 'code_challenge_method deve ser S256' });
  });

  it('keeps a wrong password on its page, in pt-BR', async () => {
    const { r } = await entrar(new Navegador(sim.issuer), PRATA, 'errada');
    expect(r.status).toBe(401);
    expect(await r.text()).toContain('CPF ou senha incorretos.');
  });

  it('issues a signed id_token with sub = CPF, string *_verified, amr and reliability_info, and no refresh token', async () => {
    const { tokens, p } = await tokensDe(PRATA);
    expect(tokens).not.toHaveProperty('refresh_token');
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const jwks = (await (await fetch(new URL('jwk', sim.issuer))).json()) as JSONWebKeySet;
    const { protectedHeader } = await compactVerify(String(tokens.id_token), createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'rsa1' });
    const id = decodeJwt(String(tokens.id_token));
    expect(id).toMatchObject({
      iss: sim.issuer, aud: CLIENTE, sub: PRATA, preferred_username: PRATA, nonce: p.nonce, name: 'José Carlos de Oliveira',
      email: 'jose.oliveira@exemplo.com.br', email_verified: 'true', phone_number: '11987654321', phone_number_verified: 'true',
      amr: ['passwd', 'mfa', 'otp'], picture: `${sim.issuer}userinfo/picture`,
      reliability_info: { level: 'silver', reliabilities: [{ id: '201', updatedAt: '2024-03-10T09:15:22.104-0300' }, { id: '401', updatedAt: '2025-11-02T18:40:05.871-0300' }] },
    });
    expect(id.exp! - id.iat!).toBe(60);
  });

  it('leaves reliability_info out without scope govbr_confiabilidades_idtoken, and an unverified e-mail out of every token', async () => {
    const { tokens } = await tokensDe(NAO_VERIFICADO, { scope: 'openid email profile' });
    const id = decodeJwt(String(tokens.id_token));
    expect(id.sub).toBe(NAO_VERIFICADO);
    expect(id).not.toHaveProperty('reliability_info');
    expect(id).not.toHaveProperty('email');
    expect(id).toMatchObject({ cnpj: '11222333000181', cnpj_certificate_name: 'NOGUEIRA SERVICOS LTDA' });
  });

  it('takes the code once, and only with HTTP Basic', async () => {
    const nav = new Navegador(sim.issuer);
    const { r, p } = await entrar(nav, PRATA, SENHA);
    const code = new URL(r.headers.get('location')!).searchParams.get('code')!;
    expect((await trocar(code, p.verificador, 'post')).status).toBe(401);
    const { r: r2, p: p2 } = await entrar(new Navegador(sim.issuer), PRATA, SENHA);
    const code2 = new URL(r2.headers.get('location')!).searchParams.get('code')!;
    expect((await trocar(code2, p2.verificador)).status).toBe(200);
    expect((await trocar(code2, p2.verificador)).status).toBe(400);
  });

  it('answers userinfo at /userinfo and /userinfo/ with booleans, and the photo as Base64 text', async () => {
    const { tokens } = await tokensDe(PRATA);
    const auth = { authorization: `Bearer ${String(tokens.access_token)}` };
    for (const caminho of ['userinfo', 'userinfo/']) {
      const u = (await (await fetch(new URL(caminho, sim.issuer), { headers: auth })).json()) as Record<string, unknown>;
      expect(u).toMatchObject({ sub: PRATA, name: 'José Carlos de Oliveira', email_verified: true, phone_number_verified: true });
      expect(u).not.toHaveProperty('reliability_info');
    }
    const foto = await fetch(new URL('userinfo/picture', sim.issuer), { headers: auth });
    expect(foto.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Buffer.from(await foto.text(), 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('serves the seals and the legacy levels on the API origin, only with scope govbr_confiabilidades and for the token\'s own CPF', async () => {
    const { tokens } = await tokensDe(PRATA);
    const auth = { authorization: `Bearer ${String(tokens.access_token)}` };
    const selos = await fetch(`${sim.apiUrl}/confiabilidades/v3/contas/${PRATA}/confiabilidades?response-type=ids`, { headers: auth });
    expect(await selos.json()).toEqual([{ id: '201', dataAtualizacao: '2024-03-10 09:15:22' }, { id: '401', dataAtualizacao: '2025-11-02 18:40:05' }]);
    const niveis = await fetch(`${sim.apiUrl}/confiabilidades/v3/contas/${PRATA}/niveis?response-type=ids`, { headers: auth });
    expect(await niveis.json()).toEqual([{ id: '2', dataAtualizacao: '2025-11-02 18:40:05' }]);
    expect((await fetch(`${sim.apiUrl}/confiabilidades/v3/contas/${NAO_VERIFICADO}/confiabilidades?response-type=ids`, { headers: auth })).status).toBe(403);

    const { tokens: semEscopo } = await tokensDe(PRATA, { scope: 'openid profile' });
    const r = await fetch(`${sim.apiUrl}/confiabilidades/v3/contas/${PRATA}/confiabilidades?response-type=ids`, { headers: { authorization: `Bearer ${String(semEscopo.access_token)}` } });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: 'ACCESSTOKEN_SCOPE_MUSTCONTAINSEXPECTEDSCOPE' });
  });

  it('logs out to an exactly registered URI, echoing state or not as switched, and ends the session', async () => {
    const { nav, tokens } = await tokensDe(PRATA);
    const sair = (uri: string) => `${sim.issuer}logout?${new URLSearchParams({ post_logout_redirect_uri: uri, state: 'st-1', id_token_hint: String(tokens.id_token) }).toString()}`;
    const recusado = await nav.seguir(sair(`${SAIDA}?x=1`));
    expect(recusado.status).toBe(400);

    const pagina = await nav.seguir(sair(SAIDA));
    const html = await pagina.text();
    const acao = /action="([^"]+)"/.exec(html)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const fim = await nav.seguir(new URL(acao, sim.issuer).href, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(fim.headers.get('location')).toBe(`${SAIDA}?state=st-1`);
    // the session is gone: a new authorization shows the sign-in page again
    const denovo = await nav.seguir(pedido().url);
    expect(await denovo.text()).toContain('id="cpf"');

    sim.definirEcoarState(false);
    try {
      const { nav: nav2, tokens: t2 } = await tokensDe(PRATA);
      const p2 = await nav2.seguir(`${sim.issuer}logout?${new URLSearchParams({ post_logout_redirect_uri: SAIDA, state: 'st-2', id_token_hint: String(t2.id_token) }).toString()}`);
      const h2 = await p2.text();
      const fim2 = await nav2.seguir(new URL(/action="([^"]+)"/.exec(h2)![1], sim.issuer).href, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf: /name="xsrf" value="([^"]+)"/.exec(h2)![1], logout: 'yes' }).toString(),
      });
      expect(fim2.headers.get('location')).toBe(SAIDA);
    } finally {
      sim.definirEcoarState(true);
    }
  });
});
