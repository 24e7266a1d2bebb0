/**
 * "Entrar com gov.br" end to end in real headless Chromium: the themed login page → the Gov.br simulator (this slot's
 * port, as the realm's govbr identity provider says) → back to Keycloak (first broker login) → the account is
 * created, or linked to an existing one with the same CPF after its password → the listener's event reaches the API
 * (started through its production entry point) with Gov.br's id_token → evidence and level (2, or 3 with a master
 * record) → the worker writes nivel_confianca → a secretariat's ID token carries it; logout ends both sessions.
 *
 * The application is `descomplica` (minimum level 1): a first gov.br sign-in creates the account before the API has
 * computed its level, so at a client asking for more (`sf-fazenda`: 2) it goes once through the Sala de Espera
 * (docs/sala-de-espera.md).
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import type { Config } from '../api/src/config.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import type { CidadaoGovbr } from '../scripts/support/govbr/cidadaos.js';
import { chaveDoArquivo, iniciarSimuladorGovbr, type SimuladorGovbr } from '../scripts/support/govbr/simulador.js';
import path from 'node:path';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura } from './support/browser.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { GOVBR_ISSUER, KC_TEST, ROOT } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';

jest.setTimeout(120_000);

const DESCOMPLICA = 'http://localhost:4106/callback';
const SAIU = 'http://localhost:4106/saiu';
const SENHA_GOVBR = 'Senha-Govbr-2026';
const SENHA_LOCAL = 'Senha-local-2026';
const BROKER = `${KC_TEST.url}/realms/${KC_TEST.realm}/broker/govbr/endpoint`;

const cidadao = (cpf: string, nome: string, selos: string[]): CidadaoGovbr => ({
  cpf, senha: SENHA_GOVBR, nome, email: `govbr.${cpf}@exemplo.com.br`, emailVerificado: true, telefone: '11987654321', telefoneVerificado: true,
  amr: ['passwd', 'mfa', 'otp'], selos: selos.map((id, i) => ({ id, atualizadoEm: `202${i}-03-10T09:15:22.104-0300` })),
});

const PRATA_COM_CADASTRO = cpfAleatorio();
const PRATA_SEM_CADASTRO = cpfAleatorio();
const COM_CONTA = cpfAleatorio();
const SENHA_ERRADA = cpfAleatorio();
const DONO_DO_EMAIL = cpfAleatorio();
const MESMO_EMAIL = cpfAleatorio();
const NAO_ENTREGUE = cpfAleatorio();
const CIDADAOS = [
  cidadao(NAO_ENTREGUE, 'Rita de Cássia Nunes', ['201', '401']),
  // Gov.br gives the e-mail of DONO_DO_EMAIL's local account (registered with `${cpf}@exemplo.sp.gov.br`)
  { ...cidadao(MESMO_EMAIL, 'Ana Souza Lima', ['201']), email: `${DONO_DO_EMAIL}@exemplo.sp.gov.br` },
  cidadao(PRATA_COM_CADASTRO, 'José Carlos de Oliveira', ['201', '401']),
  cidadao(PRATA_SEM_CADASTRO, 'Luana Martins Rocha', ['201', '610']),
  cidadao(COM_CONTA, 'Maria Aparecida dos Santos', ['201', '605']),
  cidadao(SENHA_ERRADA, 'Paulo Mendes', ['201', '401']),
];

let db: TestDatabase;
let config: Config;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let sim: SimuladorGovbr;
let kc: KcAdminClient;
let descomplica: oidc.Configuration;
let browser: Browser;
let aplicacao: Server;
let tokenGestor: string;
const apiUrl = `http://127.0.0.1:${KC_TEST.apiPort}`;

async function pedidoDeAutorizacao() {
  const verificador = oidc.randomPKCECodeVerifier();
  const estado = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(descomplica, {
    redirect_uri: DESCOMPLICA, scope: 'openid', state: estado, code_challenge_method: 'S256', code_challenge: await oidc.calculatePKCECodeChallenge(verificador),
  });
  return { url: url.href, verificador, estado };
}

/** What the application receives: the browser's request to its redirect URI (see e2e-login-fluxos.test.ts). */
async function retornoDaAplicacao(page: Page, prefixo: string, acao: () => Promise<unknown>): Promise<URL> {
  const pedido = page.waitForRequest((r) => r.isNavigationRequest() && r.url().startsWith(prefixo));
  await acao();
  const url = new URL((await pedido).url());
  await page.waitForURL((u) => u.href.startsWith(prefixo));
  return url;
}

