/**
 * verified_claims end to end on the slot's real Keycloak (issue 12, item 5): a citizen passes the knowledge check in
 * the API (real PostgreSQL/Redis), the sync worker's processor writes `nivel_confianca` and `lastro` into the
 * Keycloak user, and an ID token asked with the optional scope `verified_claims` carries the OpenID Connect for
 * Identity Assurance claim, whose content is written out here by hand; asked without the scope, no such claim.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { Configuration } from 'openid-client';
import * as oidc from 'openid-client';
import { pino } from 'pino';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../api/test/helpers/app.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { KeycloakAdminUsers } from '../api/src/keycloak-sync/keycloak-users.port.js';
import { nivelContaTypeorm, sincronizarNivel } from '../api/src/keycloak-sync/sincronizar-nivel.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { adminKeycloak } from './support/pilha.js';

const SENHA = 'Senha-de-teste-2026';
const REDIRECT = 'http://localhost:4000/callback';

let t: AppDeTeste;
let kc: KcAdminClient;
let portal: Configuration;

beforeAll(async () => {
  t = await criarAppDeTeste('verified-claims');
  kc = await adminKeycloak();
  portal = await discover('portal-cidadao');
}, 120_000);
afterAll(async () => {
  await t?.fechar();
});

describe('verified_claims in the ID token', () => {
  it('after the knowledge check and the sync: present with the scope, with the level, the evidence and its time, the CPF and the name; absent without it', async () => {
    // A citizen who registered in the Login Único (level 1) and whose CPF has a master record written by a steward.
    const cpf = cpfAleatorio();
    const { id } = await kc.users.create({
      username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Lia', lastName: 'Campos', enabled: true, emailVerified: true,
      credentials: [{ type: 'password', value: SENHA, temporary: false }], attributes: { cpf: [cpf] },
    });
    await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, nivel_confianca) VALUES ($1, $2, $3, 1)`, [id, cpf, cpf]);
    const gestor = await t.tokens.gestor();
    await request(t.app).post('/pessoas').set('authorization', `Bearer ${gestor}`)
      .send({ cpf, nome: 'Lia Campos Prado', dataNascimento: '1991-09-23', nomeMae: 'Helena Campos', localNascimento: { municipio: 'Recife', uf: 'PE' } })
      .expect(201);

    // The knowledge check (the API's own token verifier is local in this app; the account is the Keycloak user).
    const token = await t.tokens.emitir({ sub: id, username: cpf, roles: ['cidadao'], extra: { cpf } });
    const inicio = await request(t.app).post('/me/verificacao-conhecimento').set('authorization', `Bearer ${token}`).expect(201);
    const certas: Record<string, string> = { dataNascimento: '23/09/1991', nomeMae: 'HELENA CAMPOS', localNascimento: 'RECIFE/PE' };
    const respostas = (inicio.body.perguntas as { id: string; campo: string; opcoes: { id: string; texto: string }[] }[])
      .map((p) => ({ pergunta: p.id, opcao: p.opcoes.find((o) => o.texto === certas[p.campo])!.id }));
    const r = await request(t.app).post(`/me/verificacao-conhecimento/${inicio.body.id as string}/respostas`).set('authorization', `Bearer ${token}`).send({ respostas }).expect(200);
    expect(r.body).toMatchObject({ aprovada: true, nivelConfianca: 3 });

    // The sync worker's processor, against the real Keycloak as the lum-api service account.
    const keycloak = new KeycloakAdminUsers({ baseUrl: KC_TEST.url, realm: KC_TEST.realm, clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret });
    const [{ saidaId }] = await t.db.dataSource.query(`SELECT id::text AS "saidaId" FROM sincronizacao_saida WHERE conta_id = $1 AND versao = 1`, [id]);
    expect(await sincronizarNivel({ saidaId: saidaId as string, contaId: id, versao: 1 }, { contas: nivelContaTypeorm(t.db.dataSource), keycloak, logger: pino({ level: 'silent' }) }))
      .toEqual({ resultado: 'sincronizado', nivel: 3, versao: 1 });
    const [{ em }] = await t.db.dataSource.query(`SELECT registrado_em AS em FROM evidencia WHERE conta_id = $1 AND tipo = 'conhecimento'`, [id]);
    const quando = (em as Date).toISOString();
    const usuario = await kc.users.findOne({ id });
    expect(usuario?.attributes?.['nivel_confianca']).toEqual(['3']);
    expect(usuario?.attributes?.['lastro']).toEqual([
      `{"v":1,"cpf":"${cpf}","nome":"Lia Campos Prado","evidencias":[{"tipo":"conhecimento","verificadoEm":"${quando}"}]}`,
    ]);

    const comEscopo = await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpf, password: SENHA, scope: 'openid verified_claims' });
    const idToken = decodeJwt(comEscopo.id_token!);
    expect(idToken['verified_claims']).toEqual({
      verification: {
        trust_framework: 'br_sp_prefeitura_lum',
        assurance_level: '3',
        time: quando,
        evidence: [{ type: 'electronic_record', check_details: [{ check_method: 'kbq' }], time: quando, record: { type: 'cadastro-base-pessoas' } }],
      },
      claims: { cpf, name: 'Lia Campos Prado' },
    });
    expect(idToken['nivel_confianca']).toBe('3');
    // userinfo too (the mapper's userinfo flag); the access token does not carry it (kept small)
    const info = await oidc.fetchUserInfo(portal, comEscopo.access_token, idToken.sub as string);
    expect(info['verified_claims']).toEqual(idToken['verified_claims']);
    expect(decodeJwt(comEscopo.access_token)).not.toHaveProperty('verified_claims');

    const semEscopo = await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpf, password: SENHA });
    const idTokenSem = decodeJwt(semEscopo.id_token!);
    expect(idTokenSem['nivel_confianca']).toBe('3');
    expect(idTokenSem).not.toHaveProperty('verified_claims');
  });

  it('a user without a summary (never tied to a record) gets no verified_claims even with the scope', async () => {
    const cpf = cpfAleatorio();
    await kc.users.create({
      username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Rui', lastName: 'Melo', enabled: true, emailVerified: true,
      credentials: [{ type: 'password', value: SENHA, temporary: false }], attributes: { cpf: [cpf], nivel_confianca: ['1'] },
    });
    const tokens = await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpf, password: SENHA, scope: 'openid verified_claims' });
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken['nivel_confianca']).toBe('1');
    expect(idToken).not.toHaveProperty('verified_claims');
  });

  it('lastro is declared in the running realm\'s user profile as admin-only (view and edit), so no user can see or write it', async () => {
    const perfil = await kc.users.getProfile();
    const lastro = perfil.attributes?.find((a) => a.name === 'lastro');
    expect(lastro?.permissions).toEqual({ view: ['admin'], edit: ['admin'] });
  });
});
