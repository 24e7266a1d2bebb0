/**
 * The realm ready for production (issue 15), against this slot's real Keycloak:
 *
 *   - with the client policies on, today's flows still work: code + PKCE for every city client (the secretariats
 *     with private_key_jwt), client credentials for lum-api; consent for the external partner is in
 *     realm-gitops.test.ts and refresh rotation / the wrong client-authentication method in oidc-fluxos.test.ts;
 *   - tokens carry only each client's roles and audiences (the table of docs/realm-gitops.md, written out here);
 *   - what RFC 9700 forbids is refused by Keycloak itself: through the admin API (full scope, a shared secret, the
 *     implicit flow, the password grant, no PKCE, no consent for an external client; in production a wildcard, http
 *     or loopback redirect URI) and at the endpoints (no PKCE, implicit, password grant);
 *   - `realm:apply --ambiente producao` builds a realm with only exact https URIs; diff is clean after it, a second
 *     apply writes nothing and export gives the git file back.
 *   - a disabled account's sessions end (the realm's clients can no longer refresh), and a death record on the
 *     person an account is linked to disables the account and ends its sessions (API worker → Keycloak).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { executar } from '../scripts/realm/cli.js';
import { conectar, type Conexao } from '../scripts/realm/keycloak.js';
import { comoTexto, texto, type Obj } from '../scripts/realm/normalizar.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { abrirChromium, coletarErros, novoContexto, salvarCaptura, violacoesGraves } from './support/browser.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import { KC_TEST, keycloakEnv, ROOT } from './support/keycloak.js';
import { decodeJwt, discover, formAction, loginWithPassword, openAuthorization, postForm } from './support/oidc.js';
import request from 'supertest';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { eventually } from './support/eventually.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';

const ARQUIVO = path.join(ROOT, 'realm-export/prefeitura-sp.json');
const SENHA = 'Senha-de-teste-2026';
const ENV_DEV: NodeJS.ProcessEnv = { ...keycloakEnv(), KEYCLOAK_URL: KC_TEST.url, LUM_REALM_DEV_DEFAULTS: '1' };

async function rodar(comando: string, opcoes: { arquivo?: string; env?: NodeJS.ProcessEnv; ambiente?: string } = {}) {
  const linhas: string[] = [];
  const codigo = await executar(comando, {
    env: opcoes.env ?? ENV_DEV, saida: { log: (l) => linhas.push(l), erro: (l) => linhas.push(l) },
    ...(opcoes.arquivo ? { arquivo: opcoes.arquivo } : {}), ...(opcoes.ambiente ? { ambiente: opcoes.ambiente } : {}),
  });
  return { codigo, saida: linhas.join('\n') };
}

/** Every realm role the API understands, granted to one staff account to see what each client lets through. */
const CMBD = ['cmbd-cgm', 'cmbd-orgao-cgm', 'cmbd-orgao-sf', 'cmbd-orgao-sgm', 'cmbd-orgao-smads', 'cmbd-orgao-sme', 'cmbd-orgao-smg', 'cmbd-orgao-smit', 'cmbd-orgao-sms', 'cmbd-ponto-focal'];
const SERVIDORES = ['servidor-sf', 'servidor-sgm', 'servidor-smads', 'servidor-sme', 'servidor-smit', 'servidor-sms'];
const GESTORES = ['admin-cadastro', 'gestor-cadastro', 'gestor-educacao', 'gestor-fazenda', 'gestor-saude', 'gestor-smads'];
const TODOS = ['cidadao', 'servidor', ...SERVIDORES, ...GESTORES, ...CMBD];

