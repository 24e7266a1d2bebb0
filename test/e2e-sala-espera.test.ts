/**
 * Sala de Espera end to end in headless Chromium (issue 13, first "Must show"), against the slot's real Keycloak,
 * the API on the slot's fixed port (where Keycloak's authenticator sends the room) and the sync worker:
 *
 *   a level-2 citizen opens the Saúde application → the Sala de Espera lists "Número SUS" and the level needed →
 *   the citizen supplies the CNS and a document → a Saúde steward approves through the API → the level and the CNS
 *   reach Keycloak through the outbox → the citizen signs in again and reaches the Saúde application with a token
 *   carrying level 3; a Fazenda sign-in by the same citizen never shows the room.
 *
 * The citizen registers through the real form (level 1); level 2 is set up as a Gov.br link would leave it (a `govbr`
 * evidence with the account's CPF, recomputed and synced by the worker). Screenshots: test-artifacts/sala-espera-*.png.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { recalcular } from '../api/src/confianca/confianca.service.js';
import { Evidencia } from '../api/src/contas/evidencia.entity.js';
import { criarProdutorSync, tentarEnfileirarSyncNivel, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, violacoesGraves } from './support/browser.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';

jest.setTimeout(180_000);

const SAUDE = 'http://localhost:4102/callback';
const FAZENDA = 'http://localhost:4100/callback';
const SALA = `http://127.0.0.1:${KC_TEST.apiPort}/sala-espera`;
const API = `http://127.0.0.1:${KC_TEST.apiPort}`;
const SENHA = 'Senha-da-sala-2026';
const CNS = '123456789010000';
/** A minimal PNG: enough for file-type to recognise it. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

let db: TestDatabase;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let browser: Browser;
let kc: KcAdminClient;
let saude: oidc.Configuration;
let fazenda: oidc.Configuration;
let dirDocumentos: string;
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

async function pedidoDeAutorizacao(config: oidc.Configuration, redirectUri: string) {
  const verificador = oidc.randomPKCECodeVerifier();
  const estado = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid', state: estado, code_challenge_method: 'S256', code_challenge: await oidc.calculatePKCECodeChallenge(verificador),
  });
  return { url: url.href, verificador, estado };
}

/** Every URL the page navigated to (to show the room never appeared). */
function navegacoes(page: Page): string[] {
  const urls: string[] = [];
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) urls.push(f.url());
  });
  return urls;
}

async function entrarPeloFormulario(page: Page, cpf: string): Promise<void> {
  await page.fill('#username', cpf);
  await page.fill('#password', SENHA);
  await page.click('#kc-login');
}

const atributo = async (id: string, nome: string) => (await kc.users.findOne({ id }))?.attributes?.[nome]?.[0];

beforeAll(async () => {
  db = await createTestDatabase();
  dirDocumentos = mkdtempSync(path.join(tmpdir(), 'sala-e2e-'));
  const config = configDeTeste(db.url, { LUM_SALA_DOCUMENTOS_DIR: dirDocumentos });
  [api, worker, browser, aplicacoes] = await Promise.all([iniciarServidor(config), iniciarWorker(config), abrirChromium(), Promise.all([4102, 4100].map(abrirAplicacao))]);
  fila = criarProdutorSync(config);
  kc = await adminKeycloak();
  [saude, fazenda] = await Promise.all([discoverSecretaria('sms-saude'), discoverSecretaria('sf-fazenda')]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const s of aplicacoes) await new Promise<void>((r) => s.close(() => r()));
  await pararPilha({ worker, api, fila, db });
  rmSync(dirDocumentos, { recursive: true, force: true });
}, 60_000);

