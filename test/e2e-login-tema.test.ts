/**
 * The São Paulo login theme in real headless Chromium (Debian's chromium + playwright-core) against the slot's
 * Keycloak with our theme and realm: the login page carries the source document's texts in pt-BR (and English on
 * request), works on a phone, passes axe-core; the registration page masks the CPF and refuses an invalid one with a
 * pt-BR message and no user created (with and without JavaScript); "Esqueceu sua senha?" sends a pt-BR e-mail,
 * caught by a local SMTP sink, whose link opens the new-password page. Screenshots go to test-artifacts/.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, violacoesGraves } from './support/browser.js';
import { executar } from '../scripts/realm/cli.js';
import { GOVBR_ISSUER, KC_TEST, issuer, keycloakEnv } from './support/keycloak.js';
import { adminKeycloak } from './support/pilha.js';
import { abrirCaixaDeEntrada, type CaixaDeEntrada } from './support/smtp-sink.js';

/** A login page of the city's portal (authorization request; nothing is ever redirected back in this file). */
const LOGIN = `${issuer}/protocol/openid-connect/auth?` + new URLSearchParams({
  client_id: 'portal-cidadao', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:4000/callback',
  code_challenge: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg', code_challenge_method: 'S256', state: 'tema',
}).toString();
const CPF_INVALIDO_MSG = 'CPF inválido: confira os 11 números do seu CPF (digite só os números, sem pontos nem traço).';
const mascarado = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

jest.setTimeout(60_000);

let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let erros: string[];
let kc: KcAdminClient;
let caixa: CaixaDeEntrada;

async function usuariosComUsername(username: string) {
  return kc.users.find({ username, exact: true });
}

beforeAll(async () => {
  [browser, caixa] = await Promise.all([abrirChromium(), abrirCaixaDeEntrada()]);
  ctx = await novoContexto(browser);
  page = await ctx.newPage();
  erros = coletarErros(page);
  kc = await adminKeycloak();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await caixa?.parar();
});