/** The role scope of each client (docs/realm-gitops.md, "Least privilege in tokens"), written by hand. */
const PAPEIS_DO_CLIENTE: Record<string, string[]> = {
  'portal-cidadao': TODOS,
  'sgm-governo': ['cidadao', 'servidor', 'servidor-sgm'],
  'sf-fazenda': ['cidadao', 'gestor-fazenda', 'servidor', 'servidor-sf'],
  'sms-saude': ['cidadao', 'gestor-saude', 'servidor', 'servidor-sms'],
  'smads-assistencia': ['cidadao', 'gestor-smads', 'servidor', 'servidor-smads'],
  'sme-educacao': ['cidadao', 'gestor-educacao', 'servidor', 'servidor-sme'],
  'smit-inovacao': ['cidadao', 'servidor', 'servidor-smit'],
  descomplica: ['cidadao', 'servidor', 'servidor-smit'],
};
const PORTA: Record<string, number> = {
  'portal-cidadao': 4000, 'sf-fazenda': 4100, 'sgm-governo': 4101, 'sms-saude': 4102, 'smads-assistencia': 4103, 'sme-educacao': 4104, 'smit-inovacao': 4105, descomplica: 4106,
};

let k: Conexao;
let usuarioId: string;
let cpf: string;

const cliente = async (clientId: string, conexao: Conexao = k): Promise<Obj> => (await conexao.api<Obj[]>('GET', `/clients?clientId=${clientId}`))[0];

/** An admin API change Keycloak must refuse: status and message (and the client unchanged). */
async function recusado(clientId: string, mudar: (c: Obj) => Obj, conexao: Conexao = k): Promise<string> {
  const c = await cliente(clientId, conexao);
  try {
    await conexao.api('PUT', `/clients/${comoTexto(c['id'])}`, mudar(c));
  } catch (e) {
    expect(await cliente(clientId, conexao)).toEqual(c);
    return (e as Error).message;
  }
  throw new Error(`Keycloak aceitou a mudança em ${clientId}`);
}

beforeAll(async () => {
  k = await conectar({ url: KC_TEST.url, realm: KC_TEST.realm, usuario: KC_TEST.adminUser, senha: KC_TEST.adminPassword });
  cpf = cpfAleatorio();
  await k.api('POST', '/users', {
    username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Rita', lastName: 'Todos-os-papéis', enabled: true, emailVerified: true,
    attributes: { cpf: [cpf], nivel_confianca: ['3'] }, credentials: [{ type: 'password', value: SENHA, temporary: false }],
  });
  usuarioId = comoTexto((await k.api<Obj[]>('GET', `/users?username=${cpf}&exact=true`))[0]['id']);
  const papeis = await Promise.all(TODOS.map((n) => k.api<Obj>('GET', `/roles/${n}`)));
  await k.api('POST', `/users/${usuarioId}/role-mappings/realm`, papeis);
}, 60_000);

afterAll(async () => {
  if (usuarioId) await k.api('DELETE', `/users/${usuarioId}`, undefined, { opcional: true });
});

