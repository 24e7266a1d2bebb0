/**
 * Área do Cidadão in real headless Chromium, against the slot's Keycloak: the portal listens on the realm's
 * `portal-cidadao` address (http://localhost:4000 — a fixed port, so this file is in jest.config.js STACK), signs in
 * with Keycloak's themed login page (code + PKCE), and the citizen uses Meus Dados (address accepted with the citizen
 * as actor, civil name pending, gender refused with the PMCC's reason), Segurança, Mensagens (a thread with an organ,
 * reached from the login page's "Minha conta") and Quem acessou meus dados — by
 * keyboard, with axe-core (no serious violation) on every page, at desktop and phone width; screenshots in
 * test-artifacts/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../api/test/helpers/app.js';
import { criarVerificadorKeycloak } from '../api/src/auth/verificador-token.js';
import { loadConfig } from '../api/src/config.js';
import { keycloakAplicacoes } from '../api/src/portal/aplicacoes.js';
import { criarClienteOidc } from '../api/src/portal/oidc.js';
import { criarPortal } from '../api/src/portal/portal.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, tabAte, violacoesGraves } from './support/browser.js';
import { issuer, KC_TEST } from './support/keycloak.js';
import { adminKeycloak, criarServidor } from './support/pilha.js';
import { discover } from './support/oidc.js';

const SENHA = 'Portal#E2e2026';
const PORTAL = 'http://localhost:4000';

let t: AppDeTeste;
let servidor: Server;
/** The outside application's redirect URI (parceiro-externo, consent required): a stand-in answers there. */
let parceiroApp: Server;
const PARCEIRO = 'http://localhost:4900/callback';
let browser: Browser;
let central: string;

async function cidadao(): Promise<{ cpf: string; id: string }> {
  // A fresh admin client per account: once, late in this file, the long-lived one's token refresh was refused (invalid_grant).
  const c = await criarServidor(await adminKeycloak(), ['cidadao'], SENHA);
  await request(t.app).post('/pessoas').set('authorization', `Bearer ${central}`).send({
    cpf: c.cpf, nome: 'Beatriz Almeida', dataNascimento: '1991-07-23', genero: 'feminino', nomeMae: 'Cláudia Almeida',
    enderecos: [{ cep: '01001000', logradouro: 'Praça da Sé', numero: '1', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP' }],
  }).expect(201);
  await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) VALUES ($1, $2, $3, $4, 3)`, [c.id, c.cpf, c.cpf, c.cpf]);
  await t.db.dataSource.query(`INSERT INTO evidencia (conta_id, tipo, pessoa_cpf, detalhe, registrado_por) VALUES ($1, 'vinculo-confirmado-gestor', $2, '{}', 'gestor.x')`, [c.id, c.cpf]);
  return c;
}

const mascarado = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

/** From the portal's home page, by keyboard: Entrar → Keycloak's login page → back on the portal. */
async function entrarPeloTeclado(page: Page, cpf: string): Promise<void> {
  await page.goto(`${PORTAL}/`);
  await tabAte(page, 'main a[href="/entrar"]');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.href.startsWith(`${issuer}/`));
  await page.fill('#username', mascarado(cpf));
  await page.fill('#password', SENHA);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${PORTAL}/`);
}

/** Submits the Meus Dados form and waits for the page that answers it (a redirect back, or the refusal). */
async function salvar(page: Page): Promise<void> {
  const resposta = page.waitForResponse((r) => r.url() === `${PORTAL}/meus-dados` && r.request().isNavigationRequest() && r.status() !== 303);
  await page.click('button[type=submit]:has-text("Salvar alterações")');
  await resposta;
  await page.waitForLoadState('load');
}

async function semViolacoes(page: Page, nome: string): Promise<void> {
  expect(await violacoesGraves(page)).toEqual([]);
  await salvarCaptura(page, `area-cidadao-${nome}`);
}

beforeAll(async () => {
  t = await criarAppDeTeste('e2e-area');
  central = await t.tokens.gestor('gestora.central');
  const portal = criarPortal({
    dataSource: t.db.dataSource, redis: t.sync.redis, fila: t.sync.fila, logger: pino({ level: 'silent' }),
    verificarToken: criarVerificadorKeycloak(loadConfig({ KEYCLOAK_URL: KC_TEST.url })), oidc: criarClienteOidc(issuer, 'portal-cidadao'),
    urlPublica: PORTAL, urlRealm: issuer, prefixo: t.nomeFila,
    aplicacoes: keycloakAplicacoes({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret }),
  });
  servidor = await new Promise<Server>((resolve, reject) => {
    const s = portal.listen(4000, 'localhost', () => resolve(s));
    s.once('error', reject);
  });
  parceiroApp = await new Promise<Server>((resolve, reject) => {
    const s = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="pt-BR"><title>Aplicação</title><p>Retorno recebido.</p></html>');
    });
    s.once('error', reject);
    s.listen(4900, () => resolve(s));
  });
  browser = await abrirChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (servidor ? servidor.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (parceiroApp ? parceiroApp.close(() => resolve()) : resolve()));
  await t?.fechar();
});

