/**
 * Realm configuration as GitOps (scripts/realm, `npm run realm:apply | realm:export | realm:diff`) against this
 * slot's real Keycloak, which imported realm-export/prefeitura-sp.json at start:
 *
 *   apply twice → the second run writes nothing (no admin API write, no admin event) and says "nada a alterar";
 *   export right after apply → the git file's exact text;
 *   hand changes through the admin REST API (a realm setting, a client's redirect URI, a scope mapper) → diff exits
 *   1 naming each path; apply → diff clean again (the shared instance is left as git says).
 *
 * Plus the security invariants of the git file itself (PKCE S256, no implicit/password grant, consent for
 * external clients, brute force, password policy, event listener) and the claims the city clients' tokens carry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { executar, type Saida } from '../scripts/realm/cli.js';
import { ambienteDe, ambienteDev, resolver } from '../scripts/realm/ambiente.js';
import { conectar, type Conexao } from '../scripts/realm/keycloak.js';
import { comoTexto, normalizar, texto, type Obj } from '../scripts/realm/normalizar.js';
import { violacoesDePolitica, violacoesDoAmbiente } from '../scripts/realm/politicas.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { KC_TEST, keycloakEnv, ROOT } from './support/keycloak.js';
import { authorizationCodeGrant } from 'openid-client';
import { decodeJwt, discover, formAction, loginWithPassword, openAuthorization, postForm } from './support/oidc.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';

const ARQUIVO = path.join(ROOT, 'realm-export/prefeitura-sp.json');
const git = (): Obj => JSON.parse(readFileSync(ARQUIVO, 'utf8')) as Obj;
/** The git file resolved with one environment's versioned values (secrets left empty: not needed to check). */
const resolvido = (ambiente: string): Obj => resolver(normalizar(git()), ambienteDe(ROOT, ambiente, {}), { tolerante: true });

/** The env the slot's Keycloak was started with (test secrets + scripts/realm/dev.env for the rest). */
const ENV: NodeJS.ProcessEnv = { ...keycloakEnv(), KEYCLOAK_URL: KC_TEST.url, LUM_REALM_DEV_DEFAULTS: '1' };

function saida(): { s: Saida; texto: () => string } {
  const linhas: string[] = [];
  return { s: { log: (l) => linhas.push(l), erro: (l) => linhas.push(l) }, texto: () => linhas.join('\n') };
}

async function rodar(comando: string, opcoes: { conexao?: Conexao; arquivo?: string; env?: NodeJS.ProcessEnv; ambiente?: string } = {}) {
  const o = saida();
  const codigo = await executar(comando, {
    env: opcoes.env ?? ENV, saida: o.s, ...(opcoes.conexao ? { conexao: opcoes.conexao } : {}), ...(opcoes.arquivo ? { arquivo: opcoes.arquivo } : {}), ...(opcoes.ambiente ? { ambiente: opcoes.ambiente } : {}),
  });
  return { codigo, saida: o.texto() };
}