describe('least privilege in tokens: each client carries only its roles and audiences', () => {
  it.each(Object.keys(PAPEIS_DO_CLIENTE))('%s', async (clientId) => {
    const config = clientId === 'portal-cidadao' ? await discover(clientId) : await discoverSecretaria(clientId);
    const t = await loginWithPassword({ config, redirectUri: `http://localhost:${PORTA[clientId]}/callback`, username: cpf, password: SENHA });
    const at = decodeJwt(t.access_token);
    expect({
      azp: at['azp'], aud: at['aud'], papeis: [...((at['realm_access'] as { roles: string[] } | undefined)?.roles ?? [])].sort(), recursos: at['resource_access'] ?? null,
    }).toEqual({ azp: clientId, aud: 'lum-api', papeis: [...PAPEIS_DO_CLIENTE[clientId]].sort(), recursos: null });
  });

  it('parceiro-externo (outside the city, after consent): no role and no audience', async () => {
    const config = await discover('parceiro-externo');
    const redirectUri = 'http://localhost:4900/callback';
    const { jar, page, codeVerifier, state } = await openAuthorization({ config, redirectUri });
    let res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username: cpf, password: SENHA, credentialId: '' });
    while (res.status === 302 && !res.headers.get('location')!.startsWith(redirectUri)) {
      res = await fetch(new URL(res.headers.get('location')!, KC_TEST.url), { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(res);
    }
    const acao = /<form[^>]*action="([^"]+)"/.exec(await res.text())![1].replace(/&amp;/g, '&');
    const aceite = await postForm(jar, new URL(acao, KC_TEST.url).href, { accept: 'Sim' });
    const t = await oidc.authorizationCodeGrant(config, new URL(aceite.headers.get('location')!), { pkceCodeVerifier: codeVerifier, expectedState: state });
    const at = decodeJwt(t.access_token);
    expect({ azp: at['azp'], aud: at['aud'] ?? null, papeis: at['realm_access'] ?? null, recursos: at['resource_access'] ?? null, cpf: at['cpf'] })
      .toEqual({ azp: 'parceiro-externo', aud: null, papeis: null, recursos: null, cpf });
  });

  it('lum-api (client credentials, the one shared secret): only its realm-management roles and its own enviar-aviso-email (lum-avisos)', async () => {
    const config = await discover('lum-api', KC_TEST.apiClientSecret);
    const at = decodeJwt((await oidc.clientCredentialsGrant(config)).access_token);
    expect({ azp: at['azp'], realm: at['realm_access'] ?? null, recursos: Object.keys(at['resource_access'] as Obj).sort() }).toEqual({ azp: 'lum-api', realm: null, recursos: ['lum-api', 'realm-management'] });
    expect((at['resource_access'] as Record<string, { roles: string[] }>)['lum-api'].roles).toEqual(['enviar-aviso-email']);
  });
});

describe('what RFC 9700 forbids, refused by Keycloak\'s client policies (admin API)', () => {
  it('full role scope, a shared secret for a secretariat, the implicit flow, the password grant, no PKCE, no consent for the partner', async () => {
    expect(await recusado('sf-fazenda', (c) => ({ ...c, fullScopeAllowed: true }))).toContain('Not permitted to enable fullScopeAllowed');
    expect(await recusado('sms-saude', (c) => ({ ...c, clientAuthenticatorType: 'client-secret' }))).toContain('Invalid client metadata: token_endpoint_auth_method');
    expect(await recusado('portal-cidadao', (c) => ({ ...c, implicitFlowEnabled: true }))).toContain('Invalid client metadata: implicit flow enabled');
    expect(await recusado('portal-cidadao', (c) => ({ ...c, directAccessGrantsEnabled: true }))).toContain('Invalid client metadata: resource owner password credentials grant enabled');
    expect(await recusado('sgm-governo', (c) => ({ ...c, attributes: { ...(c['attributes'] as Obj), 'pkce.code.challenge.method': 'plain' } }))).toContain('Invalid client metadata: code_challenge_method');
    expect(await recusado('parceiro-externo', (c) => ({ ...c, consentRequired: false }))).toContain('Client is required to enable consentRequired');
    expect(await recusado('sf-fazenda', (c) => ({ ...c, redirectUris: ['*'] }))).toContain('Invalid Redirect Uri');
    // nothing of the above reached the realm
    expect((await rodar('diff')).codigo).toBe(0);
  });
});

