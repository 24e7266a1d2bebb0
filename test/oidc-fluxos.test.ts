/**
 * The realm seen by relying parties, through openid-client 6 against the real Keycloak (our providers, theme and
 * realm) — every flow a secretariat's system or the API itself uses:
 *
 *   (the confidential client is `descomplica`, whose sign-in requires level 1 like this test's citizen: `sf-fazenda`
 *   asks for level 2 since the Sala de Espera, issue 13)
 *   discovery · authorization code + PKCE (public `portal-cidadao`, confidential `descomplica` authenticating with
 *   private_key_jwt) · refresh with rotation · client credentials (`lum-api`, least privilege) · introspection ·
 *   revocation · RP-initiated logout · flows that must be refused (no PKCE, wrong verifier, implicit, password
 *   grant, a client secret where private_key_jwt is required, a reused refresh token).
 *
 * The citizen is registered through the themed registration form and the API + worker run (as in spine.test.ts), so
 * the tokens carry the `nivel_confianca` the spine wrote, not one set by the test.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { adminKeycloak, configDeTeste, pararPilha } from './support/pilha.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST, issuer } from './support/keycloak.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import {
  decodeJwt, discover, formAction, loginWithPassword, openAuthorization, pageErrors, postForm, register,
} from './support/oidc.js';
import { eventually } from './support/eventually.js';

const PORTAL_REDIRECT = 'http://localhost:4000/callback';
const DESCOMPLICA_REDIRECT = 'http://localhost:4106/callback';
const SENHA = 'Senha-oidc-2026';

let db: TestDatabase;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let kc: KcAdminClient;
/** Public client (SPA/portal): PKCE, no secret. */
let portal: oidc.Configuration;
/** Confidential client of a secretariat: PKCE and a client secret. */
let descomplica: oidc.Configuration;
/** The API's service account (client credentials) — also the resource server that introspects tokens. */
let lumApi: oidc.Configuration;
let cpf: string;
let userId: string;

type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

async function entrarNoPortal(): Promise<Tokens> {
  return loginWithPassword({ config: portal, redirectUri: PORTAL_REDIRECT, username: cpf, password: SENHA });
}

/** Logs in through the form and stops at the redirect with the code (the token exchange is up to the caller). */
async function codigoDeAutorizacao(config: oidc.Configuration, redirectUri: string) {
  const { jar, page, codeVerifier, state } = await openAuthorization({ config, redirectUri });
  const res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username: cpf, password: SENHA, credentialId: '' });
  const location = res.headers.get('location');
  expect(res.status).toBe(302);
  expect(location?.startsWith(redirectUri)).toBe(true);
  return { callback: new URL(location!), codeVerifier, state };
}

/** The OAuth error a rejected promise carries (`ResponseBodyError` of openid-client / oauth4webapi). */
async function erroOAuth(p: Promise<unknown>): Promise<{ error: string; error_description?: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof oidc.ResponseBodyError) return { error: err.error, error_description: err.error_description, status: err.status };
    throw err;
  }
  throw new Error('expected the request to be refused, it succeeded');
}

beforeAll(async () => {
  db = await createTestDatabase();
  const config = configDeTeste(db.url);
  api = await iniciarServidor(config);
  worker = await iniciarWorker(config);
  fila = criarProdutorSync(config);

  kc = await adminKeycloak();

  [portal, descomplica, lumApi] = await Promise.all([
    discover('portal-cidadao'),
    discoverSecretaria('descomplica'),
    discover('lum-api', KC_TEST.apiClientSecret),
  ]);

  // A citizen, registered through the themed form; the spine (listener → API → worker) gives the account level 1.
  cpf = cpfAleatorio();
  const r = await register({
    config: portal,
    redirectUri: PORTAL_REDIRECT,
    user: { cpf, password: SENHA, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'João', lastName: 'Oliveira', dataNascimento: '1975-03-09' },
  });
  if (!r.ok) throw new Error(`registration failed:\n${pageErrors(r.html)}`);
  userId = decodeJwt(r.tokens.id_token!).sub as string;
  await eventually(async () => {
    const u = await kc.users.findOne({ id: userId });
    expect(u?.attributes?.nivel_confianca?.[0]).toBe('1');
  }, { timeoutMs: 30_000 });
}, 120_000);

afterAll(async () => {
  await pararPilha({ worker, api, fila, db });
}, 30_000);