describe('the login page', () => {
  it('shows the source document\'s texts in pt-BR, in its order, with the gov.br button live', async () => {
    const resp = await page.goto(LOGIN);
    expect(resp!.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    expect(await page.title()).toBe('Login Único Municipal');
    expect((await page.textContent('h1'))!.trim()).toBe('Login Único Municipal');
    expect(await page.textContent('#lum-publico')).toBe('Servidores ou Cidadão');
    expect((await page.textContent('label[for=username]'))!.trim()).toBe('CPF ou e-mail');
    expect((await page.textContent('label[for=password]'))!.trim()).toBe('Senha');
    expect((await page.textContent('#kc-login'))!.trim()).toBe('ENTRAR');
    expect((await page.innerText('#social-govbr')).replace(/\s+/g, ' ').trim()).toBe('Entrar com gov.br');
    expect((await page.textContent('#lum-esqueceu-senha'))!.trim()).toBe('Esqueceu sua senha?');
    expect((await page.innerText('#kc-registration')).replace(/\s+/g, ' ').trim()).toBe('Se você ainda não é cadastrado: CADASTRE-SE AQUI');
    expect(await page.getAttribute('img.lum-marca-imagem', 'alt')).toBe('Cidade de São Paulo');

    // Source order: fields, ENTRAR, gov.br, forgotten password, sign-up.
    const ordem = await page.evaluate<string[]>(`[...document.querySelectorAll('#username, #password, #kc-login, #social-govbr, #lum-esqueceu-senha, #kc-registration a')].map((e) => e.id || 'cadastro')`);
    expect(ordem).toEqual(['username', 'password', 'kc-login', 'social-govbr', 'lum-esqueceu-senha', 'cadastro']);

    // realm-export/prefeitura-sp.json has the identity provider "govbr": the button is a live link to its broker.
    expect((await kc.identityProviders.find()).map((i) => i.alias)).toContain('govbr');
    expect(await page.evaluate(`document.querySelector('#social-govbr').tagName`)).toBe('A');
    expect(await page.getAttribute('#social-govbr', 'href')).toMatch(/\/realms\/prefeitura-sp\/broker\/govbr\/login\?/);
    expect(await page.getAttribute('#social-govbr', 'title')).toBe('Entrar com a sua conta gov.br');
    expect(await page.locator('#lum-govbr-aviso').count()).toBe(0);
    // Its position in the source order is kept, and the stock provider list is not rendered on top of it.
    expect(await page.locator('#kc-social-providers').count()).toBe(0);
    expect(await page.evaluate('document.activeElement.id')).toBe('username'); // autofocus

    // The city's stylesheet applied, nothing failed in the console.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#kc-login')).backgroundColor`)).toBe('rgb(0, 59, 122)');
    await salvarCaptura(page, 'login');
    expect(erros).toEqual([]);
  });

  it('the gov.br button starts the brokered login at the realm\'s Gov.br issuer, with PKCE S256, nonce and state', async () => {
    const p = await ctx.newPage();
    await p.goto(LOGIN);
    // Nothing listens at this slot's simulator port in this file: the request is all that is checked.
    const idaAoIdp = p.waitForRequest((r) => r.url().startsWith(`${GOVBR_ISSUER}authorize`));
    await p.click('#social-govbr', { noWaitAfter: true });
    const q = new URL((await idaAoIdp).url()).searchParams;
    expect(Object.fromEntries([...q].filter(([k]) => ['client_id', 'scope', 'response_type', 'code_challenge_method'].includes(k)))).toEqual({
      client_id: KC_TEST.govbrClientId, response_type: 'code', code_challenge_method: 'S256',
      scope: 'openid email phone profile govbr_confiabilidades govbr_confiabilidades_idtoken',
    });
    for (const k of ['nonce', 'state', 'code_challenge']) expect([k, (q.get(k) ?? '').length > 0]).toEqual([k, true]);
    await p.close();
  });

  it('without an identity provider "govbr" the button is honest about being unavailable (the realm is then applied again from git)', async () => {
    await kc.identityProviders.del({ alias: 'govbr' });
    const linhas: string[] = [];
    let rc: number;
    try {
      const p = await ctx.newPage();
      await p.goto(LOGIN);
      expect(await p.evaluate(`document.querySelector('#social-govbr').tagName`)).toBe('BUTTON');
      expect(await p.getAttribute('#social-govbr', 'aria-disabled')).toBe('true');
      const aviso = await p.getAttribute('#social-govbr', 'aria-describedby');
      expect(await p.textContent(`#${aviso}`)).toBe('O acesso com a conta gov.br ainda não está disponível. Entre com seu CPF e senha.');
      await p.focus('#social-govbr');
      await p.keyboard.press('Enter');
      await p.click('#social-govbr', { force: true });
      expect(p.url()).toBe(LOGIN);
      await p.close();
    } finally {
      const saida = { log: (l: string) => linhas.push(l), erro: (l: string) => linhas.push(l) };
      rc = await executar('apply', { env: { ...keycloakEnv(), KEYCLOAK_URL: KC_TEST.url, LUM_REALM_DEV_DEFAULTS: '1' }, saida });
    }
    expect([rc, linhas]).toEqual([0, expect.arrayContaining([expect.stringContaining('identityProviders[govbr] criado')])]);
    expect((await kc.identityProviders.find()).map((i) => i.alias)).toContain('govbr');
  });

  it('axe-core reports no serious or critical violation', async () => {
    expect(await violacoesGraves(page)).toEqual([]);
  });

  it('fits a phone: no horizontal scrolling, gov.br button full width in low density (48 px)', async () => {
    const celular = await novoContexto(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const p = await celular.newPage();
    await p.goto(LOGIN);
    expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    const govbr = (await p.locator('#social-govbr').boundingBox())!;
    const entrar = (await p.locator('#kc-login').boundingBox())!;
    expect(govbr.height).toBe(48);
    expect(govbr.width).toBe(entrar.width);
    await salvarCaptura(p, 'login-celular');
    await celular.close();
  });

  it('links to "Minha conta": the Área do Cidadão of this environment (LUM_PORTAL_URL of scripts/realm/dev.env)', async () => {
    await page.goto(LOGIN);
    const link = page.locator('#lum-minha-conta');
    expect((await link.textContent())!.trim()).toBe('Minha conta');
    expect(await link.getAttribute('href')).toBe('http://localhost:4000');
    expect(await page.textContent('.lum-minha-conta-dica')).toBe('— veja e corrija seus dados, suas mensagens e quem acessou seus dados');
  });

  it('speaks English when asked (second locale)', async () => {
    const en = await novoContexto(browser, { locale: 'en-US' });
    const p = await en.newPage();
    await p.goto(`${LOGIN}&ui_locales=en`);
    expect(await p.getAttribute('html', 'lang')).toBe('en');
    expect((await p.textContent('h1'))!.trim()).toBe('Municipal Single Login');
    expect((await p.textContent('#kc-login'))!.trim()).toBe('SIGN IN');
    expect((await p.innerText('#kc-registration')).replace(/\s+/g, ' ').trim()).toBe('Not registered yet? REGISTER HERE');
    await en.close();
  });
});

describe('the registration page', () => {
  it('is reached from CADASTRE-SE AQUI, asks CPF, senha, e-mail, nome, sobrenome and data de nascimento in pt-BR, passes axe-core', async () => {
    await page.goto(LOGIN);
    await page.click('text=CADASTRE-SE AQUI');
    await page.waitForSelector('#kc-register-form');
    expect((await page.textContent('h1'))!.trim()).toBe('Cadastro');
    const rotulos = await page.locator('#kc-register-form label.pf-v5-c-form__label .pf-v5-c-form__label-text').allTextContents();
    expect(rotulos.map((r) => r.trim())).toEqual(['CPF', 'Senha', 'Confirme a senha', 'E-mail', 'Nome', 'Sobrenome', 'Data de nascimento']);
    expect(await page.textContent('#lum-cpf-ajuda')).toBe('Digite os 11 números do seu CPF.');
    expect(await page.getAttribute('#username', 'aria-describedby')).toContain('lum-cpf-ajuda');
    expect(await page.getAttribute('#username', 'inputmode')).toBe('numeric');
    expect(await page.inputValue('input[type=submit]')).toBe('Cadastrar');
    await salvarCaptura(page, 'cadastro');
    expect(await violacoesGraves(page)).toEqual([]);
  });

  it('masks the CPF while typing; an invalid CPF gets the pt-BR error and creates no user', async () => {
    const valido = cpfAleatorio();
    const invalido = valido.slice(0, 10) + String((Number(valido[10]) + 1) % 10);
    await page.locator('#username').pressSequentially(invalido);
    expect(await page.inputValue('#username')).toBe(mascarado(invalido));
    await page.fill('#password', 'Senha-de-teste-2026');
    await page.fill('#password-confirm', 'Senha-de-teste-2026');
    await page.fill('#email', `${invalido}@exemplo.com.br`);
    await page.fill('#firstName', 'Maria');
    await page.fill('#lastName', 'da Silva');
    await page.fill('#data_nascimento', '1980-05-17');
    await page.click('input[type=submit]');
    await page.waitForSelector('#input-error-username');
    expect((await page.textContent('#input-error-username'))!.trim()).toBe(CPF_INVALIDO_MSG);
    expect(await page.getAttribute('#username', 'aria-invalid')).toBe('true');
    // What was typed comes back (masked again); the other fields are kept.
    expect(await page.inputValue('#username')).toBe(mascarado(invalido));
    expect(await page.inputValue('#firstName')).toBe('Maria');
    await salvarCaptura(page, 'cadastro-cpf-invalido');
    expect(await violacoesGraves(page)).toEqual([]);
    expect(await usuariosComUsername(invalido)).toEqual([]);
    expect(await kc.users.find({ email: `${invalido}@exemplo.com.br`, exact: true })).toEqual([]);
    expect(erros).toEqual([]);
  });

  it('without JavaScript the form still works: a CPF typed with its mask is refused with the same clear pt-BR message', async () => {
    const semJs = await novoContexto(browser, { javaScriptEnabled: false });
    const p = await semJs.newPage();
    await p.goto(LOGIN);
    await p.click('text=CADASTRE-SE AQUI');
    const cpf = cpfAleatorio();
    await p.fill('#username', mascarado(cpf));
    await p.fill('#password', 'Senha-de-teste-2026');
    await p.fill('#password-confirm', 'Senha-de-teste-2026');
    await p.fill('#email', `${cpf}@exemplo.com.br`);
    await p.fill('#firstName', 'José');
    await p.fill('#lastName', 'Souza');
    await p.click('input[type=submit]');
    await p.waitForSelector('#input-error-username');
    expect((await p.textContent('#input-error-username'))!.trim()).toBe(CPF_INVALIDO_MSG);
    expect(await usuariosComUsername(cpf)).toEqual([]);
    expect(await usuariosComUsername(mascarado(cpf))).toEqual([]);
    await semJs.close();
  });
});

describe('forgotten password', () => {
  it('"Esqueceu sua senha?" sends a pt-BR e-mail (caught by the SMTP sink) whose link opens the new-password page', async () => {
    const cpf = cpfAleatorio();
    const email = `${cpf}@exemplo.com.br`;
    await kc.users.create({
      username: cpf, email, firstName: 'Ana', lastName: 'Lima', enabled: true, emailVerified: true,
      attributes: { cpf: [cpf] }, credentials: [{ type: 'password', value: 'Senha-antiga-2026', temporary: false }],
    });

    await page.goto(LOGIN);
    await page.click('#lum-esqueceu-senha');
    await page.waitForSelector('#kc-reset-password-form');
    expect((await page.textContent('h1'))!.trim()).toBe('Esqueceu sua senha?');
    expect((await page.textContent('label[for=username]'))!.trim()).toBe('CPF ou e-mail');
    await page.fill('#username', mascarado(cpf)); // the script sends the digits
    await page.click('#kc-form-buttons');
    await page.waitForSelector('.kc-feedback-text');
    expect((await page.textContent('.kc-feedback-text'))!.trim())
      .toBe('Se houver uma conta com esses dados, você receberá em instantes um e-mail com as instruções.');

    const { mensagem } = await caixa.esperarPara(email);
    expect(mensagem.subject).toBe('Redefinição de senha — Login Único Municipal');
    expect(mensagem.from?.value[0]).toMatchObject({ address: 'nao-responda@prefeitura.sp.gov.br', name: 'Login Único Municipal' });
    expect(mensagem.text).toContain('Recebemos um pedido para redefinir a senha da sua conta no Login Único Municipal.');
    expect(mensagem.text).toContain('Se você não pediu a redefinição, ignore esta mensagem: sua senha continua a mesma.');
    expect(mensagem.html).toContain('Redefinir minha senha');
    expect(mensagem.html).toContain('CIDADE DE SÃO PAULO');
    expect(mensagem.html).toMatch(/<html lang="pt"/);
    const link = /(http:\/\/localhost:\d+\/realms\/prefeitura-sp\/login-actions\/action-token\?\S+)/.exec(mensagem.text ?? '')?.[1];
    expect(link).toBeDefined();

    await page.goto(link!);
    await page.waitForSelector('#password-new');
    expect((await page.textContent('h1'))!.trim()).toBe('Atualizar senha');
  });
});

describe('e-mail verification', () => {
  it('sends a pt-BR e-mail (caught by the SMTP sink) whose link marks the address as verified', async () => {
    const cpf = cpfAleatorio();
    const email = `verifica.${cpf}@exemplo.com.br`;
    const { id } = await kc.users.create({
      username: cpf, email, firstName: 'Rui', lastName: 'Costa', enabled: true, emailVerified: false,
      attributes: { cpf: [cpf] }, credentials: [{ type: 'password', value: 'Senha-verifica-2026', temporary: false }],
    });
    await kc.users.sendVerifyEmail({ id });
    const { mensagem } = await caixa.esperarPara(email);
    expect(mensagem.subject).toBe('Confirme seu e-mail — Login Único Municipal');
    expect(mensagem.text).toContain('Para confirmar que ele é seu, abra o link abaixo:');
    expect(mensagem.html).toContain('Confirmar meu e-mail');
    expect(mensagem.html).toContain('CIDADE DE SÃO PAULO');
    const link = /(http:\/\/localhost:\d+\/realms\/prefeitura-sp\/login-actions\/action-token\?\S+)/.exec(mensagem.text ?? '')?.[1];
    expect(link).toBeDefined();

    const ctxVerifica = await novoContexto(browser);
    const p = await ctxVerifica.newPage();
    try {
      await p.goto(link!);
      // Opened outside a login session, Keycloak first asks to confirm (a link "…clique aqui…"/"proceed").
      const prosseguir = p.locator('#kc-info-message a, .instruction a');
      expect(await prosseguir.count()).toBe(1);
      await prosseguir.click();
      await p.waitForLoadState('load');
      const limite = Date.now() + 15_000;
      while (!(await kc.users.findOne({ id }))?.emailVerified && Date.now() < limite) await new Promise((r) => setTimeout(r, 200));
      expect((await kc.users.findOne({ id }))?.emailVerified).toBe(true);
      expect(await p.content()).toMatch(/lang="pt-BR"|lang="pt"/);
    } finally {
      await ctxVerifica.close();
    }
  });
});

describe('the account console', () => {
  it('carries the city\'s branding: title, wordmark, favicon and style sheet of themes/prefeitura-sp/account', async () => {
    const res = await fetch(`${issuer}/account/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Minha conta — Login Único Municipal</title>');
    expect(html).toMatch(/"logo": "img\/cidade-de-sao-paulo\.svg"/);
    const recursos = /"resourceUrl": "([^"]+)"/.exec(html)![1];
    expect(html).toContain(`href="${recursos}/img/favicon.svg"`);
    expect(html).toContain(`href="${recursos}/css/prefeitura-sp.css"`);
    for (const arquivo of ['img/cidade-de-sao-paulo.svg', 'img/favicon.svg', 'css/prefeitura-sp.css']) {
      expect((await fetch(new URL(`${recursos}/${arquivo}`, KC_TEST.url))).status).toBe(200);
    }
  });

  it('a citizen signs in to it and sees their own data (its token reaches the account API: built-in client scopes)', async () => {
    const cpf = cpfAleatorio();
    await kc.users.create({
      username: cpf, email: `${cpf}@exemplo.com.br`, firstName: 'Joana', lastName: 'Prado', enabled: true, emailVerified: true,
      attributes: { cpf: [cpf] }, credentials: [{ type: 'password', value: 'Senha-conta-2026', temporary: false }],
    });
    const conta = await novoContexto(browser);
    const p = await conta.newPage();
    try {
      const respostasConta: number[] = [];
      p.on('response', (r) => {
        if (r.url().startsWith(`${issuer}/account/`) && r.request().resourceType() === 'fetch') respostasConta.push(r.status());
      });
      await p.goto(`${issuer}/account/`);
      await p.waitForSelector('#kc-form-login');
      await p.fill('#username', cpf);
      await p.fill('#password', 'Senha-conta-2026');
      await p.click('#kc-login');
      await p.waitForSelector('input[name="firstName"], #firstName', { timeout: 30_000 });
      expect(await p.inputValue('input[name="firstName"], #firstName')).toBe('Joana');
      expect(await p.content()).not.toMatch(/Alguma coisa deu errado|Something went wrong/);
      expect(respostasConta.length).toBeGreaterThan(0);
      expect(respostasConta.filter((st) => st >= 400)).toEqual([]);
      await salvarCaptura(p, 'conta');
    } finally {
      await conta.close();
    }
  });
});

