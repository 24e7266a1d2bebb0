/**
 * Sign-up and sign-in through the São Paulo theme in real headless Chromium, end to end with the API and worker
 * (started through their production entry points, as in spine.test.ts, so that REGISTER raises the new account to
 * level 1 and nivel_confianca lands in the Keycloak user):
 *   - a valid registration from a secretariat's client (descomplica) creates the user with its `cpf` (CPF typed with
 *     the mask, stored as 11 digits) and the account reaches level 1;
 *   - keyboard-only sign-in from descomplica completes authorization code + PKCE, and the application's tokens carry
 *     nivel_confianca and cpf;
 *   - a client outside the city (parceiro-externo, consent required) shows the pt-BR consent screen; declining gives
 *     the application `error=access_denied`, accepting gives it tokens.
 * What the applications receive is read from the browser's request to their redirect URIs (localhost:4106, :4900),
 * where stand-in callback pages answer.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { adminKeycloak, configDeTeste, pararPilha } from './support/pilha.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, tabAte, violacoesGraves } from './support/browser.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { decodeJwt, discover } from './support/oidc.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';

jest.setTimeout(90_000);

const DESCOMPLICA = 'http://localhost:4106/callback';
const PARCEIRO = 'http://localhost:4900/callback';
const SENHA = 'Senha-de-teste-2026';
const mascarado = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

let db: TestDatabase;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let kc: KcAdminClient;
let descomplica: oidc.Configuration;
let parceiro: oidc.Configuration;
let browser: Browser;

/** An authorization request with PKCE S256 and state, as a relying party builds it. */
async function pedidoDeAutorizacao(config: oidc.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verificador = oidc.randomPKCECodeVerifier();
  const estado = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid', state: estado, code_challenge_method: 'S256',
    code_challenge: await oidc.calculatePKCECodeChallenge(verificador), ...extra,
  });
  return { url: url.href, verificador, estado };
}

/**
 * What the application receives: the browser's request to its redirect URI, with the code or the error. A stand-in
 * for each application answers on its port (see `aplicacoes`), so the navigation completes like a real one and
 * nothing is left pending for the next test. (Playwright routing cannot answer it: in Chromium a route handler never
 * sees the hops of a redirect chain, only the first request.)
 */
async function retornoDaAplicacao(page: Page, redirectUri: string, acao: () => Promise<unknown>): Promise<URL> {
  const pedido = page.waitForRequest((r) => r.isNavigationRequest() && r.url().startsWith(redirectUri));
  await acao();
  const url = new URL((await pedido).url());
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  return url;
}

/** The two applications' callback pages (descomplica on 4106, parceiro-externo on 4900): a plain 200. */
let aplicacoes: Server[] = [];
function abrirAplicacao(porta: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="pt-BR"><title>Aplicação</title><p>Retorno recebido.</p></html>');
    });
    s.once('error', reject);
    s.listen(porta, () => resolve(s));
  });
}

async function nivelNoKeycloak(userId: string): Promise<string | undefined> {
  return (await kc.users.findOne({ id: userId }))?.attributes?.nivel_confianca?.[0];
}

