/**
 * The public CMBD page in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the API
 * listens on an ephemeral port with a published catalogue; the page loads it without any token, lists it, the
 * search finds an entry by keyword (accent-insensitive), the organ that did not take part is shown, the CSP holds
 * (no console errors), axe-core finds no serious accessibility violation; screenshot in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { montarAppCmbd } from '../api/test/helpers/cmbd.js';
import { baseValida, mapaValido } from '../api/src/cmbd/cmbd.fixtures.js';
import { criarEmissorTeste } from '../api/test/helpers/tokens.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, violacoesGraves } from './support/browser.js';
import { usarRelogioDosTestes } from './support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

let db: TestDatabase;
let server: Server;
let browser: Browser;
let page: Page;
let url: string;
let errosConsole: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const tokens = await criarEmissorTeste();
  const app = montarAppCmbd(db.dataSource, tokens.verificador);
  const cgm = { Authorization: `Bearer ${await tokens.emitir({ username: 'cgm.dta', roles: ['cmbd-cgm'] })}` };
  for (const [sigla, nome] of [['SMADS', 'Secretaria Municipal de Assistência e Desenvolvimento Social'], ['SF', 'Secretaria Municipal da Fazenda'], ['SME', 'Secretaria Municipal de Educação']]) {
    await request(app).put(`/cmbd/orgaos/${sigla}`).set(cgm).send({ nome }).expect(201);
  }
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida()).expect(201);
  await request(app).post('/cmbd/bases').set(cgm).send(mapaValido()).expect(201);
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida({ sigla: 'SF', titulo: 'Cadastro imobiliário fiscal', codigoProdam: 'TPCL - Cadastro de Contribuintes', palavrasChave: ['IPTU', 'imóveis', 'tributos'], resumo: 'Imóveis do município e seus lançamentos de IPTU.', periodicidade: 'Diária', situacao: 'INATIVA', inativaDesde: '2026-10-31' })).expect(201);
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida({ sigla: 'SME', titulo: 'Escola On-Line (EOL) — matrículas', palavrasChave: ['matrículas', 'escolas', 'estudantes'], resumo: 'Matrículas da rede municipal de ensino.' })).expect(201);
  await request(app).post('/cmbd/campanhas').set(cgm).send({ codigo: '2026-2', prazo: '2026-11-30' }).expect(201);
  for (const sigla of ['SMADS', 'SF']) {
    const lista = await request(app).get(`/cmbd/campanhas/2026-2/orgaos/${sigla}/lista`).set(cgm).expect(200);
    for (const b of lista.body.bases) await request(app).post(`/cmbd/bases/${b.id}/confirmacao`).set(cgm).expect(200);
    await request(app).post(`/cmbd/campanhas/2026-2/orgaos/${sigla}/conclusao`).set(cgm).expect(200);
  }
  await request(app).post('/cmbd/campanhas/2026-2/encerramento').set(cgm).expect(200);

  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await abrirChromium();
  page = await browser.newPage({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
  errosConsole = coletarErros(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await db?.drop();
});

const linhas = () => page.locator('#resultados tbody tr');
/** (String expressions: the project's tsconfig has no DOM lib.) */
const esperarLinhas = (p: Page, n: number) => p.waitForFunction(`document.querySelectorAll('#resultados tbody tr').length === ${n}`);

describe('the public CMBD page (headless Chromium)', () => {
  it('lists the published catalogue without a token, with the organs that did not take part', async () => {
    const resp = await page.goto(`${url}/dados-abertos/cmbd`);
    expect(resp!.status()).toBe(200);
    expect(resp!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    await esperarLinhas(page, 4);
    expect(await page.textContent('h1')).toBe('Catálogo Municipal de Bases de Dados (CMBD) — 2026-2');
    expect(await page.textContent('#estado')).toBe('4 bases catalogadas.');
    expect(await page.locator('#nao-participantes li').allTextContents()).toEqual(['SME — Secretaria Municipal de Educação']);
    expect(await page.locator('tr', { hasText: 'Cadastro imobiliário fiscal' }).locator('td').nth(4).textContent()).toBe('INATIVA desde 31/10/2026');
  }, 60_000);

  it('the search finds an entry by keyword (accent-insensitive) and says how many', async () => {
    await page.fill('#termo', 'imoveis');
    await page.click('button[type=submit]');
    await esperarLinhas(page, 1);
    expect(await linhas().first().locator('strong').textContent()).toBe('Cadastro imobiliário fiscal');
    expect(await page.textContent('#estado')).toBe('1 base encontrada para “imoveis”.');

    await page.fill('#termo', 'cras smads');
    await esperarLinhas(page, 2);
    expect(await linhas().locator('strong').allTextContents()).toEqual(['Cadastro de usuários dos Centros de Referência de Assistência Social', 'Mapa dos equipamentos socioassistenciais']);

    await page.fill('#termo', 'nada-disso');
    await esperarLinhas(page, 0);
    expect(await page.textContent('#estado')).toBe('0 bases encontradas para “nada-disso”.');

    await page.fill('#termo', 'matrículas');
    await esperarLinhas(page, 1);
    await salvarCaptura(page, 'cmbd-publico');
    await page.fill('#termo', '');
    await esperarLinhas(page, 4);
    await salvarCaptura(page, 'cmbd-publico-lista');
  }, 60_000);

  it('the download links reach the open data; no console error (CSP respected)', async () => {
    const csv = await page.evaluate<string>(`fetch(document.querySelector('#link-csv').href).then((r) => r.text())`);
    expect(csv.split('\r\n')[0]).toMatch(/^Órgão ou Entidade,Sigla,Seção Responsável,Código \/ Nome PRODAM,Título da Base/);
    expect(errosConsole).toEqual([]);
  });

  it('axe-core finds no serious or critical accessibility violation', async () => {
    const ctx = await novoContexto(browser, { bypassCSP: true });
    const p = await ctx.newPage();
    await p.goto(`${url}/dados-abertos/cmbd`);
    await esperarLinhas(p, 4);
    const graves = await violacoesGraves(p);
    await ctx.close();
    expect(graves).toEqual([]);
  }, 60_000);
});