describe('what RFC 9700 forbids, refused at the endpoints', () => {
  const autorizar = (params: Record<string, string>) =>
    fetch(`${KC_TEST.url}/realms/${KC_TEST.realm}/protocol/openid-connect/auth?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });

  it('an authorization request without PKCE (a confidential client too) and an implicit request', async () => {
    for (const [clientId, porta] of [['sf-fazenda', 4100], ['descomplica', 4106]] as const) {
      const res = await autorizar({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: `http://localhost:${porta}/callback`, state: 'x' });
      const l = new URL(res.headers.get('location')!);
      expect({ status: res.status, erro: l.searchParams.get('error'), codigo: l.searchParams.get('code') }).toEqual({ status: 302, erro: 'invalid_request', codigo: null });
    }
    const implicito = await autorizar({ client_id: 'portal-cidadao', response_type: 'token', scope: 'openid', redirect_uri: 'http://localhost:4000/callback', nonce: 'n', state: 'x' });
    const l = new URL(implicito.headers.get('location')!);
    expect(l.searchParams.get('error') ?? new URLSearchParams(l.hash.slice(1)).get('error')).toBe('unauthorized_client');
    expect(l.hash).not.toContain('access_token');
  });

  it('the password grant', async () => {
    const res = await fetch(`${KC_TEST.url}/realms/${KC_TEST.realm}/protocol/openid-connect/token`, {
      method: 'POST', body: new URLSearchParams({ grant_type: 'password', client_id: 'portal-cidadao', username: cpf, password: SENHA, scope: 'openid' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });
});

describe('sessions of a disabled account end', () => {
  it('once the account is disabled its refresh token is refused and its access token is inactive', async () => {
    const alvo = cpfAleatorio();
    await k.api('POST', '/users', {
      username: alvo, email: `${alvo}@exemplo.sp.gov.br`, firstName: 'Caio', lastName: 'Teste', enabled: true, emailVerified: true,
      attributes: { cpf: [alvo] }, credentials: [{ type: 'password', value: SENHA, temporary: false }],
    });
    const u = (await k.api<Obj[]>('GET', `/users?username=${alvo}&exact=true`))[0];
    try {
      const portal = await discover('portal-cidadao');
      const t = await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: alvo, password: SENHA });
      await k.api('PUT', `/users/${comoTexto(u['id'])}`, { ...u, enabled: false });
      // Keycloak keeps the session record (docs/realm-gitops.md), but nothing can use it any more
      expect(await k.api<Obj[]>('GET', `/users/${comoTexto(u['id'])}/sessions`)).toHaveLength(1);
      await expect(oidc.refreshTokenGrant(portal, t.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant', error_description: 'User disabled' });
      const api = await discover('lum-api', KC_TEST.apiClientSecret);
      expect(await oidc.tokenIntrospection(api, t.access_token)).toMatchObject({ active: false });
    } finally {
      await k.api('DELETE', `/users/${comoTexto(u['id'])}`);
    }
  });
});

describe('sessions of a deceased person\'s account end (API + worker + Keycloak)', () => {
  let db: TestDatabase;
  let api: ServidorIniciado;
  let worker: WorkerIniciado;

  afterAll(async () => {
    await pararPilha({ worker, api, db });
  });

  it('a death record on the linked person disables the account in Keycloak, ends its sessions and the login page says so; a correction restores it, with history', async () => {
    db = await createTestDatabase();
    const config = configDeTeste(db.url);
    api = await iniciarServidor(config);
    worker = await iniciarWorker(config);
    const apiUrl = `http://127.0.0.1:${KC_TEST.apiPort}`;
    const kc = await adminKeycloak();
    const portal = await discover('portal-cidadao');
    const admin = (await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: (await criarServidor(kc, ['admin-cadastro'], SENHA)).cpf, password: SENHA })).access_token;
    const falecido = cpfAleatorio();
    const conta = await registrarCidadao(portal, { cpf: falecido, senha: SENHA, nome: 'José', sobrenome: 'Teste', dataNascimento: '1940-02-03' }, db.dataSource);
    await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${admin}`).send({ cpf: falecido, nome: 'José Teste', dataNascimento: '1940-02-03' }).expect(201);
    await request(apiUrl).post(`/contas/${conta}/vinculo`).set('authorization', `Bearer ${admin}`).send({ cpf: falecido, documento: { tipo: 'RG', numero: '123456789' } }).expect(200);
    await eventually(async () => expect((await kc.users.findOne({ id: conta }))?.attributes?.['nivel_confianca']).toEqual(['3']), { timeoutMs: 30_000 });
    const sessao = await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: falecido, password: SENHA });
    expect((await kc.users.listSessions({ id: conta })).length).toBeGreaterThanOrEqual(1);

    const obito = { data: '2026-11-20', fonte: 'certidao', certidao: '2'.repeat(32) };
    await request(apiUrl).patch(`/pessoas/${falecido}`).set('authorization', `Bearer ${admin}`).set('If-Match', '"v1"')
      .send({ obitoRegistro: obito, evidencia: { tipo: 'certidao-obito', numero: '2'.repeat(32) } }).expect(200);
    await eventually(async () => expect((await kc.users.findOne({ id: conta }))?.enabled).toBe(false), { timeoutMs: 30_000 });
    // the worker disables first (no new sign-in), then ends the sessions
    await eventually(async () => expect(await kc.users.listSessions({ id: conta })).toEqual([]), { timeoutMs: 30_000 });
    await expect(oidc.refreshTokenGrant(portal, sessao.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // and the person can no longer sign in: the login page says why, with respect (pt-BR is the realm's default)
    await expect(loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: falecido, password: SENHA })).rejects.toThrow();
    const { jar, page } = await openAuthorization({ config: portal, redirectUri: 'http://localhost:4000/callback' });
    const recusa = await postForm(jar, formAction(page.html, 'kc-form-login'), { username: falecido, password: SENHA, credentialId: '' });
    expect(recusa.status).toBe(200);
    expect(await recusa.text()).toContain('Se ela pertencia a alguém que faleceu, sentimos muito pela sua perda.');
    // …and in a real browser: the citizen's family typing the CPF and password sees the message, in the city's theme
    const browser = await abrirChromium();
    try {
      const pagina = await (await novoContexto(browser)).newPage();
      const erros = coletarErros(pagina);
      await pagina.goto(`${KC_TEST.url}/realms/prefeitura-sp/protocol/openid-connect/auth?` + new URLSearchParams({
        client_id: 'portal-cidadao', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:4000/callback',
        code_challenge: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg', code_challenge_method: 'S256', state: 'obito',
      }).toString());
      await pagina.fill('#username', falecido);
      await pagina.fill('#password', SENHA);
      await Promise.all([pagina.waitForLoadState('load'), pagina.click('#kc-login')]);
      await pagina.waitForSelector('.kc-feedback-text');
      expect((await pagina.textContent('.kc-feedback-text'))!.trim()).toBe(
        'Esta conta está desativada e não permite mais o acesso. Se ela pertencia a alguém que faleceu, sentimos muito pela sua perda. ' +
        'Se você acredita que há um engano no registro, procure uma unidade do Descomplica SP ou ligue 156: com a correção, a conta volta a funcionar.');
      expect(new URL(pagina.url()).origin).toBe(KC_TEST.url); // still on the login page, never sent to the application
      await salvarCaptura(pagina, 'login-conta-desativada-obito');
      expect(await violacoesGraves(pagina)).toEqual([]);
      expect(erros).toEqual([]);
    } finally {
      await browser.close();
    }

    // A steward's correction (the death was recorded on the wrong person) re-enables the account, level 3 again
    const atual = await request(apiUrl).get(`/pessoas/${falecido}`).set('authorization', `Bearer ${admin}`).expect(200);
    await request(apiUrl).patch(`/pessoas/${falecido}`).set('authorization', `Bearer ${admin}`).set('If-Match', atual.headers['etag'])
      .send({ obitoRegistro: null, evidencia: { tipo: 'decisao-judicial', numero: 'proc-2026-1' } }).expect(200);
    await eventually(async () => expect(await kc.users.findOne({ id: conta })).toMatchObject({ enabled: true, attributes: expect.objectContaining({ nivel_confianca: ['3'] }) }), { timeoutMs: 30_000 });
    const denovo = await loginWithPassword({ config: portal, redirectUri: 'http://localhost:4000/callback', username: falecido, password: SENHA });
    expect(decodeJwt(denovo.id_token!)).toMatchObject({ nivel_confianca: '3' });
    // with history: the death and its correction in the field's history, the disable and the re-enable in the audit trail
    const historico = await db.dataSource.query<Array<{ acao: string }>>(
      `SELECT acao FROM auditoria WHERE acao IN ('keycloak.conta-desativada-obito', 'keycloak.conta-reativada') AND detalhe->>'contaId' = $1 ORDER BY id`, [conta]);
    expect(historico.map((h) => h.acao)).toEqual(['keycloak.conta-desativada-obito', 'keycloak.conta-reativada']);
    const valores = await db.dataSource.query<Array<{ estado: string }>>(`SELECT estado FROM valor_campo WHERE chave = $1 AND campo = 'obitoRegistro' ORDER BY id`, [falecido]);
    expect(valores.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

describe('realm:apply --ambiente producao', () => {
  const nome = 'prefeitura-sp-producao-teste';
  let tmp: string;
  let copia: string;
  let kp: Conexao;
  const ENV_PRODUCAO: NodeJS.ProcessEnv = {
    KEYCLOAK_URL: KC_TEST.url, KEYCLOAK_ADMIN: KC_TEST.adminUser, KEYCLOAK_ADMIN_PASSWORD: KC_TEST.adminPassword, LUM_API_CLIENT_SECRET: 'segredo-de-producao-do-teste', LUM_GOVBR_CLIENT_SECRET: 'segredo-govbr-de-producao-do-teste',
  };

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lum-realm-producao-'));
    copia = path.join(tmp, 'prefeitura-sp.json');
    writeFileSync(copia, texto({ ...(JSON.parse(readFileSync(ARQUIVO, 'utf8')) as Obj), realm: nome }));
    kp = await conectar({ url: KC_TEST.url, realm: nome, usuario: KC_TEST.adminUser, senha: KC_TEST.adminPassword });
    await kp.api('DELETE', `/admin/realms/${nome}`, undefined, { opcional: true });
  });

  afterAll(async () => {
    await kp?.api('DELETE', `/admin/realms/${nome}`, undefined, { opcional: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('creates a realm whose every client URI is exact https; a second apply writes nothing, diff is clean, export gives the file back', async () => {
    const criar = await rodar('apply', { arquivo: copia, env: ENV_PRODUCAO, ambiente: 'producao' });
    expect(criar).toEqual({ codigo: 0, saida: expect.stringContaining(`realm ${nome} criado a partir do arquivo`) });
    expect((await rodar('apply', { arquivo: copia, env: ENV_PRODUCAO, ambiente: 'producao' })).saida).toContain('nada a alterar');
    expect(await rodar('diff', { arquivo: copia, env: ENV_PRODUCAO, ambiente: 'producao' })).toEqual({ codigo: 0, saida: `realm ${nome}: sem diferenças entre o git e o servidor` });

    const clientes = (await kp.api<Obj[]>('GET', '/clients')).filter((c) => !['account', 'account-console', 'admin-cli', 'broker', 'realm-management', 'security-admin-console'].includes(comoTexto(c['clientId'])));
    expect(clientes).toHaveLength(11);
    for (const c of clientes) {
      const at = c['attributes'] as Obj;
      const uris = [...(c['redirectUris'] as string[]), ...(c['webOrigins'] as string[]), ...comoTexto(at['post.logout.redirect.uris'] ?? '').split('##').filter((x) => x && x !== '+')]; // '+': "as the redirect URIs"
      if (c['standardFlowEnabled'] === true) expect(uris.length).toBeGreaterThanOrEqual(3);
      for (const u of uris) expect({ clientId: c['clientId'], u }).toEqual({ clientId: c['clientId'], u: expect.stringMatching(/^https:\/\/[a-z.-]+\.(prefeitura\.sp\.gov\.br|example\.com\.br)(\/[a-z/-]*)?$/) });
    }
    expect((clientes.find((c) => c['clientId'] === 'sf-fazenda')!['redirectUris'])).toEqual(['https://fazenda.prefeitura.sp.gov.br/login/retorno']);
    expect(((await kp.api<Obj>('GET', '/client-policies/policies'))['policies'] as Obj[]).find((p) => p['name'] === 'rfc9700-todos-os-clientes')!['profiles'])
      .toEqual(expect.arrayContaining(['uris-de-redirecionamento-exatas']));

    const exportado = path.join(tmp, 'exportado.json');
    writeFileSync(exportado, readFileSync(copia));
    expect((await rodar('export', { arquivo: exportado, env: ENV_PRODUCAO, ambiente: 'producao' })).codigo).toBe(0);
    expect(readFileSync(exportado, 'utf8')).toBe(readFileSync(copia, 'utf8'));
  }, 180_000);

  it('in production Keycloak refuses a wildcard, an http and a loopback redirect URI, for existing and new clients', async () => {
    expect(await recusado('sf-fazenda', (c) => ({ ...c, redirectUris: ['https://fazenda.prefeitura.sp.gov.br/*'] }), kp)).toContain('Invalid Redirect Uri');
    expect(await recusado('portal-cidadao', (c) => ({ ...c, redirectUris: ['http://cidadao.prefeitura.sp.gov.br/login/retorno'] }), kp)).toContain('Invalid Redirect Uri');
    expect(await recusado('parceiro-externo', (c) => ({ ...c, redirectUris: ['http://localhost:4900/callback'] }), kp)).toContain('Invalid Redirect Uri');
    await expect(kp.api('POST', '/clients', {
      clientId: 'sistema-novo', publicClient: true, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false, fullScopeAllowed: false,
      consentRequired: true, redirectUris: ['https://novo.prefeitura.sp.gov.br/*'], attributes: { 'pkce.code.challenge.method': 'S256' },
    })).rejects.toThrow('Invalid Redirect Uri');
    // a new confidential client cannot exempt itself from private_key_jwt at creation with lum-api's marker
    await expect(kp.api('POST', '/clients', {
      clientId: 'sistema-com-segredo', publicClient: false, standardFlowEnabled: false, serviceAccountsEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false,
      fullScopeAllowed: false, clientAuthenticatorType: 'client-secret',
      attributes: { 'pkce.code.challenge.method': 'S256', 'lum.segredo-compartilhado': 'true', 'lum.cliente-da-prefeitura': 'true' },
    })).rejects.toThrow('Invalid client metadata: token_endpoint_auth_method');
    expect((await rodar('diff', { arquivo: copia, env: ENV_PRODUCAO, ambiente: 'producao' })).codigo).toBe(0);
  }, 60_000);

  it('the production realm answers at its public address and still requires PKCE', async () => {
    const disc = (await (await fetch(`${KC_TEST.url}/realms/${nome}/.well-known/openid-configuration`)).json()) as Obj;
    expect(disc['issuer']).toBe(`https://login.prefeitura.sp.gov.br/realms/${nome}`);
    const res = await fetch(`${KC_TEST.url}/realms/${nome}/protocol/openid-connect/auth?${new URLSearchParams({
      client_id: 'portal-cidadao', response_type: 'code', scope: 'openid', redirect_uri: 'https://cidadao.prefeitura.sp.gov.br/login/retorno', state: 'x',
    }).toString()}`, { redirect: 'manual' });
    const l = new URL(res.headers.get('location')!);
    expect({ destino: `${l.origin}${l.pathname}`, erro: l.searchParams.get('error') }).toEqual({ destino: 'https://cidadao.prefeitura.sp.gov.br/login/retorno', erro: 'invalid_request' });
  });
});