beforeAll(async () => {
  db = await createTestDatabase();
  const config = configDeTeste(db.url);
  [api, worker, browser] = await Promise.all([iniciarServidor(config), iniciarWorker(config), abrirChromium()]);
  aplicacoes = await Promise.all([4106, 4900].map(abrirAplicacao));
  fila = criarProdutorSync(config);
  kc = await adminKeycloak();
  [descomplica, parceiro] = await Promise.all([discoverSecretaria('descomplica'), discover('parceiro-externo')]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(aplicacoes.map((a) => new Promise((r) => a.close(r))));
  await pararPilha({ worker, api, fila, db });
});

describe('a citizen signs up and signs in through the São Paulo pages', () => {
  const cpf = cpfAleatorio();
  let userId: string;
  let ctx: BrowserContext;
  let page: Page;
  let erros: string[];

  beforeAll(async () => {
    ctx = await novoContexto(browser);
    page = await ctx.newPage();
    erros = coletarErros(page);
  });
  afterAll(async () => ctx?.close());

  it('a valid registration from a secretariat\'s client creates the user with its cpf; the account reaches level 1', async () => {
    const pedido = await pedidoDeAutorizacao(descomplica, DESCOMPLICA);
    await page.goto(pedido.url);
    await page.click('text=CADASTRE-SE AQUI');
    await page.waitForSelector('#kc-register-form'); // (the login page has a #username too)
    await page.locator('#username').pressSequentially(cpf);
    expect(await page.inputValue('#username')).toBe(mascarado(cpf));
    await page.fill('#password', SENHA);
    await page.fill('#password-confirm', SENHA);
    await page.fill('#email', `${cpf}@exemplo.com.br`);
    await page.fill('#firstName', 'Maria');
    await page.fill('#lastName', 'da Conceição');
    await page.fill('#data_nascimento', '1980-05-17');
    const retorno = await retornoDaAplicacao(page, DESCOMPLICA, () => page.click('input[type=submit]'));
    expect(retorno.searchParams.get('state')).toBe(pedido.estado);
    const tokens = await oidc.authorizationCodeGrant(descomplica, retorno, { pkceCodeVerifier: pedido.verificador, expectedState: pedido.estado });
    userId = decodeJwt(tokens.id_token!).sub as string;

    const [user] = await kc.users.find({ username: cpf, exact: true });
    expect(user).toMatchObject({ id: userId, username: cpf, email: `${cpf}@exemplo.com.br`, firstName: 'Maria', lastName: 'da Conceição' });
    expect(user.attributes).toMatchObject({ cpf: [cpf], data_nascimento: ['1980-05-17'] });
    // REGISTER reached the API (signed, after commit); the worker wrote the level into the Keycloak user.
    await eventually(async () => expect(await nivelNoKeycloak(userId)).toBe('1'), { timeoutMs: 30_000 });
    expect(erros).toEqual([]);
  });

  it('keyboard-only sign-in from descomplica completes authorization code + PKCE; the tokens carry nivel_confianca and cpf', async () => {
    await ctx.clearCookies(); // a new sign-in, not the registration's session
    const pedido = await pedidoDeAutorizacao(descomplica, DESCOMPLICA);
    await page.goto(pedido.url);
    expect(await page.evaluate('document.activeElement.id')).toBe('username');
    await page.keyboard.type(mascarado(cpf)); // typed with the mask: the page sends the 11 digits
    await tabAte(page, '#password', 1);
    await page.keyboard.type(SENHA);
    await tabAte(page, '#kc-login', 4); // past the show-password button and "Manter conectado"
    const retorno = await retornoDaAplicacao(page, DESCOMPLICA, () => page.keyboard.press('Enter'));
    expect(retorno.searchParams.get('code')).toBeTruthy();
    // Without the verifier the code is refused (PKCE is enforced), with it the application gets its tokens.
    // (the client authenticates with private_key_jwt, as its realm policy requires)
    await expect(oidc.authorizationCodeGrant(descomplica, retorno, { expectedState: pedido.estado })).rejects.toMatchObject({ error: 'invalid_grant' });

    const pedido2 = await pedidoDeAutorizacao(descomplica, DESCOMPLICA);
    // SSO session: straight back with a fresh code.
    const retorno2 = await retornoDaAplicacao(page, DESCOMPLICA, () => page.goto(pedido2.url));
    const tokens = await oidc.authorizationCodeGrant(descomplica, retorno2, { pkceCodeVerifier: pedido2.verificador, expectedState: pedido2.estado });
    for (const jwt of [tokens.id_token!, tokens.access_token]) {
      expect(decodeJwt(jwt)).toMatchObject({ sub: userId, azp: 'descomplica', nivel_confianca: '1', cpf });
    }
  });

  it('a client outside the city shows the pt-BR consent screen; declining gives the application access_denied', async () => {
    const pedido = await pedidoDeAutorizacao(parceiro, PARCEIRO);
    await page.goto(pedido.url); // already signed in: consent is the only step
    await page.waitForSelector('#kc-oauth');
    expect((await page.innerText('h1')).replace(/\s+/g, ' ').trim()).toBe('Autorizar o acesso de Aplicativo parceiro');
    expect((await page.textContent('#kc-oauth h3'))!.trim())
      .toBe('Este aplicativo não é da Prefeitura e pede acesso aos seus dados abaixo. Você autoriza?');
    const itens = (await page.locator('#kc-oauth li').allInnerTexts()).map((t) => t.trim());
    expect(itens).toEqual(expect.arrayContaining([
      'Seu CPF (Cadastro de Pessoas Físicas)',
      'Seu nível de confiança no Login Único (de 1 a 5), que indica quão bem sua identidade foi comprovada',
    ]));
    expect((await page.textContent('#kc-login'))!.trim()).toBe('Sim, autorizo');
    expect((await page.textContent('#kc-cancel'))!.trim()).toBe('Não autorizo');
    await salvarCaptura(page, 'consentimento');
    expect(await violacoesGraves(page)).toEqual([]);

    const retorno = await retornoDaAplicacao(page, PARCEIRO, () => page.click('#kc-cancel'));
    expect(retorno.searchParams.get('error')).toBe('access_denied');
    expect(retorno.searchParams.get('state')).toBe(pedido.estado);
    expect(retorno.searchParams.get('code')).toBeNull();
    const consentimentos = await kc.users.listConsents({ id: userId });
    expect(consentimentos.map((c) => c.clientId)).not.toContain('parceiro-externo');
  });

  it('accepting the consent gives the outside application its tokens (public client, PKCE), and the grant is recorded', async () => {
    const pedido = await pedidoDeAutorizacao(parceiro, PARCEIRO);
    await page.goto(pedido.url);
    const retorno = await retornoDaAplicacao(page, PARCEIRO, () => page.click('#kc-login'));
    const tokens = await oidc.authorizationCodeGrant(parceiro, retorno, { pkceCodeVerifier: pedido.verificador, expectedState: pedido.estado });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: userId, azp: 'parceiro-externo', nivel_confianca: '1', cpf });
    const consentimentos = await kc.users.listConsents({ id: userId });
    expect(consentimentos.map((c) => c.clientId)).toContain('parceiro-externo');
    expect(erros).toEqual([]);
  });
});
