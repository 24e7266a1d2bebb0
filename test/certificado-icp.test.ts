/**
 * Level 5: sign-in with an ICP-Brasil certificate, against the slot's real Keycloak (our providers, theme and realm),
 * the API and the worker. A test CA chain is generated here at run time (test/support/icp-teste.ts); the citizens'
 * certificates carry the ICP-Brasil natural-person data (otherName 2.16.76.1.3.1) and reach Keycloak through a
 * TLS-terminating proxy that passes them in RFC 9440 `Client-Cert` with its secret, as in production
 * (docs/certificado-icp.md).
 *
 * - a valid certificate signs the account in with no password; the listener's LOGIN event carries the certificate
 *   facts; the API appends evidence `certificado-icp`; the level rules give 5; the worker writes nivel_confianca=5
 *   into Keycloak and the next token says 5;
 * - expired, revoked (CRL of the intermediate CA), another person's CPF, self-signed, no CPF, no account → the
 *   sign-in page (password form still there) with the exact pt-BR message, and nothing recorded;
 * - a certificate header sent straight to Keycloak without the proxy's secret is ignored;
 * - the same in headless Chromium with Playwright's client certificates, screenshots under test-artifacts/.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { request as httpsRequest } from 'node:https';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import type { Config } from '../api/src/config.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura } from './support/browser.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { certificadoServidor, criarIcpDeTeste, gravarAncoras, iniciarProxyTls, type Credencial, type IcpDeTeste, type ProxyTls } from './support/icp-teste.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';

jest.setTimeout(120_000);

const REDIRECT = 'http://localhost:4000/callback';
const SENHA = 'Senha-local-2026';

/** The messages of themes/prefeitura-sp/login/messages/messages_pt_BR.properties, written out here. */
const MENSAGEM = {
  naoConfiavel: 'O certificado digital apresentado não foi emitido por uma Autoridade Certificadora da ICP-Brasil reconhecida pela Prefeitura (por exemplo, um certificado autoassinado). Use um certificado ICP-Brasil válido ou entre com seu CPF e senha.',
  expirado: 'O certificado digital apresentado está fora do prazo de validade. Renove o certificado com a sua Autoridade Certificadora ou entre com seu CPF e senha.',
  revogado: 'O certificado digital apresentado foi revogado pela Autoridade Certificadora que o emitiu e não pode mais ser usado. Entre com seu CPF e senha.',
  semCpf: 'O certificado digital apresentado não traz um CPF (dados de pessoa física da ICP-Brasil). Use um certificado de pessoa física (e-CPF) ou entre com seu CPF e senha.',
  semConta: 'Não há conta no Login Único com o CPF deste certificado digital. Crie sua conta com esse CPF e depois entre com o certificado.',
  cpfDivergente: 'O CPF do certificado digital não é o CPF desta conta. Use o seu próprio certificado ou entre com seu CPF e senha.',
};

const MARIA = cpfAleatorio();
const OUTRA_PESSOA = cpfAleatorio();
const SEM_CONTA = cpfAleatorio();

let db: TestDatabase;
let config: Config;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let kc: KcAdminClient;
let portal: oidc.Configuration;
let icp: IcpDeTeste;
let proxy: ProxyTls;
let mariaId: string;
const cert = {} as Record<'valido' | 'expirado' | 'revogado' | 'outroCpf' | 'autoassinado' | 'semCpf' | 'semConta', Credencial>;
const apiUrl = `http://127.0.0.1:${KC_TEST.apiPort}`;

async function pedidoDeAutorizacao(extra: Record<string, string> = {}) {
  const verificador = oidc.randomPKCECodeVerifier();
  const estado = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(portal, {
    redirect_uri: REDIRECT, scope: 'openid', state: estado, code_challenge_method: 'S256', code_challenge: await oidc.calculatePKCECodeChallenge(verificador), ...extra,
  });
  return { url, verificador, estado };
}

interface Resposta { status: number; location: string | null; html: string }

