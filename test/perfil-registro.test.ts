/**
 * Issue 14, item 2: the master record is the one source of a tied account's name and e-mail, against the real
 * Keycloak (global setup), PostgreSQL, Redis, and the API and worker through their production entry points.
 *
 *   steward ties the account to a record → Keycloak's first/last name and e-mail become the record's → ID token;
 *   a name typed in Keycloak that the PMCC refuses is put back to the record's;
 *   the citizen's name change waits for a steward → accepted → the next ID token carries it;
 *   a nome social, once recorded, is the name Keycloak shows; an unlinked account keeps what it typed.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Configuration } from 'openid-client';
import { cabecalhosAssinados } from '../api/test/helpers/eventos.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import type { Config } from '../api/src/config.js';
import { autenticarAdmin, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { iniciarWorker, type WorkerIniciado } from '../api/src/worker.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST } from './support/keycloak.js';
import { decodeJwt, discover, loginWithPassword } from './support/oidc.js';
import { eventually } from './support/eventually.js';

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

async function perfilNoKeycloak(userId: string) {
  await autenticarAdmin(kc);
  const u = (await kc.users.findOne({ id: userId }))!;
  return { firstName: u.firstName, lastName: u.lastName, email: u.email, emailVerified: u.emailVerified };
}

const login = (cpf: string) => loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpf, password: SENHA });

/** A citizen registered through Keycloak's form as "Maria da Silva", tied by a steward to a record named `nome`. */
async function cidadaoVinculado(nome: string, emails: Array<{ endereco: string; verificado: boolean }>): Promise<{ cpf: string; userId: string }> {
  const cpf = cpfAleatorio();
  const userId = await registrarCidadao(portal, { cpf, senha: SENHA, nome: 'Maria', sobrenome: 'da Silva', dataNascimento: '1980-05-17' });
  await eventually(async () => expect((await db.dataSource.query('SELECT 1 FROM conta WHERE keycloak_user_id = $1', [userId])).length).toBe(1));
  const criada = await request(apiUrl).post('/pessoas').set('authorization', `Bearer ${tokenGestor}`).send({ cpf, nome, dataNascimento: '1980-05-17', emails });
  expect(criada.status).toBe(201);
  const vinculo = await request(apiUrl).post(`/contas/${userId}/vinculo`).set('authorization', `Bearer ${tokenGestor}`).send({ cpf, documento: { tipo: 'RG', numero: '123456789' } });
  expect(vinculo.status).toBe(200);
  return { cpf, userId };
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
  const { cpf: cpfGestor } = await criarServidor(kc, ['gestor-cadastro'], SENHA);
  tokenGestor = (await login(cpfGestor)).access_token;
}, 120_000);

afterAll(async () => {
  await pararPilha({ worker, api, fila, db });
});

