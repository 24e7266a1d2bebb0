/**
 * The authenticator lum-sala-espera in the realm as imported (issue 13), against the slot's real Keycloak: a
 * sign-in that meets the client's requirement gets its code; one that does not is sent to the Sala de Espera with a
 * signed reference (verified here with the API's verifier and the events secret) and no code; a request may ask for
 * more (acr_values, claims) but never less. Users with random CPFs, created and removed here; no realm edits.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type * as oidc from 'openid-client';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { verificarReferencia } from '../api/src/sala-espera/referencia.js';
import { discoverSecretaria } from './support/chave-cliente-dev.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, formAction, loginWithPassword, openAuthorization, postForm } from './support/oidc.js';
import { adminKeycloak } from './support/pilha.js';

const SENHA = 'Senha-da-sala-2026';
const SALA = `http://127.0.0.1:${KC_TEST.apiPort}/sala-espera?ref=`;
let kc: KcAdminClient;
let saude: oidc.Configuration;
let fazenda: oidc.Configuration;
const criados: string[] = [];

async function criarCidadao(atributos: Record<string, string[]>): Promise<{ cpf: string; id: string }> {
  const cpf = cpfAleatorio();
  const { id } = await kc.users.create({
    username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Ana', lastName: 'Sala', enabled: true, emailVerified: true,
    attributes: { cpf: [cpf], ...atributos }, credentials: [{ type: 'password', value: SENHA, temporary: false }],
  });
  criados.push(id);
  return { cpf, id };
}

/** Signs in through the form; answers Keycloak's last redirect (to the application or to the room). */
async function entrar(config: oidc.Configuration, porta: number, cpf: string, extraParams: Record<string, string> = {}): Promise<URL> {
  const redirectUri = `http://localhost:${porta}/callback`;
  const { jar, page } = await openAuthorization({ config, redirectUri, extraParams });
  let res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username: cpf, password: SENHA, credentialId: '' });
  while ([302, 303].includes(res.status)) {
    const destino = new URL(res.headers.get('location')!, KC_TEST.url);
    if (destino.origin !== new URL(KC_TEST.url).origin) return destino;
    res = await fetch(destino, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res);
  }
  throw new Error(`sign-in ended on ${res.status} without leaving Keycloak`);
}

beforeAll(async () => {
  kc = await adminKeycloak();
  [saude, fazenda] = await Promise.all([discoverSecretaria('sms-saude'), discoverSecretaria('sf-fazenda')]);
}, 60_000);

afterAll(async () => {
  for (const id of criados) await kc.users.del({ id }).catch(() => undefined);
});

describe('lum-sala-espera in the browser flow', () => {
  it('a citizen who registers through the Saúde application (level 1) goes to the room, not into the application (required action)', async () => {
    const cpf = cpfAleatorio();
    const redirectUri = 'http://localhost:4102/callback';
    const { jar, page } = await openAuthorization({ config: saude, redirectUri, extraParams: { prompt: 'create' } });
    let res = await postForm(jar, formAction(page.html, 'kc-register-form'), {
      username: cpf, password: SENHA, 'password-confirm': SENHA, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Rui', lastName: 'Cadastro', data_nascimento: '1979-05-06',
    });
    while ([302, 303].includes(res.status) && new URL(res.headers.get('location')!, KC_TEST.url).origin === new URL(KC_TEST.url).origin) {
      res = await fetch(new URL(res.headers.get('location')!, KC_TEST.url), { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(res);
    }
    expect(res.status).toBe(303);
    const destino = new URL(res.headers.get('location')!);
    expect(destino.href.startsWith(SALA)).toBe(true);
    expect(destino.searchParams.get('code')).toBeNull();
    const [criado] = await kc.users.find({ username: cpf, exact: true });
    criados.push(criado.id!);
    expect(verificarReferencia(destino.searchParams.get('ref'), KC_TEST.eventsSecret)).toMatchObject({ sub: criado.id, cpf, cliente: 'sms-saude', nivel: 3 });
  });

  it('a level-2 citizen signing in to Saúde goes to the room with a signed reference naming the Número SUS and level 3, and gets no code', async () => {
    const { cpf, id } = await criarCidadao({ nivel_confianca: ['2'] });
    const destino = await entrar(saude, 4102, cpf);
    expect(destino.href.startsWith(SALA)).toBe(true);
    expect(destino.searchParams.get('code')).toBeNull();
    const ref = verificarReferencia(destino.searchParams.get('ref'), KC_TEST.eventsSecret);
    expect(ref).toMatchObject({ sub: id, cpf, cliente: 'sms-saude', nomeCliente: 'Saúde — Secretaria Municipal da Saúde (SMS)', orgao: 'saude', nivel: 3, dados: ['cns'] });
    expect(ref.expiraEm - ref.emitidaEm).toBe(900);
  });

  it('the same citizen signs in to Fazenda (level 2) and never sees the room; the token carries the level', async () => {
    const { cpf } = await criarCidadao({ nivel_confianca: ['2'] });
    const t = await loginWithPassword({ config: fazenda, redirectUri: 'http://localhost:4100/callback', username: cpf, password: SENHA });
    expect(decodeJwt(t.id_token!)).toMatchObject({ azp: 'sf-fazenda', cpf, nivel_confianca: '2' });
  });

  it('Fazenda asking for level 3 on one request (acr_values) sends a level-2 citizen to the room; asking for level 1 (claims) does not lower the minimum', async () => {
    const { cpf } = await criarCidadao({ nivel_confianca: ['2'] });
    const acr = await entrar(fazenda, 4100, cpf, { acr_values: 'urn:lum:nivel:3' });
    expect(acr.href.startsWith(SALA)).toBe(true);
    expect(verificarReferencia(acr.searchParams.get('ref'), KC_TEST.eventsSecret)).toMatchObject({ cliente: 'sf-fazenda', orgao: 'fazenda', nivel: 3, dados: [] });
    const n1 = await criarCidadao({ nivel_confianca: ['1'] });
    const claims = JSON.stringify({ id_token: { nivel_confianca: { essential: true, value: '1' } } });
    const menos = await entrar(fazenda, 4100, n1.cpf, { claims });
    expect(menos.href.startsWith(SALA)).toBe(true);
    expect(verificarReferencia(menos.searchParams.get('ref'), KC_TEST.eventsSecret)).toMatchObject({ cliente: 'sf-fazenda', nivel: 2 });
  });

  it('a level-3 citizen with the Número SUS verified passes Saúde; level 3 without it does not', async () => {
    const com = await criarCidadao({ nivel_confianca: ['3'], dados_complementares: ['cns'] });
    const t = await loginWithPassword({ config: saude, redirectUri: 'http://localhost:4102/callback', username: com.cpf, password: SENHA });
    expect(decodeJwt(t.access_token)).toMatchObject({ azp: 'sms-saude', cpf: com.cpf, nivel_confianca: '3' });
    const sem = await criarCidadao({ nivel_confianca: ['3'] });
    const destino = await entrar(saude, 4102, sem.cpf);
    expect(verificarReferencia(destino.searchParams.get('ref'), KC_TEST.eventsSecret)).toMatchObject({ sub: sem.id, nivel: 3, dados: ['cns'] });
  });
});