/** From the themed login page, through "Entrar com gov.br", to the simulator's sign-in. */
async function entrarComGovbr(page: Page, cpf: string, senha = SENHA_GOVBR): Promise<void> {
  await page.click('#social-govbr');
  await page.waitForURL((u) => u.href.startsWith(GOVBR_ISSUER));
  await page.fill('#cpf', cpf);
  await page.fill('#senha', senha);
}

async function nivelNoKeycloak(userId: string): Promise<string | undefined> {
  return (await kc.users.findOne({ id: userId }))?.attributes?.nivel_confianca?.[0];
}

async function usuarioPorCpf(cpf: string) {
  const [u] = await kc.users.find({ username: cpf, exact: true });
  return u;
}

/** A new authorization in the same browser (SSO: straight back) and the application's tokens. */
async function tokensDaAplicacao(page: Page) {
  const pedido = await pedidoDeAutorizacao();
  const retorno = await retornoDaAplicacao(page, DESCOMPLICA, () => page.goto(pedido.url));
  return oidc.authorizationCodeGrant(descomplica, retorno, { pkceCodeVerifier: pedido.verificador, expectedState: pedido.estado });
}

beforeAll(async () => {
  db = await createTestDatabase();
  config = configDeTeste(db.url, { LUM_GOVBR_ISSUER: GOVBR_ISSUER, LUM_GOVBR_CLIENT_ID: KC_TEST.govbrClientId, EVENTOS_RECUPERACAO_INTERVALO_S: '2' });
  [api, worker, browser, sim] = await Promise.all([
    iniciarServidor(config), iniciarWorker(config), abrirChromium(),
    iniciarSimuladorGovbr({
      porta: KC_TEST.govbrPort, portaApi: KC_TEST.govbrApiPort, cidadaos: CIDADAOS,
      // one key across runs: Keycloak caches Gov.br's key "rsa1" by kid, as it would the real one's
      chavePrivada: chaveDoArquivo(path.join(ROOT, '.run/govbr-simulador-chave.json')),
      clientes: [{ clientId: KC_TEST.govbrClientId, clientSecret: KC_TEST.govbrClientSecret, redirectUris: [BROKER], postLogoutRedirectUris: [`${BROKER}/logout_response`] }],
    }),
  ]);
  aplicacao = await new Promise<Server>((resolve, reject) => {
    const s = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="pt-BR"><title>Aplicação</title><p>Retorno recebido.</p></html>');
    });
    s.once('error', reject);
    s.listen(4106, () => resolve(s));
  });
  fila = criarProdutorSync(config);
  kc = await adminKeycloak();
  descomplica = await discoverSecretaria('descomplica');
  const portal = await discover('portal-cidadao');
  const { cpf: cpfGestor } = await criarServidor(kc, ['gestor-cadastro'], SENHA_LOCAL);
  tokenGestor = (await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: cpfGestor, password: SENHA_LOCAL })).access_token;
  await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${tokenGestor}`)
    .send({ cpf: PRATA_COM_CADASTRO, nome: 'José Carlos de Oliveira', dataNascimento: '1958-11-30' }).expect(201);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => aplicacao?.close(r));
  await sim?.parar();
  await pararPilha({ worker, api, fila, db });
});

describe('Entrar com gov.br', () => {
  let ctx: BrowserContext;
  let page: Page;
  let erros: string[];

  beforeAll(async () => {
    ctx = await novoContexto(browser);
    page = await ctx.newPage();
    erros = coletarErros(page);
  });
  afterAll(async () => ctx?.close());

  it('the themed page\'s button is live and leads to the realm\'s broker for govbr', async () => {
    await page.goto((await pedidoDeAutorizacao()).url);
    const botao = page.locator('a#social-govbr');
    expect((await botao.innerText()).replace(/\s+/g, ' ').trim()).toBe('Entrar com gov.br');
    expect(await botao.getAttribute('href')).toContain('/broker/govbr/login');
    expect(await page.locator('#lum-govbr-aviso').count()).toBe(0);
    await salvarCaptura(page, 'login-com-govbr');
  });

  it('prata with a master record: account created with the CPF as username, level 3, and the secretariat\'s ID token says 3', async () => {
    await entrarComGovbr(page, PRATA_COM_CADASTRO);
    const retorno = await retornoDaAplicacao(page, DESCOMPLICA, () => page.click('#entrar'));
    expect(retorno.searchParams.get('code')).toBeTruthy();

    const user = await eventually(async () => {
      const u = await usuarioPorCpf(PRATA_COM_CADASTRO);
      expect(u).toBeDefined();
      return u;
    });
    expect(user).toMatchObject({ username: PRATA_COM_CADASTRO, email: `govbr.${PRATA_COM_CADASTRO}@exemplo.com.br`, emailVerified: true, firstName: 'José Carlos de', lastName: 'Oliveira' });
    expect(user.attributes).toMatchObject({ cpf: [PRATA_COM_CADASTRO], telefone: ['11987654321'] });
    expect(await kc.users.listFederatedIdentities({ id: user.id! })).toEqual([expect.objectContaining({ identityProvider: 'govbr', userId: PRATA_COM_CADASTRO })]);

    await eventually(async () => expect(await nivelNoKeycloak(user.id!)).toBe('3'), { timeoutMs: 60_000 });
    const conta = (await db.dataSource.query('SELECT pessoa_cpf, nivel_confianca FROM conta WHERE keycloak_user_id = $1', [user.id]))[0] as unknown;
    expect(conta).toEqual({ pessoa_cpf: PRATA_COM_CADASTRO, nivel_confianca: 3 });
    const tokens = await tokensDaAplicacao(page);
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ sub: user.id, azp: 'descomplica', nivel_confianca: '3', cpf: PRATA_COM_CADASTRO });
    expect(erros).toEqual([]);
  });

  it('logout from the application ends the Keycloak session and the Gov.br session', async () => {
    const user = await usuarioPorCpf(PRATA_COM_CADASTRO);
    const tokens = await tokensDaAplicacao(page);
    expect(await kc.users.listSessions({ id: user.id! })).toHaveLength(1);
    const sair = oidc.buildEndSessionUrl(descomplica, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: SAIU, state: 'tchau' });
    const volta = await retornoDaAplicacao(page, SAIU, () => page.goto(sair.href));
    expect(volta.searchParams.get('state')).toBe('tchau');
    expect(await kc.users.listSessions({ id: user.id! })).toEqual([]);

    // Gov.br's session is gone too: "Entrar com gov.br" shows the simulator's sign-in form again.
    await page.goto((await pedidoDeAutorizacao()).url);
    await page.click('#social-govbr');
    await page.waitForURL((u) => u.href.startsWith(GOVBR_ISSUER));
    expect(await page.locator('#cpf').count()).toBe(1);
  });
});

describe('the first gov.br sign-in of a CPF', () => {
  let ctx: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    kc = await adminKeycloak(); // a fresh admin session: the master realm's expires within this file's run
    ctx = await novoContexto(browser);
    page = await ctx.newPage();
  });
  afterEach(async () => ctx?.close());

  it('with no account and no master record: a new account at level 2', async () => {
    await page.goto((await pedidoDeAutorizacao()).url);
    await entrarComGovbr(page, PRATA_SEM_CADASTRO);
    await retornoDaAplicacao(page, DESCOMPLICA, () => page.click('#entrar'));
    const user = await eventually(async () => {
      const u = await usuarioPorCpf(PRATA_SEM_CADASTRO);
      expect(u).toBeDefined();
      return u;
    });
    await eventually(async () => expect(await nivelNoKeycloak(user.id!)).toBe('2'), { timeoutMs: 60_000 });
    expect(decodeJwt((await tokensDaAplicacao(page)).id_token!)).toMatchObject({ nivel_confianca: '2', cpf: PRATA_SEM_CADASTRO });
  });

  it('with an account of the same CPF: linked only after that account\'s password; the account keeps its id', async () => {
    const portal = await discover('portal-cidadao');
    const userId = await registrarCidadao(portal, { cpf: COM_CONTA, senha: SENHA_LOCAL, nome: 'Maria', sobrenome: 'dos Santos', dataNascimento: '1980-05-17' });
    await page.goto((await pedidoDeAutorizacao()).url);
    await entrarComGovbr(page, COM_CONTA);
    await page.click('#entrar');
    await page.waitForSelector('#linkAccount');
    await salvarCaptura(page, 'govbr-conta-existente');
    await page.click('#linkAccount');
    await page.waitForSelector('#password');
    await page.fill('#password', SENHA_LOCAL);
    await retornoDaAplicacao(page, DESCOMPLICA, () => page.click('#kc-login'));

    expect((await kc.users.find({ username: COM_CONTA, exact: true })).map((u) => u.id)).toEqual([userId]);
    expect(await kc.users.listFederatedIdentities({ id: userId })).toEqual([expect.objectContaining({ identityProvider: 'govbr', userId: COM_CONTA })]);
    await eventually(async () => expect(await nivelNoKeycloak(userId)).toBe('2'), { timeoutMs: 60_000 });
  });

  it('with an account of the same CPF and the wrong password: nothing is linked', async () => {
    const portal = await discover('portal-cidadao');
    const userId = await registrarCidadao(portal, { cpf: SENHA_ERRADA, senha: SENHA_LOCAL, nome: 'Paulo', sobrenome: 'Mendes', dataNascimento: '1975-01-02' });
    await page.goto((await pedidoDeAutorizacao()).url);
    await entrarComGovbr(page, SENHA_ERRADA);
    await page.click('#entrar');
    await page.click('#linkAccount');
    await page.waitForSelector('#password');
    await page.fill('#password', 'nao-e-a-senha');
    await page.click('#kc-login');
    await page.waitForSelector('[id^="input-error"]');
    expect(await page.locator('#password').count()).toBe(1);
    expect(await kc.users.listFederatedIdentities({ id: userId })).toEqual([]);
  });

  it('with an account found by the e-mail but of another CPF: never linked, a pt-BR page says why, and no account is created', async () => {
    const portal = await discover('portal-cidadao');
    const userId = await registrarCidadao(portal, { cpf: DONO_DO_EMAIL, senha: SENHA_LOCAL, nome: 'Ana', sobrenome: 'Lima', dataNascimento: '1990-06-07' });
    await page.goto((await pedidoDeAutorizacao()).url);
    await entrarComGovbr(page, MESMO_EMAIL);
    await page.click('#entrar');
    await page.waitForSelector('text=com outro CPF');
    expect(await page.locator('body').innerText()).toContain('Por segurança, ela não será vinculada ao seu gov.br');
    await salvarCaptura(page, 'govbr-email-de-outra-conta');
    expect(await page.locator('#linkAccount').count()).toBe(0);
    expect(await kc.users.listFederatedIdentities({ id: userId })).toEqual([]);
    expect(await usuarioPorCpf(MESMO_EMAIL)).toBeUndefined();
  });
});

describe('a gov.br first sign-in whose event the listener could not deliver', () => {
  it('reaches the API through the worker\'s recovery of Keycloak\'s stored events, with Gov.br\'s evidence: level 2 as if delivered at once', async () => {
    kc = await adminKeycloak();
    // The API is down (a stand-in on its port answers 503, as a proxy in front of a stopped API would) for as long
    // as the listener keeps trying: its 5 attempts (the listener's default) for each event, then it gives up.
    await pararPilha({ worker, api });
    const tentativas = new Map<string, { tipo: string; n: number }>();
    const foraDoAr = await new Promise<Server>((resolve, reject) => {
      const s = createServer((req, res) => {
        let corpo = '';
        req.on('data', (c: Buffer) => (corpo += c.toString()));
        req.on('end', () => {
          const id = String(req.headers['x-lum-event-id']);
          const tipo = (JSON.parse(corpo) as { type: string }).type;
          tentativas.set(id, { tipo, n: (tentativas.get(id)?.n ?? 0) + 1 });
          res.writeHead(503).end();
        });
      });
      s.once('error', reject);
      s.listen(KC_TEST.apiPort, '127.0.0.1', () => resolve(s));
    });
    let foraDoArAberto = true;
    const ctx = await novoContexto(browser);
    try {
      const page = await ctx.newPage();
      await page.goto((await pedidoDeAutorizacao()).url);
      await entrarComGovbr(page, NAO_ENTREGUE);
      await retornoDaAplicacao(page, DESCOMPLICA, () => page.click('#entrar'));
      // The three events of a first gov.br sign-in (Keycloak's REGISTER and IDENTITY_PROVIDER_FIRST_LOGIN of the new
      // account, then the LOGIN that carries Gov.br's token) tried 5 times each and given up: nothing of this sign-in
      // can reach the API but through the recovery.
      const registro = await eventually(async () => {
        const desistidos = [...tentativas].filter(([, t]) => t.n === 5).map(([id, t]) => ({ id, tipo: t.tipo }));
        expect(desistidos.map((d) => d.tipo).sort()).toEqual(['IDENTITY_PROVIDER_FIRST_LOGIN', 'LOGIN', 'REGISTER']);
        return desistidos.find((d) => d.tipo === 'REGISTER')!.id;
      }, { timeoutMs: 30_000 });
      kc = await adminKeycloak(); // (the admin client cannot refresh its master-realm token once set to our realm)
      const user = await usuarioPorCpf(NAO_ENTREGUE);
      expect(await db.dataSource.query('SELECT 1 FROM conta WHERE keycloak_user_id = $1', [user.id])).toEqual([]);

      // The API and its worker back: the recovery (every 2 s in this file) reads the stored events and Gov.br's
      // id_token stored on the govbr link, verifies it, and records the account, its gov.br evidence and level 2.
      await new Promise((r) => foraDoAr.close(r));
      foraDoArAberto = false;
      [api, worker] = await Promise.all([iniciarServidor(config), iniciarWorker(config)]);
      await eventually(async () => {
        kc = await adminKeycloak();
        expect(await nivelNoKeycloak(user.id!)).toBe('2');
      }, { timeoutMs: 60_000 });
      expect(await db.dataSource.query('SELECT pessoa_cpf, cpf_declarado, nivel_confianca FROM conta WHERE keycloak_user_id = $1', [user.id]))
        .toEqual([{ pessoa_cpf: null, cpf_declarado: NAO_ENTREGUE, nivel_confianca: 2 }]);
      expect(await db.dataSource.query(`SELECT tipo, pessoa_cpf, detalhe->>'nivelGovbr' AS nivel, detalhe->>'eventoId' AS evento FROM evidencia WHERE conta_id = $1`, [user.id]))
        .toEqual([{ tipo: 'govbr', pessoa_cpf: NAO_ENTREGUE, nivel: 'prata', evento: registro }]);
      // …and it came through the recovery, applied once: Keycloak stores the brokered account's creation as REGISTER
      // (what it stores of the sign-in), whose id the listener's 5 failed attempts carried
      expect(await db.dataSource.query(`SELECT tipo, payload->>'recuperado' AS recuperado, payload->'details'->>'identity_provider' AS idp FROM evento_keycloak WHERE id = $1`, [registro]))
        .toEqual([{ tipo: 'REGISTER', recuperado: 'true', idp: 'govbr' }]);
      expect(decodeJwt((await tokensDaAplicacao(page)).id_token!)).toMatchObject({ nivel_confianca: '2', cpf: NAO_ENTREGUE });
    } finally {
      await ctx.close();
      if (foraDoArAberto) await new Promise((r) => foraDoAr.close(r));
    }
  });
});