describe('discovery', () => {
  it('publishes the realm issuer, PKCE S256, the code flow, introspection, revocation and end-session', () => {
    const m = portal.serverMetadata();
    expect(m.issuer).toBe(issuer);
    expect(m.code_challenge_methods_supported).toContain('S256');
    expect(m.response_types_supported).toContain('code');
    expect(m.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint',
      'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint'] as const) {
      expect(m[endpoint]).toMatch(new RegExp(`^${issuer}/protocol/openid-connect/`));
    }
    // The same document for every client: discovery is per realm.
    expect(descomplica.serverMetadata().issuer).toBe(issuer);
    expect(lumApi.serverMetadata().token_endpoint).toBe(m.token_endpoint);
  });

  it('no client needs the implicit flow: an implicit request is refused before any login page', async () => {
    for (const [config, redirect] of [[portal, PORTAL_REDIRECT], [descomplica, DESCOMPLICA_REDIRECT]] as const) {
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirect, response_type: 'id_token token', scope: 'openid', nonce: oidc.randomNonce(), state: oidc.randomState(),
      });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(location.startsWith(redirect)).toBe(true);
      // The error of an implicit request comes back in the fragment (its response mode).
      const erro = new URLSearchParams(new URL(location).hash.slice(1));
      expect(erro.get('error')).toBe('unauthorized_client');
      expect(location).not.toContain('access_token=');
    }
  });
});

