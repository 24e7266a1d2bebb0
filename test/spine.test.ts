/**
 * The product's spine, end to end, with every component real: Keycloak 26.7.3 with our provider jar, theme and
 * realm (started by the global setup), PostgreSQL, Redis, and the API and worker started through their production
 * entry points (`iniciarServidor`, `iniciarWorker`).
 *
 *   register through Keycloak's form → listener posts REGISTER (signed, after commit) → level 1 → worker writes the
 *   attribute → a fresh authorization-code + PKCE login yields tokens with nivel_confianca "1" → a steward confirms
 *   the account against the master record → level 3 → the next token carries "3".
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { fetchUserInfo, type Configuration } from 'openid-client';
import { cabecalhosAssinados } from '../api/test/helpers/eventos.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import type { Config } from '../api/src/config.js';
import { autenticarAdmin, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';
import { jobIdDaSaida } from '../api/test/helpers/saida.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST, startKeycloak, stopKeycloak } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { eventually, present } from './support/eventually.js';

const REDIRECT = 'http://localhost:4000/callback';
const SENHA = 'Senha-de-teste-2026';

let db: TestDatabase;
let config: Config;
let api: ServidorIniciado;
let worker: WorkerIniciado;
let fila: ProdutorSync;
let kc: KcAdminClient;
let portal: Configuration;
let apiUrl: string;
let tokenGestor: string;

async function nivelNoKeycloak(userId: string): Promise<string | undefined> {
  const u = await kc.users.findOne({ id: userId });
  return u?.attributes?.nivel_confianca?.[0];
}

async function contaNoBanco(userId: string) {
  const rows = await db.dataSource.query('select * from conta where keycloak_user_id = $1', [userId]);
  return rows[0] as { nivel_confianca: number; cpf_declarado: string; nivel_versao: number } | undefined;
}

const registrar = (cpf: string) => registrarCidadao(portal, { cpf, senha: SENHA, nome: 'Maria', sobrenome: 'da Silva', dataNascimento: '1980-05-17' });

async function login(cpf: string) {
  return loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpf, password: SENHA });
}

beforeAll(async () => {
  db = await createTestDatabase();
  config = configDeTeste(db.url);
  api = await iniciarServidor(config);
  worker = await iniciarWorker(config);
  fila = criarProdutorSync(config);
  apiUrl = `http://127.0.0.1:${KC_TEST.apiPort}`;

  kc = new KcAdminClient({ baseUrl: KC_TEST.url });
  await autenticarAdmin(kc);
  portal = await discover('portal-cidadao');

  // A data steward: a staff account holding gestor-cadastro, signing in like anyone else.
  const { cpf: cpfGestor } = await criarServidor(kc, ['gestor-cadastro'], SENHA);
  tokenGestor = (await login(cpfGestor)).access_token;
}, 120_000);

afterAll(async () => {
  await pararPilha({ worker, api, fila, db });
});

describe('the confidence-level spine', () => {
  let cpf: string;
  let userId: string;

  it('registration through the Keycloak form → level 1 in the API and in the Keycloak user → token says 1', async () => {
    cpf = cpfAleatorio();
    userId = await registrar(cpf);

    // The listener delivered REGISTER after commit; the API recorded the account at level 1 with the typed CPF.
    const conta = await eventually(async () => present(await contaNoBanco(userId), 'conta'));
    expect(conta).toMatchObject({ nivel_confianca: 1, cpf_declarado: cpf });

    // The worker wrote the level into the Keycloak user, keeping what the user typed and the cpf attribute.
    await eventually(async () => expect(await nivelNoKeycloak(userId)).toBe('1'));
    const user = await kc.users.findOne({ id: userId });
    expect(user).toMatchObject({ username: cpf, email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Maria', lastName: 'da Silva' });
    expect(user!.attributes).toMatchObject({ cpf: [cpf], data_nascimento: ['1980-05-17'], nivel_confianca: ['1'] });

    const tokens = await login(cpf);
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ nivel_confianca: '1', cpf });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ nivel_confianca: '1', cpf });
    const info = await fetchUserInfo(portal, tokens.access_token, userId);
    expect(info).toMatchObject({ nivel_confianca: '1', cpf });
  });

  it('a typed CPF alone never raises the level, even when a master record with that CPF exists', async () => {
    const res = await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${tokenGestor}`)
      .send({ cpf, nome: 'Maria da Silva', dataNascimento: '1980-05-17' });
    expect(res.status).toBe(201);
    const conta = await contaNoBanco(userId);
    expect(conta!.nivel_confianca).toBe(1);
    expect(await nivelNoKeycloak(userId)).toBe('1');
  });

  it('a steward confirms the account against the master record → level 3 → the next token says 3', async () => {
    const res = await request(apiUrl).post(`/contas/${userId}/vinculo`).set('authorization', `Bearer ${tokenGestor}`)
      .send({ cpf, documento: { tipo: 'RG', numero: '123456789' } });
    expect(res.status).toBe(200);
    expect(res.body.nivelConfianca).toBe(3);

    await eventually(async () => expect(await nivelNoKeycloak(userId)).toBe('3'));
    const user = await kc.users.findOne({ id: userId });
    expect(user!.attributes).toMatchObject({ cpf: [cpf], data_nascimento: ['1980-05-17'] });
    expect(user).toMatchObject({ email: `${cpf}@exemplo.sp.gov.br`, firstName: 'Maria' });

    const tokens = await login(cpf);
    expect(decodeJwt(tokens.id_token!).nivel_confianca).toBe('3');
    expect(decodeJwt(tokens.access_token).nivel_confianca).toBe('3');
  });

  it('a citizen token cannot call the stewards\' API', async () => {
    const tokens = await login(cpf);
    const res = await request(apiUrl).get(`/pessoas/${cpf}`).set('authorization', `Bearer ${tokens.access_token}`);
    expect(res.status).toBe(403);
  });
});

describe('events that did not come from our Keycloak', () => {
  async function contagens() {
    const [r] = await db.dataSource.query(
      'select (select count(*) from conta)::int contas, (select count(*) from evento_keycloak)::int eventos, (select count(*) from auditoria)::int auditoria');
    return r as { contas: number; eventos: number; auditoria: number };
  }

  it('a replay of an event Keycloak really delivered gets 409 and changes nothing', async () => {
    const [original] = await db.dataSource.query(`select id, payload from evento_keycloak where tipo = 'REGISTER' limit 1`);
    expect(original).toBeDefined();
    const antes = await contagens();
    const corpo = JSON.stringify(original.payload);
    const res = await fetch(`${apiUrl}/eventos/keycloak`, {
      method: 'POST', body: corpo,
      headers: { 'content-type': 'application/json', ...cabecalhosAssinados(corpo, { segredo: KC_TEST.eventsSecret, eventId: original.id }) },
    });
    expect(res.status).toBe(409);
    expect(await contagens()).toEqual(antes);
  });

  it('a forged (wrong key) or unsigned REGISTER gets 401 and creates no account', async () => {
    const antes = await contagens();
    const forjado = { id: crypto.randomUUID(), type: 'REGISTER', realm: KC_TEST.realm, realmId: 'x', clientId: 'portal-cidadao',
      userId: crypto.randomUUID(), time: Date.now(), ipAddress: '127.0.0.1', details: { username: cpfAleatorio() }, user: null };
    const corpo = JSON.stringify(forjado);
    const variantes: Record<string, string>[] = [
      { 'content-type': 'application/json', ...cabecalhosAssinados(corpo, { segredo: 'chave-do-atacante', eventId: forjado.id }) },
      { 'content-type': 'application/json', 'x-lum-event-id': forjado.id },
    ];
    for (const headers of variantes) {
      const res = await fetch(`${apiUrl}/eventos/keycloak`, { method: 'POST', body: corpo, headers });
      expect(res.status).toBe(401);
    }
    expect(await contagens()).toEqual(antes);
  });
});

describe('Keycloak unavailable while a level changes', () => {
  it('the sync job is retried and the attribute lands once Keycloak is back', async () => {
    const cpf = cpfAleatorio();
    const userId = await registrar(cpf);
    await eventually(async () => expect(await nivelNoKeycloak(userId)).toBe('1'));
    const pessoa = await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${tokenGestor}`)
      .send({ cpf, nome: 'João Souza', dataNascimento: '1975-02-03' });
    expect(pessoa.status).toBe(201);

    await stopKeycloak();
    try {
      // The steward's token is still valid and its signing keys are cached: the API works without Keycloak.
      const res = await request(apiUrl).post(`/contas/${userId}/vinculo`).set('authorization', `Bearer ${tokenGestor}`)
        .send({ cpf, documento: { tipo: 'CNH', numero: '00011122233' } });
      expect(res.status).toBe(200);
      const conta = await contaNoBanco(userId);
      expect(conta!.nivel_confianca).toBe(3);

      // The job fails against the stopped Keycloak and is scheduled again (not lost, not failed for good).
      const jobId = await jobIdDaSaida(db.dataSource, userId, conta!.nivel_versao);
      await eventually(async () => {
        const job = await fila.fila.getJob(jobId);
        expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
        expect(await job?.getState()).not.toBe('failed');
      }, { timeoutMs: 30_000 });
    } finally {
      await startKeycloak({ fresh: false });
    }
    // A new admin session on each try: right after a restart Keycloak may refuse the first one (seen as invalid_grant
    // on a loaded machine); what this test checks is the worker's retry, not the admin client's session.
    await eventually(async () => {
      await autenticarAdmin(kc);
      expect(await nivelNoKeycloak(userId)).toBe('3');
    }, { timeoutMs: 60_000 });
    const tokens = await login(cpf);
    expect(decodeJwt(tokens.access_token).nivel_confianca).toBe('3');
  }, 240_000);
});