describe('the master record is the one source of a tied account\'s name and e-mail', () => {
  it('tying the account writes the record\'s name and e-mail into Keycloak; the ID token carries them', async () => {
    const email = `maria.aparecida.${randomUUID().slice(0, 8)}@exemplo.test`;
    const { cpf, userId } = await cidadaoVinculado('Maria Aparecida da Silva', [{ endereco: email, verificado: true }]);
    await eventually(async () => expect(await perfilNoKeycloak(userId)).toEqual({ firstName: 'Maria', lastName: 'Aparecida da Silva', email, emailVerified: true }));
    const id = decodeJwt((await login(cpf)).id_token!);
    expect(id).toMatchObject({ name: 'Maria Aparecida da Silva', given_name: 'Maria', family_name: 'Aparecida da Silva', email, nivel_confianca: '3' });
  });

  it('a name typed in Keycloak that the PMCC refuses does not stay there: the record\'s name is written back', async () => {
    const { cpf, userId } = await cidadaoVinculado('Joana Pereira Lima', []);
    await eventually(async () => expect(await perfilNoKeycloak(userId)).toMatchObject({ firstName: 'Joana', lastName: 'Pereira Lima' }));
    // The citizen's edit in Keycloak, and the UPDATE_PROFILE event Keycloak's listener sends for it.
    await autenticarAdmin(kc);
    const antes = (await kc.users.findOne({ id: userId }))!;
    await kc.users.update({ id: userId }, { ...antes, firstName: 'Fulana', lastName: 'de Tal' });
    const evento = {
      id: randomUUID(), type: 'UPDATE_PROFILE', realm: KC_TEST.realm, clientId: 'account', userId, time: Date.now(),
      details: { context: 'ACCOUNT', previous_first_name: 'Joana', updated_first_name: 'Fulana', previous_last_name: 'Pereira Lima', updated_last_name: 'de Tal' },
      user: { username: cpf, email: antes.email, firstName: 'Fulana', lastName: 'de Tal', emailVerified: false, attributes: { cpf: [cpf] } },
    };
    const corpo = JSON.stringify(evento);
    const r = await fetch(`${apiUrl}/eventos/keycloak`, { method: 'POST', body: corpo, headers: cabecalhosAssinados(corpo, { segredo: KC_TEST.eventsSecret, eventId: evento.id }) });
    expect(r.status).toBe(202);
    const [pessoa] = await db.dataSource.query<Array<{ nome: string }>>('SELECT nome FROM pessoa WHERE cpf = $1', [cpf]);
    expect(pessoa.nome).toBe('Joana Pereira Lima');
    await eventually(async () => expect(await perfilNoKeycloak(userId)).toMatchObject({ firstName: 'Joana', lastName: 'Pereira Lima' }));
    expect(decodeJwt((await login(cpf)).id_token!)).toMatchObject({ name: 'Joana Pereira Lima' });
  });

  it('the citizen\'s name change waits for a steward; once accepted, the next ID token carries the new name', async () => {
    const { cpf, userId } = await cidadaoVinculado('Rita de Cássia Moura', []);
    await eventually(async () => expect(await perfilNoKeycloak(userId)).toMatchObject({ firstName: 'Rita', lastName: 'de Cássia Moura' }));
    const cidadao = (await login(cpf)).access_token;
    const pedido = await request(apiUrl).patch('/me/pessoa').set('authorization', `Bearer ${cidadao}`).send({ nome: 'Rita de Cássia Moura Prado' });
    expect(pedido.status).toBe(200);
    expect(pedido.body.revisoesAbertas).toHaveLength(1);
    // pending: the record and Keycloak keep the current name
    expect((await db.dataSource.query<Array<{ nome: string }>>('SELECT nome FROM pessoa WHERE cpf = $1', [cpf]))[0].nome).toBe('Rita de Cássia Moura');
    expect(decodeJwt((await login(cpf)).id_token!)).toMatchObject({ name: 'Rita de Cássia Moura' });

    const revisoes = await request(apiUrl).get(`/revisoes?chave=${cpf}&situacao=aberta`).set('authorization', `Bearer ${tokenGestor}`);
    expect(revisoes.status).toBe(200);
    expect(revisoes.body.itens).toHaveLength(1);
    expect((await request(apiUrl).post(`/revisoes/${revisoes.body.itens[0].id}/assumir`).set('authorization', `Bearer ${tokenGestor}`)).status).toBe(200);
    const decisao = await request(apiUrl).post(`/revisoes/${revisoes.body.itens[0].id}/resolver`).set('authorization', `Bearer ${tokenGestor}`)
      .send({ resolucao: 'adotar-alternativo', justificativa: 'Certidão de casamento conferida', evidencia: { tipo: 'certidao-casamento', numero: '12345601552026200012123000456789' } });
    expect(decisao.status).toBe(200);
    await eventually(async () => expect(await perfilNoKeycloak(userId)).toMatchObject({ firstName: 'Rita', lastName: 'de Cássia Moura Prado' }));
    expect(decodeJwt((await login(cpf)).id_token!)).toMatchObject({ name: 'Rita de Cássia Moura Prado', given_name: 'Rita', family_name: 'de Cássia Moura Prado' });
  });

  it('a nome social, once recorded, is the name Keycloak shows; an account not tied to a record keeps what it typed', async () => {
    const { cpf, userId } = await cidadaoVinculado('Carlos Eduardo Ramos', []);
    const lida = await request(apiUrl).get(`/pessoas/${cpf}`).set('authorization', `Bearer ${tokenGestor}`);
    expect(lida.status).toBe(200);
    const social = await request(apiUrl).patch(`/pessoas/${cpf}`).set('authorization', `Bearer ${tokenGestor}`).set('if-match', String(lida.headers['etag'])).send({ nomeSocial: 'Carla Ramos' });
    expect(social.status).toBe(200);
    await eventually(async () => expect(await perfilNoKeycloak(userId)).toMatchObject({ firstName: 'Carla', lastName: 'Ramos' }));
    expect(decodeJwt((await login(cpf)).id_token!)).toMatchObject({ name: 'Carla Ramos' });

    const solto = cpfAleatorio();
    const idSolto = await registrarCidadao(portal, { cpf: solto, senha: SENHA, nome: 'Pedro', sobrenome: 'Alves', dataNascimento: '1990-01-02' });
    await eventually(async () => {
      await autenticarAdmin(kc);
      expect((await kc.users.findOne({ id: idSolto }))?.attributes?.['nivel_confianca']?.[0]).toBe('1');
    });
    expect(await perfilNoKeycloak(idSolto)).toMatchObject({ firstName: 'Pedro', lastName: 'Alves', email: `${solto}@exemplo.sp.gov.br` });
  });
});