/** One HTTPS request to the proxy, presenting `credencial` as the TLS client certificate (none: no certificate). */
function viaProxy(url: URL, credencial: Credencial | null): Promise<Resposta> {
  const alvo = new URL(url.pathname + url.search, proxy.url);
  return new Promise((resolve, reject) => {
    const pedido = httpsRequest(alvo, {
      method: 'GET', rejectUnauthorized: false,
      ...(credencial ? { cert: credencial.certPem, key: credencial.chavePem } : {}),
    }, (res) => {
      const partes: Buffer[] = [];
      res.on('data', (b: Buffer) => partes.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, html: Buffer.concat(partes).toString('utf8') }));
    });
    pedido.on('error', reject);
    pedido.setTimeout(30_000, () => pedido.destroy(new Error(`no answer from the proxy in 30 s: ${alvo.href}`)));
    pedido.end();
  });
}

/** A sign-in with a certificate through the proxy, to the application's code and tokens. */
async function entrarComCertificado(credencial: Credencial) {
  const pedido = await pedidoDeAutorizacao();
  const r = await viaProxy(pedido.url, credencial);
  expect({ status: r.status, vaiParaAplicacao: r.location?.startsWith(REDIRECT) }).toEqual({ status: 302, vaiParaAplicacao: true });
  return oidc.authorizationCodeGrant(portal, new URL(r.location!), { pkceCodeVerifier: pedido.verificador, expectedState: pedido.estado });
}

/** The text of the sign-in page's message (the theme's `kc-feedback-text` span), or null when there is none. */
function alerta(html: string): string | null {
  const m = /<span class="[^"]*kc-feedback-text">([^<]*)<\/span>/.exec(html);
  return m ? m[1].replace(/\s+/g, ' ').trim() : null;
}

async function evidenciasCertificado(): Promise<number> {
  const [{ n }] = await db.dataSource.query<Array<{ n: number }>>("SELECT count(*)::int AS n FROM evidencia WHERE tipo = 'certificado-icp'");
  return n;
}