describe('authorization code + PKCE', () => {
  it('portal-cidadao (public): tokens with the citizen\'s cpf and nivel_confianca, id token checked by openid-client', async () => {
    const tokens = await entrarNoPortal();
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const id = tokens.claims()!;
    expect(id).toMatchObject({ iss: issuer, aud: 'portal-cidadao', sub: userId, cpf, nivel_confianca: '1', preferred_username: cpf });
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ iss: issuer, azp: 'portal-cidadao', sub: userId, cpf, nivel_confianca: '1' });
    expect([access.aud].flat()).toContain('lum-api');
    const info = await oidc.fetchUserInfo(portal, tokens.access_token, userId);
    expect(info).toMatchObject({ sub: userId, cpf, nivel_confianca: '1' });
  });

  it('descomplica (confidential): PKCE plus private_key_jwt', async () => {
    const tokens = await loginWithPassword({ config: descomplica, redirectUri: DESCOMPLICA_REDIRECT, username: cpf, password: SENHA });
    expect(tokens.claims()).toMatchObject({ iss: issuer, aud: 'descomplica', sub: userId, cpf, nivel_confianca: '1' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ azp: 'descomplica', cpf });
  });

  it('descomplica authenticating with a client secret (the old method) cannot redeem its code', async () => {
    const { callback, codeVerifier, state } = await codigoDeAutorizacao(descomplica, DESCOMPLICA_REDIRECT);
    const impostor = new oidc.Configuration(descomplica.serverMetadata(), 'descomplica', 'dev-descomplica-secret');
    oidc.allowInsecureRequests(impostor);
    const e = await erroOAuth(oidc.authorizationCodeGrant(impostor, callback, { pkceCodeVerifier: codeVerifier, expectedState: state }));
    expect(e.error).toBe('invalid_client');
  });

  it.each([
    ['a wrong code_verifier', () => oidc.randomPKCECodeVerifier()],
    ['no code_verifier', () => undefined],
  ])('the token endpoint refuses a code redeemed with %s', async (_caso, verificador) => {
    for (const [config, redirect] of [[portal, PORTAL_REDIRECT], [descomplica, DESCOMPLICA_REDIRECT]] as const) {
      const { callback, state } = await codigoDeAutorizacao(config, redirect);
      const e = await erroOAuth(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verificador(), expectedState: state }));
      expect(e.error).toBe('invalid_grant');
      expect(e.error_description).toMatch(/PKCE/i);
    }
  });

  it('an authorization request without PKCE is refused by the public client before any login page', async () => {
    const url = oidc.buildAuthorizationUrl(portal, { redirect_uri: PORTAL_REDIRECT, scope: 'openid', state: oidc.randomState() });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(PORTAL_REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge/);
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('the plain PKCE method is refused too (the clients require S256)', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(portal, {
      redirect_uri: PORTAL_REDIRECT, scope: 'openid', code_challenge: verifier, code_challenge_method: 'plain',
    });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('refresh', () => {
  it('a refresh token yields a new access token and a new refresh token for the same session; the used one is refused (rotation)', async () => {
    const primeiro = await entrarNoPortal();
    const sid = decodeJwt(primeiro.access_token).sid;
    const renovado = await oidc.refreshTokenGrant(portal, primeiro.refresh_token!);
    expect(renovado.access_token).not.toBe(primeiro.access_token);
    expect(renovado.refresh_token).toBeDefined();
    expect(decodeJwt(renovado.access_token)).toMatchObject({ sub: userId, sid, cpf, nivel_confianca: '1' });

    expect(renovado.refresh_token).not.toBe(primeiro.refresh_token);

    // realm-export/prefeitura-sp.json rotates refresh tokens (revokeRefreshToken true, refreshTokenMaxReuse 0 —
    // RFC 9700 §4.14.2 for public clients): the used refresh token is refused, and the reuse also voids the one
    // issued in its place (a stolen token replayed after the legitimate client refreshed ends that line).
    const reuso = await erroOAuth(oidc.refreshTokenGrant(portal, primeiro.refresh_token!));
    expect(reuso).toMatchObject({ error: 'invalid_grant', error_description: 'Maximum allowed refresh token reuse exceeded' });
    const seguinte = await erroOAuth(oidc.refreshTokenGrant(portal, renovado.refresh_token!));
    expect(seguinte.error).toBe('invalid_grant');
  });

  it('a refresh token of one client is not accepted by another', async () => {
    const tokens = await entrarNoPortal();
    const e = await erroOAuth(oidc.refreshTokenGrant(descomplica, tokens.refresh_token!));
    expect(e.error).toBe('invalid_grant');
  });
});

describe('client credentials (lum-api service account)', () => {
  it('gets a token holding only realm-management manage-users, view-users and view-events, and its own enviar-aviso-email', async () => {
    const t = await oidc.clientCredentialsGrant(lumApi);
    expect(t.refresh_token).toBeUndefined();
    const claims = decodeJwt(t.access_token);
    expect(claims).toMatchObject({ iss: issuer, azp: 'lum-api', preferred_username: 'service-account-lum-api' });
    expect(claims).not.toHaveProperty('realm_access');
    const acesso = claims.resource_access as Record<string, { roles: string[] }>;
    expect(Object.keys(acesso).sort()).toEqual(['lum-api', 'realm-management']);
    // Its own client role, the only thing Keycloak's lum-avisos resource accepts (the citizen's e-mail notice).
    expect(acesso['lum-api'].roles).toEqual(['enviar-aviso-email']);
    // manage-users, view-users (plus query-users and query-groups, which view-users is made of) and view-events (the
    // recovery of events the listener could not deliver reads Keycloak's stored events).
    expect([...acesso['realm-management'].roles].sort()).toEqual(['manage-users', 'query-groups', 'query-users', 'view-events', 'view-users']);

    // The account itself is granted exactly the three roles (and its own client's one) and no realm role (not even the default one).
    const [sa] = await kc.users.find({ username: 'service-account-lum-api', exact: true });
    const mapeamentos = await kc.users.listRoleMappings({ id: sa.id! });
    expect(mapeamentos).not.toHaveProperty('realmMappings');
    expect(Object.keys(mapeamentos.clientMappings!).sort()).toEqual(['lum-api', 'realm-management']);
    expect(mapeamentos.clientMappings!['lum-api'].mappings.map((r: { name?: string }) => r.name)).toEqual(['enviar-aviso-email']);
    expect(mapeamentos.clientMappings!['realm-management'].mappings.map((r: { name?: string }) => r.name).sort())
      .toEqual(['manage-users', 'view-events', 'view-users']);
    const viewUsers = await kc.clients.findRole({ id: mapeamentos.clientMappings!['realm-management'].id, roleName: 'view-users' });
    expect((await kc.roles.getCompositeRoles({ id: viewUsers!.id! })).map((r) => r.name).sort()).toEqual(['query-groups', 'query-users']);

    // What the roles allow in practice: users and stored events, yes; clients, roles, flows and realm settings, no.
    const admin = `${KC_TEST.url}/admin/realms/${KC_TEST.realm}`;
    const comToken = async (path: string, method = 'GET') => {
      const res = await fetch(`${admin}${path}`, {
        method, headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}',
      });
      return { path, method, status: res.status };
    };
    expect((await comToken(`/users?username=${cpf}&exact=true`)).status).toBe(200);
    expect((await comToken('/events?max=1')).status).toBe(200);
    for (const [path, method] of [['/clients'], ['/roles'], ['/authentication/flows'], ['', 'PUT'], ['/clients', 'POST']]) {
      expect(await comToken(path, method)).toEqual({ path, method: method ?? 'GET', status: 403 });
    }
  });

  it('is refused to clients without a service account', async () => {
    expect((await erroOAuth(oidc.clientCredentialsGrant(descomplica))).error).toBe('unauthorized_client');
    expect((await erroOAuth(oidc.clientCredentialsGrant(portal))).error).toBe('unauthorized_client');
  });
});

describe('introspection and revocation', () => {
  it('the API (the tokens\' audience) introspects a citizen token: active, with cpf and nivel_confianca', async () => {
    const tokens = await entrarNoPortal();
    const r = await oidc.tokenIntrospection(lumApi, tokens.access_token);
    expect(r).toMatchObject({ active: true, sub: userId, client_id: 'portal-cidadao', cpf, nivel_confianca: '1', username: cpf });
    const daDescomplica = await loginWithPassword({ config: descomplica, redirectUri: DESCOMPLICA_REDIRECT, username: cpf, password: SENHA });
    expect(await oidc.tokenIntrospection(lumApi, daDescomplica.access_token))
      .toMatchObject({ active: true, client_id: 'descomplica', cpf, nivel_confianca: '1' });
  });

  it('a client outside the token\'s audience learns nothing from introspection (Keycloak ≥ 26.6.2 audience check)', async () => {
    // Access tokens of portal-cidadao and descomplica are addressed to lum-api only: another secretariat's client
    // (even the one the token was issued to) gets `active: false` and no claims.
    const tokens = await entrarNoPortal();
    expect(await oidc.tokenIntrospection(descomplica, tokens.access_token)).toEqual({ active: false });
    const daDescomplica = await loginWithPassword({ config: descomplica, redirectUri: DESCOMPLICA_REDIRECT, username: cpf, password: SENHA });
    expect(await oidc.tokenIntrospection(descomplica, daDescomplica.access_token)).toEqual({ active: false });
  });

  it('a garbage token is inactive', async () => {
    expect(await oidc.tokenIntrospection(lumApi, 'nao-e-um-token')).toMatchObject({ active: false });
  });

  it('after revocation the access token is inactive and the revoked refresh token no longer works', async () => {
    const tokens = await entrarNoPortal();
    await oidc.tokenRevocation(portal, tokens.access_token);
    expect(await oidc.tokenIntrospection(lumApi, tokens.access_token)).toMatchObject({ active: false });

    const outro = await entrarNoPortal();
    await oidc.tokenRevocation(portal, outro.refresh_token!);
    expect((await erroOAuth(oidc.refreshTokenGrant(portal, outro.refresh_token!))).error).toBe('invalid_grant');
  });
});

describe('RP-initiated logout', () => {
  it('end-session with id_token_hint redirects to post_logout_redirect_uri and ends the session', async () => {
    const tokens = await entrarNoPortal();
    const sid = decodeJwt(tokens.id_token!).sid as string;
    expect((await kc.users.listSessions({ id: userId })).map((s) => s.id)).toContain(sid);

    const state = oidc.randomState();
    const sair = oidc.buildEndSessionUrl(portal, {
      id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://localhost:4000/sair', state,
    });
    const res = await fetch(sair, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:4000/sair');
    expect(location.searchParams.get('state')).toBe(state);

    expect((await kc.users.listSessions({ id: userId })).map((s) => s.id)).not.toContain(sid);
    const e = await erroOAuth(oidc.refreshTokenGrant(portal, tokens.refresh_token!));
    expect(e.error).toBe('invalid_grant');
    expect(await oidc.tokenIntrospection(lumApi, tokens.access_token)).toMatchObject({ active: false });
  });

  it('a post_logout_redirect_uri the client did not register is refused and the session stays', async () => {
    const tokens = await entrarNoPortal();
    const sid = decodeJwt(tokens.id_token!).sid as string;
    const sair = oidc.buildEndSessionUrl(portal, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://atacante.example/' });
    const res = await fetch(sair, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect((await kc.users.listSessions({ id: userId })).map((s) => s.id)).toContain(sid);
    expect(await oidc.tokenIntrospection(lumApi, tokens.access_token)).toMatchObject({ active: true });
  });
});

describe('password grant (direct access)', () => {
  it.each([
    ['portal-cidadao', () => portal],
    ['descomplica', () => descomplica],
    ['lum-api', () => lumApi],
  ])('is refused for %s with unauthorized_client, even with the right password', async (_cliente, config) => {
    const e = await erroOAuth(oidc.genericGrantRequest(config(), 'password', { username: cpf, password: SENHA, scope: 'openid' }));
    expect(e.error).toBe('unauthorized_client');
  });
});