describe('Área do Cidadão in Chromium', () => {
  let contexto: BrowserContext;
  afterAll(async () => {
    await contexto?.close();
  });

  it('signs in by keyboard, shows the master record, takes an address, a pending name request and a refused change — axe clean', async () => {
    const c = await cidadao();
    // The page's CSP forbids every script; axe is injected by the test, so the context bypasses the CSP.
    contexto = await novoContexto(browser, { bypassCSP: true });
    const page = await contexto.newPage();
    const erros = coletarErros(page);
    await page.goto(`${PORTAL}/`);
    await semViolacoes(page, 'entrada');
    await entrarPeloTeclado(page, c.cpf);
    await semViolacoes(page, 'inicio');

    await page.goto(`${PORTAL}/meus-dados`);
    expect(await page.textContent('dl.dados')).toContain(mascarado(c.cpf));
    expect(await page.textContent('dl.dados')).toContain('23/07/1991');
    await semViolacoes(page, 'meus-dados');

    // Address, by typing into the form.
    await page.fill('#f-cep', '04094050');
    await page.fill('#f-logradouro', 'Avenida Pedro Álvares Cabral');
    await page.fill('#f-numero', 'S/N');
    await page.fill('#f-complemento', '');
    await page.fill('#f-bairro', 'Ibirapuera');
    await salvar(page);
    expect(await page.textContent('.aviso')).toContain('Alteração gravada: Endereço.');
    expect(await page.textContent('dl.dados')).toContain('Avenida Pedro Álvares Cabral, S/N — Ibirapuera, São Paulo/SP — CEP 04094050');
    const [v] = await t.db.dataSource.query(`SELECT tipo_ator, ator FROM valor_campo WHERE chave = $1 AND campo = 'enderecos' ORDER BY id DESC LIMIT 1`, [c.cpf]);
    expect(v).toEqual({ tipo_ator: 'cidadao', ator: c.cpf });
    await semViolacoes(page, 'meus-dados-gravado');

    // Civil name: a request, pending.
    await page.fill('#f-nome', 'Beatriz Almeida Rocha');
    await salvar(page);
    expect(await page.textContent('.aviso')).toContain('pendente de análise por um gestor do cadastro: Nome');
    expect(await page.textContent('table')).toContain('Beatriz Almeida Rocha');

    // Gender set by a steward (higher precedence): refused, with the PMCC's reason, nothing written.
    await page.selectOption('#f-genero', 'outro');
    await salvar(page);
    expect(await page.textContent('.aviso-erro')).toContain('Alteração recusada pela PMCC');
    expect(await page.textContent('.aviso-erro')).toContain('Sexo / gênero:');
    await semViolacoes(page, 'meus-dados-recusado');
    // The only failed resource is the refused form's own answer (422), by design.
    expect(erros).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
  });

  it('Segurança shows the level and what is missing; Aplicações Permitidas renders; Quem acessou meus dados shows a health steward\'s read; phone width without horizontal scroll', async () => {
    const c = await cidadao();
    const saude = await t.tokens.emitir({ username: 'servidora.e2e', roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).get(`/pessoas/${c.cpf}`).set('authorization', `Bearer ${saude}`).expect(200);
    const telefone = await novoContexto(browser, { bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      const page = await telefone.newPage();
      await entrarPeloTeclado(page, c.cpf);
      for (const [caminho, nome] of [['/seguranca', 'seguranca'], ['/aplicacoes', 'aplicacoes'], ['/mensagens', 'mensagens'], ['/acessos', 'acessos'], ['/meus-dados', 'meus-dados']] as const) {
        await page.goto(`${PORTAL}${caminho}`);
        expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        await semViolacoes(page, `${nome}-telefone`);
      }
      await page.goto(`${PORTAL}/seguranca`);
      expect(await page.textContent('h2#t-nivel')).toContain('3');
      expect(await page.textContent('ul.falta')).toContain('nível 4');
      await page.goto(`${PORTAL}/acessos`);
      const tabela = await page.textContent('table');
      expect(tabela).toContain('Secretaria Municipal da Saúde (SMS)');
      expect(tabela).not.toContain('servidora.e2e');
      // English mode: two pages, axe clean, no horizontal scroll.
      await page.goto(`${PORTAL}/idioma?para=en&volta=/meus-dados`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.textContent('h1')).toBe('My data');
      expect(await page.textContent('form[action="/meus-dados"] button[type="submit"]')).toBe('Save changes');
      expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await semViolacoes(page, 'meus-dados-ingles-telefone');
      await page.goto(`${PORTAL}/acessos`);
      expect(await page.textContent('table')).toContain('Municipal Health Department (SMS)');
      expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await semViolacoes(page, 'acessos-ingles-telefone');
    } finally {
      await telefone.close();
    }
  });

  it('Mensagens: "Minha conta" on the login page leads to the portal; the citizen writes to an organ by keyboard, the organ\'s answer shows as new — axe clean, phone width', async () => {
    const c = await cidadao();
    const ctx = await novoContexto(browser, { bypassCSP: true });
    try {
      const page = await ctx.newPage();
      // Keycloak's themed login page (reached from the portal's Entrar) carries the one entry point: "Minha conta".
      await page.goto(`${PORTAL}/entrar`);
      await page.waitForURL((u) => u.href.startsWith(`${issuer}/`));
      await tabAte(page, '#lum-minha-conta', 40);
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.href.replace(/\/$/, '') === PORTAL);
      expect((await page.textContent('h1'))!.trim()).toBe('Área do Cidadão');

      await entrarPeloTeclado(page, c.cpf);
      await page.goto(`${PORTAL}/mensagens`);
      await semViolacoes(page, 'mensagens');
      await tabAte(page, '#f-orgao', 30);
      await page.selectOption('#f-orgao', 'saude');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Cartão SUS');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Perdi meu cartão. Como tiro outro?');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/mensagens\/conversas\/[0-9a-f-]{36}$/);
      expect(await page.textContent('.aviso')).toContain('Mensagem enviada para Secretaria Municipal da Saúde (SMS).');
      await semViolacoes(page, 'conversa');
      const id = new URL(page.url()).pathname.split('/').pop()!;

      const saude = await t.tokens.emitir({ username: 'servidor.e2e.msg', roles: ['gestor-saude'], azp: 'sms-saude' });
      await request(t.app).post(`/conversas/${id}/mensagens`).set('authorization', `Bearer ${saude}`).send({ texto: 'Vá a uma UBS com um documento com foto.' }).expect(201);
      await page.goto(`${PORTAL}/mensagens`);
      expect(await page.textContent('#t-conversas')).toBe('Conversas com a Prefeitura (1 resposta não lida)');
      await page.click(`a[href="/mensagens/conversas/${id}"]`);
      const nova = await page.textContent('li.nova');
      expect(nova).toContain('Secretaria Municipal da Saúde (SMS) (gestor(a) de dados da Saúde)');
      expect(nova).toContain('Vá a uma UBS com um documento com foto.');
      expect(nova).not.toContain('servidor.e2e.msg');
      await semViolacoes(page, 'conversa-resposta');

      const telefone = await novoContexto(browser, { bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      try {
        const p = await telefone.newPage();
        await entrarPeloTeclado(p, c.cpf);
        for (const [caminho, nome] of [['/mensagens', 'mensagens'], [`/mensagens/conversas/${id}`, 'conversa']] as const) {
          await p.goto(`${PORTAL}${caminho}`);
          expect(await p.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
          await semViolacoes(p, `${nome}-telefone`);
        }
      } finally {
        await telefone.close();
      }
    } finally {
      await ctx.close();
    }
  });

  it('Aplicações Permitidas: the outside application the citizen authorised is listed; removing its access makes its next sign-in ask for consent again', async () => {
    const c = await cidadao();
    const ctx = await novoContexto(browser, { bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await entrarPeloTeclado(page, c.cpf);
      const parceiro = await discover('parceiro-externo');
      const pedirParceiro = async () => {
        const verificador = oidc.randomPKCECodeVerifier();
        const url = oidc.buildAuthorizationUrl(parceiro, {
          redirect_uri: PARCEIRO, scope: 'openid', state: oidc.randomState(), code_challenge_method: 'S256', code_challenge: await oidc.calculatePKCECodeChallenge(verificador),
        });
        await page.goto(url.href);
      };
      // Signed in already (SSO): the consent screen is the only step; accept it.
      await pedirParceiro();
      await page.waitForSelector('#kc-oauth');
      await page.click('#kc-login');
      await page.waitForURL((u) => u.href.startsWith(PARCEIRO));
      await page.goto(`${PORTAL}/aplicacoes`);
      expect(await page.textContent('main')).toContain('Aplicação parceira externa');
      await semViolacoes(page, 'aplicacoes');
      await page.click('button:has-text("Remover o acesso de Aplicação parceira externa")');
      await page.waitForSelector('.aviso-sucesso');
      expect(await page.textContent('.aviso-sucesso')).toContain('Acesso removido: Aplicação parceira externa');
      await semViolacoes(page, 'aplicacoes-removida');
      // The next sign-in to it asks for consent again.
      await pedirParceiro();
      await page.waitForSelector('#kc-oauth');
      expect((await page.textContent('#kc-login'))!.trim()).toBe('Sim, autorizo');
    } finally {
      await ctx.close();
    }
  });
});