describe('Sala de Espera in the browser', () => {
  it('level-2 citizen → Saúde → room (Número SUS, level 3) → CNS + document → Saúde steward approves → signs in again with level 3; Fazenda never shows the room', async () => {
    // A level-2 citizen: registered (level 1), then a Gov.br link's evidence with the account's CPF.
    const cpf = cpfAleatorio();
    const portal = await discover('portal-cidadao');
    const userId = await registrarCidadao(portal, { cpf, senha: SENHA, nome: 'Rita', sobrenome: 'Sala', dataNascimento: '1988-07-21' }, db.dataSource);
    const r = await db.dataSource.transaction(async (m) => {
      await m.save(m.create(Evidencia, { contaId: userId, tipo: 'govbr', pessoaCpf: cpf, detalhe: { nivelGovbr: 'prata' }, registradoPor: 'teste-e2e' }));
      return recalcular(userId, m);
    });
    expect(r).toMatchObject({ nivel: 2, mudou: true });
    await tentarEnfileirarSyncNivel(fila.fila, { saidaId: r.saidaId!, keycloakUserId: userId, nivelVersao: r.versao }, { error: () => undefined });
    await eventually(async () => expect(await atributo(userId, 'nivel_confianca')).toBe('2'), { timeoutMs: 60_000 });

    // Phone width: the room must fit 390 px.
    // bypassCSP: only so the test can inject axe-core; the page's own CSP allows no script
    const ctx: BrowserContext = await novoContexto(browser, { viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await ctx.newPage();
    const erros = coletarErros(page);

    // Fazenda (level 2) first: straight back to the application.
    const urlsFazenda = navegacoes(page);
    const pf = await pedidoDeAutorizacao(fazenda, FAZENDA);
    await page.goto(pf.url);
    await entrarPeloFormulario(page, cpf);
    await page.waitForURL((u) => u.href.startsWith(FAZENDA));
    expect(urlsFazenda.some((u) => u.startsWith(SALA))).toBe(false);

    // Saúde: the SSO session runs the authenticator again → the room.
    const ps = await pedidoDeAutorizacao(saude, SAUDE);
    await page.goto(ps.url);
    await page.waitForURL((u) => u.href.startsWith(SALA));
    expect(page.url()).not.toContain('code=');
    const texto = await page.textContent('main');
    expect(texto).toContain('Saúde — Secretaria Municipal da Saúde (SMS)');
    expect(texto).toContain('Número SUS (Cartão Nacional de Saúde — CNS)');
    expect(texto).toContain('Este serviço pede nível 3 (identidade conferida no cadastro da Prefeitura); sua conta está no nível 2 (conta confirmada pelo gov.br)');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await violacoesGraves(page)).toEqual([]);
    await salvarCaptura(page, 'sala-espera-1-o-que-falta');

    // The citizen supplies the CNS (a wrong one first: the pt-BR error) and a document.
    await page.fill('#cns', '123456789010001');
    await page.click('text=Enviar Número SUS');
    await page.waitForSelector('.erro');
    expect(await page.textContent('.erro')).toContain('Número SUS (CNS) inválido: confira os 15 dígitos no seu Cartão SUS');
    await page.fill('#cns', CNS);
    await page.click('text=Enviar Número SUS');
    await page.waitForSelector('.aviso');
    expect(await page.textContent('.aviso')).toContain('Dado recebido');
    await page.setInputFiles('#documento', { name: 'rg-frente.png', mimeType: 'image/png', buffer: PNG });
    await page.click('text=Enviar documento');
    await page.waitForSelector('text=Documento recebido');
    expect(await page.textContent('#situacao')).toBe('Em análise pelo órgão');
    await salvarCaptura(page, 'sala-espera-2-em-analise');
    const ref = new URL(page.url()).searchParams.get('ref')!;

    // A Saúde steward (real Keycloak token) approves through the API.
    const gestora = await criarServidor(kc, ['gestor-saude', 'servidor'], SENHA);
    const token = (await loginWithPassword({ config: saude, redirectUri: SAUDE, username: gestora.cpf, password: SENHA })).access_token;
    const chamar = async (metodo: string, caminho: string, corpo?: unknown) => {
      const res = await fetch(`${API}${caminho}`, { method: metodo, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: corpo === undefined ? undefined : JSON.stringify(corpo) });
      return { status: res.status, corpo: (await res.json()) as Record<string, unknown> };
    };
    const lista = await chamar('GET', '/sala-espera/fila');
    expect(lista.status).toBe(200);
    const pedido = (lista.corpo['pedidos'] as Array<{ id: string; cliente: string; documentos: Array<{ id: string }> }>).find((p) => p.cliente === 'sms-saude')!;
    expect((await chamar('POST', `/sala-espera/fila/${pedido.id}/assumir`, {})).status).toBe(200);
    const aprovado = await chamar('POST', `/sala-espera/fila/${pedido.id}/aprovar`, {
      evidencia: { descricao: 'RG conferido com a foto; CNS confere com o cartão', documentos: [pedido.documentos[0].id] }, pessoa: { nome: 'Rita Sala', dataNascimento: '1988-07-21' },
    });
    expect(aprovado).toMatchObject({ status: 200, corpo: { situacao: 'aprovado', nivel: 3 } });

    // The worker takes level and CNS to Keycloak.
    await eventually(async () => {
      expect({ nivel: await atributo(userId, 'nivel_confianca'), dados: await atributo(userId, 'dados_complementares') }).toEqual({ nivel: '3', dados: 'cns' });
    }, { timeoutMs: 60_000 });

    // The room shows the answer to the same reference.
    await page.goto(`${SALA}?ref=${encodeURIComponent(ref)}`);
    expect(await page.textContent('#situacao')).toBe('Aprovado');
    await salvarCaptura(page, 'sala-espera-3-aprovado');

    // Signing in again: the Saúde application gets its code, and the token carries level 3.
    const ps2 = await pedidoDeAutorizacao(saude, SAUDE);
    const urlsSaude = navegacoes(page);
    await page.goto(ps2.url);
    await page.waitForURL((u) => u.href.startsWith(SAUDE));
    expect(urlsSaude.some((u) => u.startsWith(SALA))).toBe(false);
    const tokens = await oidc.authorizationCodeGrant(saude, new URL(page.url()), { pkceCodeVerifier: ps2.verificador, expectedState: ps2.estado });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ azp: 'sms-saude', cpf, nivel_confianca: '3' });
    await salvarCaptura(page, 'sala-espera-4-aplicacao-saude');
    // the only console error: the page's answer to the wrong CNS above (a 400 with the pt-BR message)
    expect(erros).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await ctx.close();
  });
});