beforeAll(async () => {
  const agora = new Date();
  db = await createTestDatabase();
  config = configDeTeste(db.url);
  [api, worker, icp] = await Promise.all([iniciarServidor(config), iniciarWorker(config), criarIcpDeTeste(KC_TEST.icpCrlPort, agora)]);
  fila = criarProdutorSync(config);
  await gravarAncoras(KC_TEST.icpAncoras, icp.ancorasPem());
  proxy = await iniciarProxyTls({
    porta: KC_TEST.icpProxyPort, destino: `http://127.0.0.1:${KC_TEST.httpPort}`, publico: KC_TEST.url, segredo: KC_TEST.icpProxySegredo,
    servidor: await certificadoServidor(agora),
  });
  const dia = 24 * 3600 * 1000;
  cert.valido = await icp.emitir({ nome: 'MARIA DA SILVA', cpf: MARIA });
  cert.expirado = await icp.emitir({ nome: 'MARIA DA SILVA', cpf: MARIA, notBefore: new Date(agora.getTime() - 400 * dia), notAfter: new Date(agora.getTime() - 10 * dia) });
  cert.revogado = await icp.emitir({ nome: 'MARIA DA SILVA', cpf: MARIA });
  cert.outroCpf = await icp.emitir({ nome: 'JOAO PEREIRA', cpf: OUTRA_PESSOA });
  cert.autoassinado = await icp.emitir({ nome: 'MARIA DA SILVA', cpf: MARIA, autoassinado: true });
  cert.semCpf = await icp.emitir({ nome: 'MARIA DA SILVA', cpf: null });
  cert.semConta = await icp.emitir({ nome: 'ANA SEM CONTA', cpf: SEM_CONTA });
  await icp.revogar(cert.revogado);

  kc = await adminKeycloak();
  portal = await discover('portal-cidadao');
  mariaId = await registrarCidadao(portal, { cpf: MARIA, senha: SENHA, nome: 'Maria', sobrenome: 'da Silva', dataNascimento: '1980-03-15' }, db.dataSource);
  const { cpf: cpfGestor } = await criarServidor(kc, ['gestor-cadastro'], SENHA);
  const tokenGestor = (await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpfGestor, password: SENHA })).access_token;
  await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${tokenGestor}`)
    .send({ cpf: MARIA, nome: 'Maria da Silva', dataNascimento: '1980-03-15' }).expect(201);
}, 240_000);

afterAll(async () => {
  await proxy?.parar();
  await icp?.parar();
  await pararPilha({ worker, api, fila, db });
});

describe('certificate sign-in (HTTP, through the TLS proxy)', () => {
  it('a valid ICP-Brasil certificate signs Maria in; evidence certificado-icp; level 5 in the API, in Keycloak and in the next token', async () => {
    const tokens = await entrarComCertificado(cert.valido);
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ sub: mariaId, preferred_username: MARIA });

    const evidencia = await eventually(async () => {
      const [e] = await db.dataSource.query<Array<{ pessoa_cpf: string; detalhe: Record<string, string> }>>(
        "SELECT pessoa_cpf, detalhe FROM evidencia WHERE conta_id = $1 AND tipo = 'certificado-icp'", [mariaId]);
      expect(e).toBeDefined();
      return e;
    });
    expect(evidencia.pessoa_cpf).toBe(MARIA);
    expect(evidencia.detalhe).toMatchObject({
      emissor: 'CN=AC Intermediaria de Teste LUM,OU=Testes,O=Prefeitura de Sao Paulo,C=BR',
      serial: cert.valido.certificado.serialNumber.replace(/^0+/, ''),
      validoDe: cert.valido.certificado.notBefore.toISOString().replace('.000Z', 'Z'),
      validoAte: cert.valido.certificado.notAfter.toISOString().replace('.000Z', 'Z'),
    });
    expect((await db.dataSource.query('SELECT nivel_confianca, pessoa_cpf FROM conta WHERE keycloak_user_id = $1', [mariaId]))[0]).toEqual({ nivel_confianca: 5, pessoa_cpf: MARIA });

    await eventually(async () => expect((await kc.users.findOne({ id: mariaId }))?.attributes?.nivel_confianca).toEqual(['5']), { timeoutMs: 30_000 });
    const depois = await entrarComCertificado(cert.valido);
    expect(decodeJwt(depois.id_token!)).toMatchObject({ sub: mariaId, nivel_confianca: '5' });
    // each certificate sign-in is one reading: the second one is recorded too (before the refusals count rows)
    await eventually(async () => expect(await evidenciasCertificado()).toBe(2));
  });

  // Every row has its four values: jest-each takes a missing last one as a `done` callback.
  const recusas: Array<[string, keyof typeof cert, string, Record<string, string>]> = [
    ['expired', 'expirado', MENSAGEM.expirado, {}],
    ['revoked (listed in the intermediate CA\'s CRL)', 'revogado', MENSAGEM.revogado, {}],
    ['self-signed (not from a trusted ICP-Brasil CA)', 'autoassinado', MENSAGEM.naoConfiavel, {}],
    ['another person\'s CPF, when the application names Maria (login_hint)', 'outroCpf', MENSAGEM.cpfDivergente, { login_hint: MARIA }],
    ['without the ICP-Brasil natural-person data', 'semCpf', MENSAGEM.semCpf, {}],
    ['a CPF that has no account', 'semConta', MENSAGEM.semConta, {}],
  ];
  it.each(recusas)('%s: the sign-in page with its pt-BR message, the password form still there, nothing recorded', async (_nome, qual, mensagem, extra) => {
    const antes = await evidenciasCertificado();
    const pedido = await pedidoDeAutorizacao(extra);
    const r = await viaProxy(pedido.url, cert[qual]);
    expect(r.status).toBe(200);
    expect(alerta(r.html)).toBe(mensagem);
    expect(r.html).toContain('id="kc-form-login"');
    expect(r.html).toMatch(/<html[^>]* lang="pt-BR"/);
    // no LOGIN event reached the API, no evidence
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await evidenciasCertificado()).toBe(antes);
  });

  it('a Client-Cert header sent straight to Keycloak, without the proxy\'s secret, is ignored: the plain sign-in page', async () => {
    const pedido = await pedidoDeAutorizacao();
    const der = Buffer.from(cert.valido.certificado.rawData).toString('base64');
    const r = await fetch(pedido.url, { redirect: 'manual', headers: { 'client-cert': `:${der}:`, 'x-lum-proxy-segredo': 'adivinhado' } });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('id="kc-form-login"');
    expect(alerta(html)).toBeNull();
  });

  it('no certificate at all: the usual sign-in page, and the password still signs in', async () => {
    const pedido = await pedidoDeAutorizacao();
    const r = await viaProxy(pedido.url, null);
    expect(r.status).toBe(200);
    expect(alerta(r.html)).toBeNull();
    const tokens = await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: MARIA, password: SENHA });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ sub: mariaId });
  });
});

describe('certificate sign-in in headless Chromium (Playwright client certificates)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await abrirChromium();
  });
  afterAll(async () => browser?.close());

  async function abrirComCertificado(c: Credencial) {
    const ctx = await novoContexto(browser, {
      ignoreHTTPSErrors: true,
      clientCertificates: [{ origin: proxy.url, cert: Buffer.from(c.certPem), key: Buffer.from(c.chavePem) }],
    });
    const page = await ctx.newPage();
    return { ctx, page };
  }

  it('a valid certificate goes straight back to the application with a code, no password asked', async () => {
    const { ctx, page } = await abrirComCertificado(cert.valido);
    const pedido = await pedidoDeAutorizacao();
    const retorno = page.waitForRequest((r) => r.isNavigationRequest() && r.url().startsWith(REDIRECT));
    // The portal is not running in this test (and Playwright's route() does not see a redirect's target): the
    // navigation to it fails; what matters is the browser's request, with the code.
    await page.goto(new URL(pedido.url.pathname + pedido.url.search, proxy.url).href).catch((err: unknown) => {
      if (!/ERR_(SOCKS_CONNECTION_FAILED|CONNECTION_REFUSED)/.test(String(err))) throw err;
    });
    const url = new URL((await retorno).url());
    const tokens = await oidc.authorizationCodeGrant(portal, url, { pkceCodeVerifier: pedido.verificador, expectedState: pedido.estado });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ sub: mariaId, nivel_confianca: '5' });
    await ctx.close();
  });

  it('an expired certificate: the themed page says why, in pt-BR (screenshot)', async () => {
    const { ctx, page } = await abrirComCertificado(cert.expirado);
    const erros = coletarErros(page);
    const pedido = await pedidoDeAutorizacao();
    await page.goto(new URL(pedido.url.pathname + pedido.url.search, proxy.url).href);
    await expect(page.locator('#kc-form-login').count()).resolves.toBe(1);
    expect((await page.locator('.kc-feedback-text, .alert-error').first().innerText()).replace(/\s+/g, ' ').trim()).toBe(MENSAGEM.expirado);
    await salvarCaptura(page, 'certificado-icp-expirado');
    expect(erros).toEqual([]);
    await ctx.close();
  });

  it('a self-signed certificate: refused with its message (screenshot)', async () => {
    const { ctx, page } = await abrirComCertificado(cert.autoassinado);
    const pedido = await pedidoDeAutorizacao();
    await page.goto(new URL(pedido.url.pathname + pedido.url.search, proxy.url).href);
    expect((await page.locator('.kc-feedback-text, .alert-error').first().innerText()).replace(/\s+/g, ' ').trim()).toBe(MENSAGEM.naoConfiavel);
    await salvarCaptura(page, 'certificado-icp-autoassinado');
    await ctx.close();
  });
});
