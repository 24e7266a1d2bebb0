/**
 * Level 4 through the Sala de Espera, end to end in headless Chromium at phone width (issue 13, items 3 and 5),
 * against the slot's real Keycloak, the API on the slot's fixed port and the sync worker:
 *
 *   a level-1 citizen with a master record opens `descomplica` asking for level 4 (`acr_values=urn:lum:nivel:4`) →
 *   the Sala de Espera says the biometric capture is missing and lists the Descomplica points with free slots → the
 *   citizen books one → the point's service account (`descomplica-biometria`, private_key_jwt) records the capture →
 *   the worker writes `nivel_confianca=4` into Keycloak → the room shows the booking done and nothing missing → the
 *   next sign-in with the same request reaches the application with `nivel_confianca: "4"` in the ID token.
 *
 * The domain clock is fixed (Friday 4 December 2026, 16:10 in São Paulo): the free slots and the capture time are
 * judged against it. Screenshots: test-artifacts/sala-agendamento-*.png.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext } from 'playwright-core';
import { relogioFixo, usarRelogio } from '../api/src/relogio.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, violacoesGraves } from './support/browser.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt } from './support/oidc.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha } from './support/pilha.js';

jest.setTimeout(180_000);

const DESCOMPLICA = 'http://localhost:4106/callback';
const SALA = `http://127.0.0.1:${KC_TEST.apiPort}/sala-espera`;
const API = `http://127.0.0.1:${KC_TEST.apiPort}`;
const SENHA = 'Senha-do-agendamento-2026';

let db: TestDatabase;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let browser: Browser;
let kc: KcAdminClient;
let descomplica: oidc.Configuration;
let aplicacao: Server;
let restaurarRelogio: () => void;

async function pedidoNivel4() {
  const verificador = oidc.randomPKCECodeVerifier();
  const estado = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(descomplica, {
    redirect_uri: DESCOMPLICA, scope: 'openid', state: estado, code_challenge_method: 'S256', code_challenge: await oidc.calculatePKCECodeChallenge(verificador),
    acr_values: 'urn:lum:nivel:4',
  });
  return { url: url.href, verificador, estado };
}

beforeAll(async () => {
  restaurarRelogio = usarRelogio(relogioFixo('2026-12-04T16:10:00-03:00'));
  db = await createTestDatabase();
  const config = configDeTeste(db.url);
  [api, worker, browser, aplicacao] = await Promise.all([
    iniciarServidor(config), iniciarWorker(config), abrirChromium(),
    new Promise<Server>((resolve, reject) => {
      const s = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="pt-BR"><title>Descomplica</title><p>Retorno.</p></html>'));
      s.once('error', reject);
      s.listen(4106, () => resolve(s));
    }),
  ]);
  fila = criarProdutorSync(config);
  kc = await adminKeycloak();
  descomplica = await discoverSecretaria('descomplica');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (aplicacao ? aplicacao.close(() => r()) : r()));
  await pararPilha({ worker, api, fila, db });
  restaurarRelogio?.();
}, 60_000);

describe('level 4 through the Sala de Espera in the browser', () => {
  it('descomplica asks for level 4 → room lists the points → the citizen books → the point records the capture → level 4 in Keycloak → the next sign-in passes', async () => {
    // A citizen (no staff role) with a password, the account the API knows (level 1) and a master record with its CPF.
    const { cpf, id: userId } = await criarServidor(kc, [], SENHA);
    await kc.users.update({ id: userId }, { username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Rosa', lastName: 'Agenda', enabled: true, emailVerified: true, attributes: { cpf: [cpf] } });
    await db.dataSource.query(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ($1, 'Rosa Agenda', DATE '1969-09-09')`, [cpf]);
    await db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado) VALUES ($1, $2, $3)`, [userId, cpf, cpf]);

    // bypassCSP: only so the test can inject axe-core; the page's own CSP allows no script
    const ctx: BrowserContext = await novoContexto(browser, { viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await ctx.newPage();
    const erros = coletarErros(page);

    const p1 = await pedidoNivel4();
    await page.goto(p1.url);
    await page.fill('#username', cpf);
    await page.fill('#password', SENHA);
    await page.click('#kc-login');
    await page.waitForURL((u) => u.href.startsWith(SALA));
    expect(await page.title()).toBe('Sala de Espera — Login Único Municipal — Prefeitura de São Paulo');
    expect(page.url()).not.toContain('code=');
    const texto = await page.textContent('main');
    expect(texto).toContain('Este serviço pede nível 4 (biometria registrada); sua conta está no nível 1 (conta criada).');
    expect(texto).toContain('Agende a captura da biometria no Descomplica SP');
    expect(await page.textContent('label[for="h-1-0"]')).toBe('sábado, 05/12, 08:00');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await violacoesGraves(page)).toEqual([]);
    await salvarCaptura(page, 'sala-agendamento-1-horarios');

    // The citizen books São Miguel, Saturday 08:00 (by its label: keyboard and screen readers reach it the same way).
    await page.click('label[for="h-1-0"]');
    await page.click('text=Agendar');
    await page.waitForSelector('#agendamento');
    expect(await page.textContent('.aviso')).toContain('Horário agendado.');
    expect(await page.textContent('#agendamento')).toBe('Agendado: Descomplica SP São Miguel (exemplo), Endereço de exemplo, São Miguel Paulista — São Paulo/SP, sábado, 05/12, 08:00.');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await violacoesGraves(page)).toEqual([]);
    await salvarCaptura(page, 'sala-agendamento-2-agendado');
    const ref = new URL(page.url()).searchParams.get('ref')!;

    // The point records the capture with its service account (client credentials, private_key_jwt).
    const token = (await oidc.clientCredentialsGrant(await discoverSecretaria('descomplica-biometria'))).access_token;
    const res = await fetch(`${API}/biometria/capturas`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cpf, ponto: 'descomplica-sao-miguel', operador: 'RF-4400123', capturadaEm: '2026-12-04T16:05:00-03:00', referenciaCaptura: 'SMG-20261204-0001' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ nivelAnterior: 1, nivel: 4, agendamentoId: expect.any(String) });
    await eventually(async () => expect((await kc.users.findOne({ id: userId }))?.attributes?.['nivel_confianca']?.[0]).toBe('4'), { timeoutMs: 90_000 });

    // The room, same reference: the booking done, nothing missing; once the worker has marked the outbox row done,
    // "Continuar" (its link, re-checked with "Verificar de novo" until then) goes back to the service through Keycloak.
    await page.goto(`${SALA}?ref=${encodeURIComponent(ref)}`);
    await eventually(async () => {
      await page.goto(`${SALA}?ref=${encodeURIComponent(ref)}`);
      expect(await page.textContent('main')).toContain('Nada: sua conta já atende ao serviço.');
    }, { timeoutMs: 60_000 });
    expect(await page.textContent('#agendamento')).toBe('Biometria registrada em Descomplica SP São Miguel (exemplo) (sábado, 05/12, 08:00).');
    expect(await page.getAttribute('#continuar', 'href')).toBe(`${KC_TEST.url}/realms/${KC_TEST.realm}/clients/descomplica/redirect`);
    expect(await violacoesGraves(page)).toEqual([]);
    await salvarCaptura(page, 'sala-agendamento-3-registrada');
    await page.click('#continuar');
    await page.waitForURL('http://localhost:4106/');

    // The application signs in again with the same request (the room ended the first sign-in before any session was
    // created, so the form again): it gets its code; the ID token carries level 4.
    const p2 = await pedidoNivel4();
    await page.goto(p2.url);
    await page.fill('#username', cpf);
    await page.fill('#password', SENHA);
    await page.click('#kc-login');
    await page.waitForURL((u) => u.href.startsWith(DESCOMPLICA));
    const tokens = await oidc.authorizationCodeGrant(descomplica, new URL(page.url()), { pkceCodeVerifier: p2.verificador, expectedState: p2.estado });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ azp: 'descomplica', cpf, nivel_confianca: '4' });
    await salvarCaptura(page, 'sala-agendamento-4-aplicacao');
    expect(erros).toEqual([]);
    await ctx.close();
    await kc.users.del({ id: userId });
  });
});
