/**
 * CMBD authorization with REAL Keycloak tokens (the slot's Keycloak test instance, realm imported from
 * realm-export/prefeitura-sp.json): the CMBD roles exist in the realm file; staff sign in through the login form
 * (authorization code + PKCE) and the API verifies their tokens against the realm's JWKS. A focal point of SF
 * cannot change a SMADS entry; the SMADS focal point can; the CGM runs the campaign.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import type { Configuration } from 'openid-client';
import request from 'supertest';
import { criarVerificadorKeycloak } from '../api/src/auth/verificador-token.js';
import { montarAppCmbd } from '../api/test/helpers/cmbd.js';
import { baseValida } from '../api/src/cmbd/cmbd.fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST } from './support/keycloak.js';
import { criarServidor } from './support/pilha.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { usarRelogioDosTestes } from './support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

const REDIRECT = 'http://localhost:4000/callback';
const SENHA = 'Senha-de-teste-2026';

let db: TestDatabase;
let app: Express;
let kc: KcAdminClient;
let portal: Configuration;
const token: Record<'smads' | 'sf' | 'cgm' | 'cidadao', string> = { smads: '', sf: '', cgm: '', cidadao: '' };

async function usuarioCom(papeis: string[]): Promise<string> {
  const { cpf } = await criarServidor(kc, papeis, SENHA);
  const tokens = await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpf, password: SENHA });
  return tokens.access_token;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = montarAppCmbd(db.dataSource, criarVerificadorKeycloak({ keycloakUrl: KC_TEST.url, keycloakPublicUrl: KC_TEST.url, keycloakRealm: KC_TEST.realm, lumApiAudience: 'lum-api' }));
  kc = new KcAdminClient({ baseUrl: KC_TEST.url });
  kc.setConfig({ realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: KC_TEST.adminUser, password: KC_TEST.adminPassword });
  kc.setConfig({ realmName: KC_TEST.realm });
  portal = await discover('portal-cidadao');
  token.smads = await usuarioCom(['servidor', 'cmbd-ponto-focal', 'cmbd-orgao-smads']);
  token.sf = await usuarioCom(['servidor', 'cmbd-ponto-focal', 'cmbd-orgao-sf']);
  token.cgm = await usuarioCom(['servidor', 'cmbd-cgm']);
  token.cidadao = await usuarioCom([]);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

describe('CMBD roles from the realm, in real tokens', () => {
  it('the realm file declares the CMBD roles and the tokens carry them', async () => {
    const nomes = (await kc.roles.find()).map((r) => r.name);
    expect(nomes).toEqual(expect.arrayContaining(['cmbd-cgm', 'cmbd-ponto-focal', 'cmbd-orgao-smads', 'cmbd-orgao-sf', 'cmbd-orgao-sme']));
    const claims = decodeJwt(token.sf) as { realm_access: { roles: string[] }; aud: string | string[] };
    expect(claims.realm_access.roles).toEqual(expect.arrayContaining(['cmbd-ponto-focal', 'cmbd-orgao-sf']));
    expect(claims.realm_access.roles).not.toContain('cmbd-orgao-smads');
    expect([claims.aud].flat()).toContain('lum-api');
  });

  it('a focal point of SF cannot change an entry of SMADS; the SMADS focal point can; nothing leaks across organs', async () => {
    for (const [sigla, nome] of [['SMADS', 'Secretaria Municipal de Assistência e Desenvolvimento Social'], ['SF', 'Secretaria Municipal da Fazenda']]) {
      await request(app).put(`/cmbd/orgaos/${sigla}`).set(auth(token.cgm)).send({ nome }).expect(201);
    }
    const { body: base } = await request(app).post('/cmbd/bases').set(auth(token.smads)).send(baseValida()).expect(201);
    const antes = await db.dataSource.query(`SELECT versao, resumo FROM cmbd_base WHERE id = $1`, [base.id]);

    const negado = await request(app).patch(`/cmbd/bases/${base.id}`).set(auth(token.sf)).send({ resumo: 'Alterado pela Fazenda' }).expect(403);
    expect(negado.body).toMatchObject({ error: 'Proibido', message: 'Acesso restrito ao ponto focal do órgão SMADS (papéis cmbd-ponto-focal e cmbd-orgao-smads) ou à CGM (cmbd-cgm)' });
    await request(app).post(`/cmbd/bases/${base.id}/inativacao`).set(auth(token.sf)).send({ desde: '2025-01-01' }).expect(403);
    await request(app).post('/cmbd/bases').set(auth(token.sf)).send(baseValida({ titulo: 'Base em nome de outro órgão' })).expect(403);
    expect(await db.dataSource.query(`SELECT versao, resumo FROM cmbd_base WHERE id = $1`, [base.id])).toEqual(antes);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM cmbd_base_versao WHERE base_id = $1`, [base.id])).toEqual([{ n: 1 }]);

    // Each edits its own.
    await request(app).post('/cmbd/bases').set(auth(token.sf)).send(baseValida({ sigla: 'SF', titulo: 'Cadastro imobiliário fiscal' })).expect(201);
    const ok = await request(app).patch(`/cmbd/bases/${base.id}`).set(auth(token.smads)).send({ resumo: 'Atualizado pelo ponto focal da SMADS.' }).expect(200);
    expect(ok.body).toMatchObject({ versao: 2, resumo: 'Atualizado pelo ponto focal da SMADS.' });
    const [versao] = await db.dataSource.query(`SELECT ator FROM cmbd_base_versao WHERE base_id = $1 AND versao = 2`, [base.id]);
    expect(versao.ator).toMatch(/^\d{11}$/); // the Keycloak username of the SMADS focal point: attributable
  });

  it('only the CGM runs campaigns; a citizen reads nothing internal; the public needs no token', async () => {
    await request(app).post('/cmbd/campanhas').set(auth(token.smads)).send({ codigo: '2026-2', prazo: '2026-11-30' }).expect(403);
    await request(app).post('/cmbd/campanhas').set(auth(token.cgm)).send({ codigo: '2026-2', prazo: '2026-11-30' }).expect(201);
    await request(app).post('/cmbd/campanhas/2026-2/orgaos/SMADS/conclusao').set(auth(token.sf)).expect(403);
    await request(app).get('/cmbd/bases').set(auth(token.cidadao)).expect(403);
    await request(app).post('/cmbd/campanhas/2026-2/encerramento').set(auth(token.cgm)).expect(200);
    const csv = await request(app).get('/dados-abertos/cmbd.csv').expect(200);
    expect(csv.text).toContain('Cadastro imobiliário fiscal');
  });
});