describe('the git file (no server)', () => {
  it('is in normalised form: normalising it again gives the same text', () => {
    expect(texto(normalizar(git()))).toBe(readFileSync(ARQUIVO, 'utf8'));
  });

  it('holds no secret: the secretariats authenticate with private_key_jwt (no secret at all), lum-api\'s secret is an env placeholder', () => {
    const confidenciais = (git()['clients'] as Obj[]).filter((c) => c['publicClient'] !== true);
    expect(confidenciais.map((c) => [c['clientId'], c['clientAuthenticatorType'], c['secret'] ?? null])).toEqual([
      ['descomplica', 'client-jwt', null], ['descomplica-biometria', 'client-jwt', null], ['lum-api', 'client-secret', '${LUM_API_CLIENT_SECRET}'], ['sf-fazenda', 'client-jwt', null],
      ['sgm-governo', 'client-jwt', null], ['smads-assistencia', 'client-jwt', null], ['sme-educacao', 'client-jwt', null],
      ['smit-inovacao', 'client-jwt', null], ['sms-saude', 'client-jwt', null],
    ]);
    expect(readFileSync(ARQUIVO, 'utf8')).not.toMatch(/dev-[a-z-]*secret|test-[a-z-]*secret/);
    // the staging and production values files set no secret and no private key
    for (const a of ['homologacao', 'producao']) expect(readFileSync(path.join(ROOT, `scripts/realm/${a}.env`), 'utf8')).not.toMatch(/SECRET=|"d":/);
  });

  it('has one client per system the source names, plus the citizen portal and the external partner', () => {
    const ids = (git()['clients'] as Obj[]).map((c) => c['clientId']);
    expect(ids).toEqual(expect.arrayContaining([
      'sgm-governo', 'sf-fazenda', 'sms-saude', 'smads-assistencia', 'sme-educacao', 'smit-inovacao', 'descomplica', 'portal-cidadao', 'parceiro-externo', 'lum-api',
    ]));
    const parceiro = (git()['clients'] as Obj[]).find((c) => c['clientId'] === 'parceiro-externo')!;
    expect(parceiro).toMatchObject({ publicClient: true, consentRequired: true, redirectUris: ['${LUM_PARCEIRO_REDIRECT_URIS}'], webOrigins: ['${LUM_PARCEIRO_WEB_ORIGINS}'] });
    // with the development values: today's development realm
    const parceiroDev = (resolvido('dev')['clients'] as Obj[]).find((c) => c['clientId'] === 'parceiro-externo')!;
    expect(parceiroDev).toMatchObject({ redirectUris: ['http://localhost:4900/*'], webOrigins: ['http://localhost:4900'], rootUrl: 'http://localhost:4900' });
    const escopos = git()['clientScopes'] as Obj[];
    for (const nome of ['cpf', 'nivel_confianca']) {
      const e = escopos.find((x) => x['name'] === nome)!;
      expect((e['attributes'] as Obj)['consent.screen.text']).toMatch(/^Seu /);
      expect(parceiro['defaultClientScopes']).toContain(nome);
    }
  });

  it.each(['dev', 'homologacao', 'producao'])('satisfies the security policies with the %s values', (ambiente) => {
    const doc = resolvido(ambiente);
    expect([...violacoesDePolitica(doc), ...violacoesDoAmbiente(doc, ambiente)]).toEqual([]);
  });

  it('the policy check catches each violation', () => {
    const quebrar = (f: (d: Obj) => void): string[] => {
      const d = resolvido('dev');
      f(d);
      return violacoesDePolitica(d);
    };
    const cliente = (d: Obj, id: string) => (d['clients'] as Obj[]).find((c) => c['clientId'] === id)!;
    expect(quebrar((d) => delete (cliente(d, 'sms-saude')['attributes'] as Obj)['pkce.code.challenge.method'])).toEqual(['clients[sms-saude].attributes.pkce.code.challenge.method: sem PKCE S256']);
    expect(quebrar((d) => ((cliente(d, 'portal-cidadao')['attributes'] as Obj)['pkce.code.challenge.method'] = 'plain'))).toEqual([expect.stringContaining('clients[portal-cidadao]')]);
    expect(quebrar((d) => (cliente(d, 'descomplica')['implicitFlowEnabled'] = true))).toEqual([expect.stringContaining('fluxo implícito')]);
    expect(quebrar((d) => (cliente(d, 'parceiro-externo')['directAccessGrantsEnabled'] = true))).toEqual([expect.stringContaining('directAccessGrantsEnabled')]);
    expect(quebrar((d) => (cliente(d, 'parceiro-externo')['consentRequired'] = false))).toEqual([expect.stringContaining('sem consentimento')]);
    expect(quebrar((d) => (d['clients'] as Obj[]).push({ ...cliente(d, 'portal-cidadao'), clientId: 'outro-app' }))).toEqual(
      expect.arrayContaining([expect.stringContaining('clients[outro-app]: cliente externo à Prefeitura sem consentimento')]),
    );
    expect(quebrar((d) => (cliente(d, 'sf-fazenda')['defaultClientScopes'] = ['profile']))).toEqual(expect.arrayContaining([expect.stringContaining('falta o escopo padrão cpf')]));
    expect(quebrar((d) => (d['bruteForceProtected'] = false))).toEqual([expect.stringContaining('força bruta')]);
    expect(quebrar((d) => (d['passwordPolicy'] = 'notUsername'))).toEqual([expect.stringContaining('passwordPolicy')]);
    expect(quebrar((d) => (d['eventsListeners'] = ['jboss-logging']))).toEqual([expect.stringContaining('lum-api')]);
    expect(quebrar((d) => (d['eventsEnabled'] = false))).toEqual([expect.stringContaining('eventsEnabled')]);
    // least privilege, client authentication, refresh rotation, the client policies themselves
    expect(quebrar((d) => (cliente(d, 'sf-fazenda')['fullScopeAllowed'] = true))).toEqual(['clients[sf-fazenda].fullScopeAllowed: recebe todos os papéis do usuário (deve ser false, com scopeMappings)']);
    expect(quebrar((d) => (cliente(d, 'sgm-governo')['clientAuthenticatorType'] = 'client-secret'))).toEqual(['clients[sgm-governo].clientAuthenticatorType: cliente confidencial sem private_key_jwt (client-jwt)']);
    expect(quebrar((d) => ((cliente(d, 'descomplica')['attributes'] as Obj)['lum.segredo-compartilhado'] = 'true'))).toEqual([expect.stringContaining('clients[descomplica].attributes.lum.segredo-compartilhado: exceção ao private_key_jwt reservada a lum-api')]);
    expect(quebrar((d) => (d['revokeRefreshToken'] = false))).toEqual([expect.stringContaining('revokeRefreshToken')]);
    const semPoliticas = quebrar((d) => (d['clientPolicies'] = { policies: [] }));
    expect(semPoliticas).toHaveLength(11);
    expect(semPoliticas).toContain('clients[portal-cidadao]: fora das políticas de cliente do realm (faltam pkce-enforcer, reject-implicit-grant, reject-ropc-grant, full-scope-disabled, secure-redirect-uris-enforcer)');
    expect(semPoliticas).toContain('clients[sf-fazenda]: fora das políticas de cliente do realm (faltam pkce-enforcer, reject-implicit-grant, reject-ropc-grant, full-scope-disabled, secure-redirect-uris-enforcer, secure-client-authenticator (só client-jwt))');
    expect(semPoliticas).toContain('clients[parceiro-externo]: fora das políticas de cliente do realm (faltam pkce-enforcer, reject-implicit-grant, reject-ropc-grant, full-scope-disabled, secure-redirect-uris-enforcer, consent-required)');
    // a policy that matches only confidential clients leaves the public ones out
    expect(quebrar((d) => (((d['clientPolicies'] as Obj)['policies'] as Obj[]).find((p) => p['name'] === 'rfc9700-todos-os-clientes')!['conditions'] = [{ condition: 'client-access-type', configuration: { type: ['confidential'] } }])))
      .toEqual([expect.stringContaining('clients[parceiro-externo]: fora das políticas'), expect.stringContaining('clients[portal-cidadao]: fora das políticas')]);
  });

  it('the environment check: outside development only exact https URIs, the strict redirect rule and no development key', () => {
    const prod = resolvido('producao');
    const cliente = (d: Obj, id: string) => (d['clients'] as Obj[]).find((c) => c['clientId'] === id)!;
    // what production gets, written out: exact https URIs of the city's hosts
    expect(cliente(prod, 'sf-fazenda')).toMatchObject({
      rootUrl: 'https://fazenda.prefeitura.sp.gov.br', redirectUris: ['https://fazenda.prefeitura.sp.gov.br/login/retorno'], webOrigins: ['https://fazenda.prefeitura.sp.gov.br'],
      attributes: expect.objectContaining({ 'post.logout.redirect.uris': 'https://fazenda.prefeitura.sp.gov.br/sair/concluido', 'backchannel.logout.url': 'https://fazenda.prefeitura.sp.gov.br/login/logout-backchannel' }),
    });
    const quebrar = (ambiente: string, f: (d: Obj) => void): string[] => {
      const d = resolvido(ambiente);
      f(d);
      return violacoesDoAmbiente(d, ambiente);
    };
    expect(quebrar('producao', (d) => (cliente(d, 'sf-fazenda')['redirectUris'] = ['https://fazenda.prefeitura.sp.gov.br/*']))).toEqual(['clients[sf-fazenda].redirectUris: curinga fora do desenvolvimento (https://fazenda.prefeitura.sp.gov.br/*)']);
    expect(quebrar('homologacao', (d) => (cliente(d, 'portal-cidadao')['webOrigins'] = ['http://cidadao.hom.prefeitura.sp.gov.br']))).toEqual(['clients[portal-cidadao].webOrigins: não é uma URI https absoluta (http://cidadao.hom.prefeitura.sp.gov.br)']);
    expect(quebrar('producao', (d) => ((cliente(d, 'sms-saude')['attributes'] as Obj)['post.logout.redirect.uris'] = 'https://localhost/sair'))).toEqual(['clients[sms-saude].attributes.post.logout.redirect.uris: loopback fora do desenvolvimento (https://localhost/sair)']);
    expect(quebrar('producao', (d) => ((cliente(d, 'sme-educacao')['attributes'] as Obj)['jwks.string'] = (cliente(resolvido('dev'), 'sme-educacao')['attributes'] as Obj)['jwks.string']!)))
      .toEqual(['clients[sme-educacao].attributes.jwks.string: chave de desenvolvimento (dev-clientes-da-prefeitura) fora do desenvolvimento']);
    expect(quebrar('producao', (d) => (((d['clientPolicies'] as Obj)['policies'] as Obj[])[2]['profiles'] = ['rfc9700-todos-os-clientes', 'uris-de-redirecionamento-desenvolvimento'])))
      .toEqual(expect.arrayContaining(['clients[lum-api]: a regra de URIs de redirecionamento do ambiente producao não é a estrita (LUM_REALM_PERFIL_URIS=uris-de-redirecionamento-exatas)']));
    expect(quebrar('producao', (d) => ((d['attributes'] as Obj)['frontendUrl'] = 'http://login.prefeitura.sp.gov.br'))).toEqual([expect.stringContaining('attributes.frontendUrl')]);
    // development keeps its wildcards, on localhost only
    expect(quebrar('dev', (d) => (cliente(d, 'sf-fazenda')['redirectUris'] = ['https://fazenda.example/*']))).toEqual(['clients[sf-fazenda].redirectUris: curinga fora de localhost (https://fazenda.example/*)']);
    expect(quebrar('dev', (d) => (cliente(d, 'sf-fazenda')['redirectUris'] = []))).toEqual(['clients[sf-fazenda].redirectUris: vazio num cliente de fluxo de código']);
  });

  it('realm check (the CLI): clean with every environment\'s values; a values file that names a secret is refused', async () => {
    const r = await rodar('check', { env: {} });
    expect(r.codigo).toBe(0);
    expect(r.saida.split('\n')).toEqual(['dev', 'homologacao', 'producao'].map((a) => `realm-export/prefeitura-sp.json com os valores de ${a}: políticas de segurança atendidas`));
    expect(() => ambienteDe(ROOT, 'producao', {})).not.toThrow();
    expect(() => ambienteDe(ROOT, 'desconhecido', {})).toThrow('ambiente desconhecido: desconhecido (use dev, homologacao, producao)');
    const raiz = mkdtempSync(path.join(tmpdir(), 'lum-valores-'));
    try {
      mkdirSync(path.join(raiz, 'scripts/realm'), { recursive: true });
      writeFileSync(path.join(raiz, 'scripts/realm/producao.env'), 'LUM_FAZENDA_URL=https://fazenda.prefeitura.sp.gov.br\nLUM_API_CLIENT_SECRET=vazou\n');
      expect(() => ambienteDe(raiz, 'producao', {})).toThrow('scripts/realm/producao.env define LUM_API_CLIENT_SECRET: segredos nunca vão para o git');
      // the versioned value wins over the process env outside development; in development the env wins
      writeFileSync(path.join(raiz, 'scripts/realm/producao.env'), 'LUM_FAZENDA_URL=https://fazenda.prefeitura.sp.gov.br\n');
      writeFileSync(path.join(raiz, 'scripts/realm/dev.env'), 'LUM_FAZENDA_URL=http://localhost:4100\n');
      expect(ambienteDe(raiz, 'producao', { LUM_FAZENDA_URL: 'https://outro.example' })['LUM_FAZENDA_URL']).toBe('https://fazenda.prefeitura.sp.gov.br');
      expect(ambienteDe(raiz, 'dev', { LUM_FAZENDA_URL: 'http://localhost:9999' })['LUM_FAZENDA_URL']).toBe('http://localhost:9999');
    } finally {
      rmSync(raiz, { recursive: true, force: true });
    }
    const apply = await rodar('apply', { env: { KEYCLOAK_URL: 'http://127.0.0.1:9' }, ambiente: 'producao' });
    expect(apply).toEqual({ codigo: 2, saida: expect.stringContaining('LUM_API_CLIENT_SECRET') });
  });

  it('apply refuses to run without a secret, naming the variable, before touching the server', async () => {
    const env = { ...ENV, LUM_REALM_DEV_DEFAULTS: '0', LUM_API_CLIENT_SECRET: '', KEYCLOAK_URL: 'http://127.0.0.1:9' };
    const r = await rodar('apply', { env, ambiente: 'producao' });
    expect(r.codigo).toBe(2);
    expect(r.saida).toContain('variáveis de ambiente ausentes (sem valor padrão no arquivo do realm): LUM_API_CLIENT_SECRET. ');
    expect(r.saida).not.toContain('ECONNREFUSED');
    // with no values file at all, every environment value is named too
    const semValores = await rodar('apply', { env });
    expect(semValores.codigo).toBe(2);
    expect(semValores.saida).toContain('LUM_FAZENDA_REDIRECT_URIS');
    expect(semValores.saida).toContain('LUM_REALM_PERFIL_URIS');
  }, 30_000);
});

