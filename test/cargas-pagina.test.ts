/**
 * The stewards' batch-load page in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the
 * API listens on an ephemeral port with a completed load (real worker, real `executarCarga`) and a request waiting
 * in the queue; the page, opened with a steward's bearer token (a browser without one gets the 401 error body), shows
 * the whole-base diagnosis and the loads in the source document's categories, in pt-BR; its CSP holds (no console
 * error); axe-core finds no serious accessibility violation; screenshot in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from 'bullmq';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { criarWorkerCarga } from '../api/src/carga/gestao/processador.js';
import { criarAppDeTeste, type AppDeTeste } from '../api/test/helpers/app.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, violacoesGraves } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { usarRelogioDosTestes } from './support/relogio.js';

usarRelogioDosTestes();

let t: AppDeTeste;
let worker: Worker;
let server: Server;
let browser: Browser;
let contexto: BrowserContext;
let page: Page;
let url: string;
let dir: string;
let token: string;
let errosConsole: string[] = [];

const CABECALHO = 'ID_CIDADAO;CPF;NOME;NOME_MAE;DATA_NASC;SEXO;CIDADE/UF;TELEFONE;FALECIDO';
/** BDC layout (Latin-1, “;”): 4 rows — 2 valid CPFs, 1 without (NAO CONSTA), 1 with a wrong length (reason “tamanho”). */
const BDC = [
  CABECALHO,
  `10;${cpfAleatorio()};JOÃO DA SILVA;MARIA DA SILVA;01/02/1980;MASCULINO;SAO PAULO/SP;;N`,
  `11;${cpfAleatorio()};ANA SOUZA;;03/04/1990;FEMININO;SAO PAULO/SP;;N`,
  `12;NAO CONSTA;PEDRO LIMA;RITA LIMA;05/06/2015;MASCULINO;SAO PAULO/SP;;N`,
  `13;1234;LUCIA ALVES;;07/08/1970;FEMININO;SAO PAULO/SP;;S`,
].join('\r\n') + '\r\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lum-carga-pagina-'));
  await writeFile(join(dir, 'bdc-2026-11.csv'), Buffer.from(BDC, 'latin1'));
  await writeFile(join(dir, 'bdc-2026-12.csv'), Buffer.from(BDC, 'latin1'));
  t = await criarAppDeTeste('cargas-pagina', { env: { CARGA_DIRETORIO: dir } });
  token = await t.tokens.gestor();
  worker = criarWorkerCarga(t.config, { dataSource: t.db.dataSource, logger: pino({ level: 'silent' }) }, { nome: t.nomeFilaCarga });
  const auth = { Authorization: `Bearer ${token}` };
  const feito = (await request(t.app).post('/cargas').set(auth).send({ fonte: 'bdc', arquivo: 'bdc-2026-11.csv' }).expect(202)).body.id as string;
  await eventually(async () => expect((await request(t.app).get(`/cargas/${feito}`).set(auth).expect(200)).body.situacao).toBe('concluida'), { timeoutMs: 60_000 });
  // The second request stays in the queue: the worker is closed before it is made.
  await worker.close();
  await request(t.app).post('/cargas').set(auth).send({ fonte: 'bdc', arquivo: 'bdc-2026-12.csv' }).expect(202);

  server = await new Promise<Server>((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await abrirChromium();
  contexto = await novoContexto(browser, { extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  page = await contexto.newPage();
  errosConsole = coletarErros(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.fechar();
  await rm(dir, { recursive: true, force: true });
});

/** Text of the value cell of a category row of the first table (the whole base). */
const valorNaBase = (rotulo: string) => page.locator('section[aria-labelledby="titulo-base"] tr', { has: page.locator('th', { hasText: rotulo }) }).first().locator('td').textContent();

describe('the stewards\' load page (headless Chromium)', () => {
  it('without a token the browser gets the 401 error body, not the page', async () => {
    const anonimo = await novoContexto(browser);
    const p = await anonimo.newPage();
    const r = await p.goto(`${url}/cargas/painel`);
    expect(r!.status()).toBe(401);
    expect(JSON.parse(await p.innerText('body'))).toMatchObject({ error: 'NaoAutenticado' });
    await anonimo.close();
  });

  it('shows the whole-base diagnosis, the queue and the recent loads in pt-BR', async () => {
    const r = await page.goto(`${url}/cargas/painel`);
    expect(r!.status()).toBe(200);
    expect(r!.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    expect(await page.textContent('h1')).toBe('Carga em lote: diagnóstico do cadastro');
    expect(await page.locator('h2').allTextContents()).toEqual(['Diagnóstico de toda a base', 'Pedidos na fila', 'Cargas recentes']);
    expect(await page.locator('section[aria-labelledby="titulo-base"] th[scope="row"]').allTextContents()).toEqual(expect.arrayContaining([
      'Registros lidos', 'CPFs únicos', 'CPFs válidos', 'CPFs inválidos/falsos — valores distintos', 'CPFs inválidos/falsos — registros', 'Sem CPF', 'Fundidos',
      'Casados sem CPF', 'Itens de revisão abertos — campos', 'Itens de revisão abertos — vínculo',
      'CPFs de responsável devolvidos ao titular (registro mestre refeito)',
    ]));
    expect(await valorNaBase('Registros lidos')).toMatch(/^\d[\d.]*$/);
    const fila = page.locator('section[aria-labelledby="titulo-fila"] tbody tr');
    expect(await fila.count()).toBe(1);
    expect(await fila.locator('td').nth(2).textContent()).toBe('bdc-2026-12.csv');
    expect(await fila.locator('td').nth(3).textContent()).toBe('aguardando');
    const carga = page.locator('section[aria-labelledby="titulo-cargas"] tbody tr', { hasText: 'bdc-2026-11.csv' });
    const celulas = await carga.locator('td').allTextContents();
    // Carga, Fonte (CMBD), Arquivo, Situação, Fase, Registros lidos, Linhas ilegíveis, CPFs válidos, CPFs inválidos, Sem CPF, …
    expect(celulas.slice(1, 10)).toEqual(['bdc (SMADS)', 'bdc-2026-11.csv', 'concluída', 'concluída', '4', '0', '2', '1', '1']);
    await salvarCaptura(page, 'cargas-painel');
    expect(errosConsole).toEqual([]);
  }, 60_000);

  it('axe-core finds no serious or critical accessibility violation', async () => {
    const ctx = await novoContexto(browser, { bypassCSP: true, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const p = await ctx.newPage();
    await p.goto(`${url}/cargas/painel`);
    const graves = await violacoesGraves(p);
    await ctx.close();
    expect(graves).toEqual([]);
  }, 60_000);
});