describe('realm:apply / realm:export / realm:diff against the running Keycloak', () => {
  let k: Conexao;
  let tmp: string;

  /** The newest admin event (the list is newest first): unchanged ⇔ nothing was written. */
  const adminEvents = async () => JSON.stringify((await k.api<Obj[]>('GET', '/admin-events?first=0&max=1'))[0] ?? null);

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lum-realm-'));
    const env = ambienteDev(ROOT, ENV);
    k = await conectar({ url: KC_TEST.url, realm: KC_TEST.realm, usuario: KC_TEST.adminUser, senha: KC_TEST.adminPassword });
    expect(env['LUM_SAUDE_REDIRECT_URIS']).toBe('http://localhost:4102/*');
  }, 60_000);

  afterAll(async () => {
    // leave the shared instance as git says, whatever happened above
    if (k) await rodar('apply');
    rmSync(tmp, { recursive: true, force: true });
  }, 90_000);

  it('apply converges, and a second apply changes nothing (no write, no admin event)', async () => {
    const primeira = await rodar('apply');
    expect(primeira.codigo).toBe(0);
    // The test set-up imported the file (fresh instance) and applied it (fresh or reused instance), and no test leaves
    // the realm changed: the server already is what git says.
    expect(primeira.saida).toContain('nada a alterar');
    const escritasAntes = k.escritas();
    const eventosAntes = await adminEvents();
    const segunda = await rodar('apply', { conexao: k });
    expect(segunda.codigo).toBe(0);
    expect(segunda.saida).toContain('nada a alterar');
    expect(k.escritas()).toBe(escritasAntes);
    expect(await adminEvents()).toBe(eventosAntes);
  }, 90_000);

  it('export right after apply gives the git file back, byte for byte', async () => {
    expect((await rodar('apply')).codigo).toBe(0);
    const copia = path.join(tmp, 'prefeitura-sp.json');
    writeFileSync(copia, readFileSync(ARQUIVO));
    const r = await rodar('export', { arquivo: copia });
    expect(r.codigo).toBe(0);
    expect(readFileSync(copia, 'utf8')).toBe(readFileSync(ARQUIVO, 'utf8'));
    expect(r.saida).not.toMatch(/dev-[a-z-]*secret|test-[a-z-]*secret/);
    expect((await rodar('diff')).codigo).toBe(0);
  }, 90_000);

  it('changes made by hand make diff fail and name them; apply puts git back', async () => {
    await k.api('PUT', '', { failureFactor: 9 });
    const clientes = await k.api<Obj[]>('GET', '/clients?clientId=sf-fazenda');
    const fazenda = clientes[0];
    await k.api('PUT', `/clients/${comoTexto(fazenda['id'])}`, {
      ...fazenda, redirectUris: [...(fazenda['redirectUris'] as string[]), 'https://atacante.example/*'], attributes: { ...(fazenda['attributes'] as Obj), 'feito.a.mao': 'sim' },
    });
    const escopo = (await k.api<Obj[]>('GET', '/client-scopes')).find((e) => e['name'] === 'cpf')!;
    const mapper = (await k.api<Obj[]>('GET', `/client-scopes/${comoTexto(escopo['id'])}/protocol-mappers/models`)).find((m) => m['name'] === 'cpf')!;
    await k.api('PUT', `/client-scopes/${comoTexto(escopo['id'])}/protocol-mappers/models/${comoTexto(mapper['id'])}`, {
      // a change no other test can feel (tokens are unchanged), as the instance is shared
      ...mapper, config: { ...(mapper['config'] as Obj), 'introspection.token.claim': 'false' },
    });
    await k.api('POST', '/roles', { name: 'papel-feito-a-mao' });

    const d = await rodar('diff');
    expect(d.codigo).toBe(1);
    expect(d.saida).toContain('failureFactor: git 5 → servidor 9');
    expect(d.saida).toContain('clients[sf-fazenda].redirectUris');
    expect(d.saida).toContain('https://atacante.example/*');
    expect(d.saida).toContain('clientScopes[cpf].protocolMappers[cpf].config.introspection.token.claim: git "true" → servidor "false"');
    expect(d.saida).toContain('roles.realm[papel-feito-a-mao] (só no servidor)');
    expect(d.saida).toContain('clients[sf-fazenda].attributes.feito.a.mao (só no servidor): "sim"');
    expect(d.saida).toMatch(/5 diferença\(s\)/);

    const a = await rodar('apply');
    expect(a.codigo).toBe(0);
    expect(a.saida).toContain('failureFactor');
    expect(a.saida).toContain('clients[sf-fazenda] atualizado (attributes, redirectUris)');
    expect(a.saida).toContain('clientScopes[cpf].protocolMappers[cpf] atualizado');
    expect(a.saida).toContain('roles.realm[papel-feito-a-mao] removido');
    const depois = await rodar('diff');
    expect(depois.saida).toContain('sem diferenças');
    expect(depois.codigo).toBe(0);
  }, 90_000);

  it('a client secret changed by hand is drift (named, value never printed) and apply restores the env one', async () => {
    // lum-api is the one client left on a shared secret (docs/realm-gitops.md)
    const api = (await k.api<Obj[]>('GET', '/clients?clientId=lum-api'))[0];
    await k.api('POST', `/clients/${comoTexto(api['id'])}/client-secret`);
    const d = await rodar('diff');
    expect(d.codigo).toBe(1);
    expect(d.saida).toContain('clients[lum-api].secret');
    const novo = (await k.api<Obj>('GET', `/clients/${comoTexto(api['id'])}/client-secret`))['value'] as string;
    expect(d.saida).not.toContain(novo);
    expect((await rodar('apply')).codigo).toBe(0);
    expect((await k.api<Obj>('GET', `/clients/${comoTexto(api['id'])}/client-secret`))['value']).toBe(KC_TEST.apiClientSecret);
    expect((await rodar('diff')).codigo).toBe(0);
  }, 90_000);

  it('custom authentication flows: created, a hand change is drift, rebuilt from git, removed when git drops them', async () => {
    const comFluxo = path.join(tmp, 'com-fluxo.json');
    const exec = (authenticator: string, requirement: string, priority: number, extra: Obj = {}): Obj => ({ authenticator, authenticatorFlow: false, priority, requirement, userSetupAllowed: false, ...extra });
    // The realm's own flows (the govbr identity provider's first-login flow) stay; the test's flows come on top.
    const proprios = (git()['authenticationFlows'] ?? []) as Obj[];
    writeFileSync(comFluxo, texto(normalizar({
      ...git(),
      authenticationFlows: [
        ...proprios,
        { alias: 'lum-teste-primeiro-login', description: 'teste', providerId: 'basic-flow', topLevel: true, builtIn: false, authenticationExecutions: [
          exec('idp-create-user-if-unique', 'ALTERNATIVE', 10, { authenticatorConfig: 'lum-teste-cria-se-unico' }),
          { authenticatorFlow: true, flowAlias: 'lum-teste-vincular', priority: 20, requirement: 'ALTERNATIVE', userSetupAllowed: false },
        ] },
        { alias: 'lum-teste-vincular', description: 'sub', providerId: 'basic-flow', topLevel: false, builtIn: false, authenticationExecutions: [
          exec('idp-detect-existing-broker-user', 'REQUIRED', 10), exec('idp-auto-link', 'REQUIRED', 20),
        ] },
      ],
      authenticatorConfig: [{ alias: 'lum-teste-cria-se-unico', config: { 'require.password.update.after.registration': 'false' } }],
    })));
    try {
      expect((await rodar('apply', { arquivo: comFluxo })).saida).toContain('authenticationFlows[lum-teste-primeiro-login] criado');
      expect((await rodar('diff', { arquivo: comFluxo })).codigo).toBe(0);
      expect((await rodar('apply', { arquivo: comFluxo })).saida).toContain('nada a alterar');

      const execucoes = await k.api<Obj[]>('GET', '/authentication/flows/lum-teste-primeiro-login/executions');
      await k.api('PUT', '/authentication/flows/lum-teste-primeiro-login/executions', { ...execucoes.find((e) => e['providerId'] === 'idp-auto-link')!, requirement: 'DISABLED' });
      const d = await rodar('diff', { arquivo: comFluxo });
      expect(d.codigo).toBe(1);
      expect(d.saida).toContain('authenticationFlows[lum-teste-vincular].authenticationExecutions[1:idp-auto-link].requirement: git "REQUIRED" → servidor "DISABLED"');
      expect((await rodar('apply', { arquivo: comFluxo })).saida).toContain('authenticationFlows[lum-teste-primeiro-login] recriado');
      expect((await rodar('diff', { arquivo: comFluxo })).codigo).toBe(0);
    } finally {
      const fim = await rodar('apply');
      expect(fim.saida).toContain('authenticationFlows[lum-teste-primeiro-login] removido');
    }
    expect((await rodar('diff')).codigo).toBe(0);
  }, 120_000);

  it('identity providers and their mappers: created, a hand change is named, restored, removed with git', async () => {
    const comIdp = path.join(tmp, 'com-idp.json');
    writeFileSync(comIdp, texto(normalizar({
      ...git(),
      identityProviders: [{
        alias: 'govbr-teste', displayName: 'gov.br (teste)', providerId: 'oidc', enabled: true, trustEmail: false, storeToken: false,
        addReadTokenRoleOnCreate: false, firstBrokerLoginFlowAlias: 'first broker login', linkOnly: false, hideOnLogin: false,
        postBrokerLoginFlowAlias: 'govbr depois do login', // every provider ends in the Sala de Espera (policy check)
        config: {
          clientId: 'lum', clientSecret: '${LUM_GOVBR_TESTE_SECRET:segredo-de-teste}', authorizationUrl: 'https://sso.staging.acesso.gov.br/authorize',
          tokenUrl: 'https://sso.staging.acesso.gov.br/token', pkceEnabled: 'true', pkceMethod: 'S256', defaultScope: 'openid email profile',
          syncMode: 'IMPORT', clientAuthMethod: 'client_secret_post',
        },
      }],
      identityProviderMappers: [{ name: 'cpf-como-usuario', identityProviderAlias: 'govbr-teste', identityProviderMapper: 'oidc-username-idp-mapper', config: { template: '${CLAIM.sub}', target: 'LOCAL', syncMode: 'INHERIT' } }],
    })));
    try {
      const criar = await rodar('apply', { arquivo: comIdp });
      expect(criar.saida).toContain('identityProviders[govbr-teste] criado');
      expect(criar.saida).toContain('identityProviderMappers[govbr-teste/cpf-como-usuario] criado');
      expect((await rodar('apply', { arquivo: comIdp })).saida).toContain('nada a alterar');
      const idp = await k.api<Obj>('GET', '/identity-provider/instances/govbr-teste');
      await k.api('PUT', '/identity-provider/instances/govbr-teste', { ...idp, config: { ...(idp['config'] as Obj), defaultScope: 'openid' } });
      const d = await rodar('diff', { arquivo: comIdp });
      expect(d.saida).toContain('identityProviders[govbr-teste].config.defaultScope: git "openid email profile" → servidor "openid"');
      expect(d.codigo).toBe(1);
      expect((await rodar('apply', { arquivo: comIdp })).saida).toContain('identityProviders[govbr-teste] atualizado (config.defaultScope)');
    } finally {
      expect((await rodar('apply')).saida).toContain('identityProviders[govbr-teste] removido');
    }
    expect((await rodar('diff')).codigo).toBe(0);
  }, 120_000);

  it('apply creates a realm that does not exist yet from the file, and a second apply finds nothing to change', async () => {
    const nome = 'prefeitura-sp-gitops-teste';
    const copia = path.join(tmp, 'outro-realm.json');
    writeFileSync(copia, texto({ ...git(), realm: nome, displayName: 'Realm de teste do realm:apply' }));
    try {
      const criar = await rodar('apply', { arquivo: copia });
      expect(criar.codigo).toBe(0);
      expect(criar.saida).toContain(`realm ${nome} criado a partir do arquivo`);
      const segunda = await rodar('apply', { arquivo: copia });
      expect(segunda.saida).toContain('nada a alterar');
      const d = await rodar('diff', { arquivo: copia });
      expect(d.saida).toContain('sem diferenças');
      expect(d.codigo).toBe(0);
    } finally {
      await k.api('DELETE', `/admin/realms/${nome}`, undefined, { opcional: true });
    }
  }, 120_000);

  it('city clients\' tokens carry cpf, nivel_confianca and the lum-api audience; the external partner asks consent in pt-BR and gets no API audience', async () => {
    const cpf = cpfAleatorio();
    const senha = 'Senha-de-teste-2026';
    await k.api('POST', '/users', {
      username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Ana', lastName: 'Lima', enabled: true, emailVerified: true,
      attributes: { cpf: [cpf], nivel_confianca: ['2'] }, credentials: [{ type: 'password', value: senha, temporary: false }],
    });
    try {
      for (const [clientId, porta] of [['portal-cidadao', 4000], ['sf-fazenda', 4100], ['sme-educacao', 4104]] as const) {
        const config = clientId === 'portal-cidadao' ? await discover(clientId) : await discoverSecretaria(clientId);
        const t = await loginWithPassword({ config, redirectUri: `http://localhost:${porta}/callback`, username: cpf, password: senha });
        const at = decodeJwt(t.access_token);
        expect({ clientId, cpf: at['cpf'], nivel: at['nivel_confianca'], aud: [at['aud']].flat() }).toEqual({ clientId, cpf, nivel: '2', aud: expect.arrayContaining(['lum-api']) });
        expect(decodeJwt(t.id_token!)['cpf']).toBe(cpf);
      }
      // the external partner: consent screen in pt-BR for cpf and nivel_confianca, then tokens without the API audience
      const config = await discover('parceiro-externo');
      const redirectUri = 'http://localhost:4900/callback';
      const { jar, page, codeVerifier, state } = await openAuthorization({ config, redirectUri });
      let res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username: cpf, password: senha, credentialId: '' });
      while (res.status === 302 && !res.headers.get('location')!.startsWith(redirectUri)) {
        res = await fetch(new URL(res.headers.get('location')!, KC_TEST.url), { redirect: 'manual', headers: { cookie: jar.header() } });
        jar.store(res);
      }
      const html = await res.text();
      expect(html).toContain('Seu CPF (Cadastro de Pessoas Físicas)');
      expect(html).toContain('Seu nível de confiança no Login Único (de 1 a 5)');
      const acao = /<form[^>]*action="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
      const aceite = await postForm(jar, new URL(acao, KC_TEST.url).href, { accept: 'Sim' });
      const location = aceite.headers.get('location') ?? '';
      expect(location.startsWith(redirectUri)).toBe(true);
      const t = await authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: codeVerifier, expectedState: state });
      const at = decodeJwt(t.access_token);
      expect({ cpf: at['cpf'], nivel: at['nivel_confianca'], aud: [at['aud'] ?? []].flat() }).toEqual({ cpf, nivel: '2', aud: expect.not.arrayContaining(['lum-api']) });
      expect(at['realm_access']).toBeUndefined();
    } finally {
      const [u] = await k.api<Obj[]>('GET', `/users?username=${cpf}&exact=true`);
      if (u) await k.api('DELETE', `/users/${comoTexto(u['id'])}`);
    }
  });
});
