/**
 * Keycloak profile events reach the master record through Entrada Única (issue #4), every component real:
 * Keycloak 26.7.3 with our listener (global setup), PostgreSQL, Redis and the API through its production entry point.
 *
 *   citizen registers through Keycloak's form → a steward records the person and links the account → the citizen
 *   edits e-mail and name in Keycloak's own account REST API (token of the stock `account-console` client) →
 *   Keycloak emits UPDATE_PROFILE (details previous_/updated_*) → the listener posts it after commit → the API writes
 *   the e-mail as `evento-keycloak` (provenance: event id, Keycloak user id, e-mail not verified) and records the
 *   name as refused by the PMCC; a replay writes nothing; an unlinked account writes nothing to the person tables.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Configuration } from 'openid-client';
import { cabecalhosAssinados } from '../api/test/helpers/eventos.js';
import { cpfAleatorio } from '../api/test/helpers/cpfs.js';
import { adminKeycloak, configDeTeste, criarServidor, pararPilha, registrarCidadao } from './support/pilha.js';
import { criarProdutorSync, type ProdutorSync } from '../api/src/keycloak-sync/fila.js';
import { iniciarServidor, type ServidorIniciado } from '../api/src/server.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { KC_TEST, issuer } from './support/keycloak.js';
import { discover, loginWithPassword } from './support/oidc.js';
import { eventually } from './support/eventually.js';

const REDIRECT = 'http://localhost:4000/callback';
const CONTA_REDIRECT = `${KC_TEST.url}/realms/${KC_TEST.realm}/account/`;
const SENHA = 'Senha-de-teste-2026';

let db: TestDatabase;
let api: ServidorIniciado;
let fila: ProdutorSync;
let kc: KcAdminClient;
let portal: Configuration;
let consoleConta: Configuration;
let apiUrl: string;
let tokenGestor: string;

const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);

const registrar = (cpf: string) =>
  registrarCidadao(portal, { cpf, senha: SENHA, nome: 'Maria', sobrenome: 'da Silva', dataNascimento: '1980-05-17' }, db.dataSource);

/** The citizen edits their own profile in Keycloak: account REST API, token of the stock account console. */
async function editarPerfilNoKeycloak(cpf: string, mudar: Record<string, unknown>): Promise<void> {
  const tokens = await loginWithPassword({ config: consoleConta, redirectUri: CONTA_REDIRECT, username: cpf, password: SENHA });
  const h = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json', accept: 'application/json' };
  const atual = (await (await fetch(`${issuer}/account/`, { headers: h })).json()) as Record<string, unknown>;
  const res = await fetch(`${issuer}/account/`, { method: 'POST', headers: h, body: JSON.stringify({ ...atual, ...mudar }) });
  expect(res.status).toBe(204);
}

async function eventoDePerfil(userId: string, n = 1) {
  return eventually(async () => {
    const linhas = await q<{ id: string; payload: Record<string, unknown> }>(
      `SELECT id, payload FROM evento_keycloak WHERE user_id = $1 AND tipo = 'UPDATE_PROFILE' ORDER BY recebido_em`, [userId]);
    if (linhas.length < n) throw new Error('UPDATE_PROFILE not there yet');
    return linhas[n - 1];
  });
}

const gestor = (r: request.Test) => r.set('authorization', `Bearer ${tokenGestor}`);

beforeAll(async () => {
  db = await createTestDatabase();
  const config = configDeTeste(db.url);
  api = await iniciarServidor(config);
  fila = criarProdutorSync(config);
  apiUrl = `http://127.0.0.1:${KC_TEST.apiPort}`;

  kc = await adminKeycloak();
  portal = await discover('portal-cidadao');
  consoleConta = await discover('account-console');

  const { cpf: cpfGestor } = await criarServidor(kc, ['gestor-cadastro'], SENHA);
  tokenGestor = (await loginWithPassword({ config: portal, redirectUri: REDIRECT, username: cpfGestor, password: SENHA })).access_token;
}, 120_000);

afterAll(async () => {
  await pararPilha({ api, fila, db });
});

describe('a linked citizen edits their profile in Keycloak', () => {
  let cpf: string;
  let userId: string;
  const emailCadastro = () => `${cpf}@exemplo.sp.gov.br`;
  const emailNovo = () => `novo.${cpf}@exemplo.sp.gov.br`;

  it('the new e-mail becomes current with provenance evento-keycloak; the name change is refused by the PMCC', async () => {
    cpf = cpfAleatorio();
    userId = await registrar(cpf);
    await gestor(request(apiUrl).post('/pessoas'))
      .send({ cpf, nome: 'Maria da Silva', dataNascimento: '1980-05-17', emails: [{ endereco: emailCadastro(), verificado: true }] })
      .expect(201);
    const vinculo = await gestor(request(apiUrl).post(`/contas/${userId}/vinculo`)).send({ cpf, documento: { tipo: 'RG', numero: '123456789' } });
    expect(vinculo.status).toBe(200);

    await editarPerfilNoKeycloak(cpf, { email: emailNovo(), firstName: 'Mariana' });
    const evento = await eventoDePerfil(userId);
    expect(evento.payload).toMatchObject({
      type: 'UPDATE_PROFILE', clientId: 'account',
      details: { context: 'ACCOUNT', previous_email: emailCadastro(), updated_email: emailNovo(), previous_first_name: 'Maria', updated_first_name: 'Mariana' },
      user: { email: emailNovo(), emailVerified: false, firstName: 'Mariana' },
    });

    const pessoa = await gestor(request(apiUrl).get(`/pessoas/${cpf}`)).expect(200);
    expect(pessoa.body).toMatchObject({ nome: 'Maria da Silva', emails: [{ endereco: emailNovo(), verificado: false }], versao: 2 });

    const emails = await gestor(request(apiUrl).get(`/pessoas/${cpf}/historico/emails`)).expect(200);
    expect(emails.body.valores.map((v: { estado: string }) => v.estado)).toEqual(['historico', 'vigente']);
    expect(emails.body.valores[0]).toMatchObject({ valor: [{ endereco: emailCadastro(), verificado: true }], fonte: 'gestor', tipoAtor: 'gestor' });
    expect(emails.body.valores[1]).toMatchObject({
      valor: [{ endereco: emailNovo(), verificado: false }], estado: 'vigente', operacao: 'modificacao',
      fonte: 'keycloak', tipoAtor: 'evento-keycloak', ator: userId, chaveFonte: evento.id, versaoRegistro: 2,
      evidencia: { tipo: 'evento-keycloak', evento: 'UPDATE_PROFILE', eventoId: evento.id, cliente: 'account', contexto: 'ACCOUNT', emailVerificado: false },
      decisao: { resultado: 'aceitar', codigo: 'ACEITO' },
    });
    expect(emails.body.valores[1].observadoEm).toBe(new Date(evento.payload['time'] as number).toISOString());

    // Refused with its reason, visible in the field's history; the record keeps the steward's name.
    const nomes = await gestor(request(apiUrl).get(`/pessoas/${cpf}/historico/nome`)).expect(200);
    const recusado = nomes.body.valores.find((v: { fonte: string }) => v.fonte === 'keycloak');
    expect(recusado).toMatchObject({
      valor: 'Mariana da Silva', estado: 'descartado', tipoAtor: 'evento-keycloak', ator: userId, chaveFonte: evento.id,
      decisao: { resultado: 'rejeitar', codigo: 'ATOR_NAO_AUTORIZADO', regra: 'nome.modificacao.evento-keycloak=nunca' },
    });
    expect(recusado.decisao.mensagem).toMatch(/não pode alterar o campo nome/);

    // Audited like every other write, in the same transaction as the event row and the account update.
    const auditoria = await q<{ acao: string; ator: string; cliente: string; finalidade: string; campos: string[]; detalhe: Record<string, unknown> }>(
      `SELECT acao, ator, cliente, finalidade, campos, detalhe FROM auditoria WHERE pessoa_cpf = $1 AND finalidade = 'evento-keycloak' ORDER BY id`, [cpf]);
    expect(auditoria.map((a) => a.acao)).toEqual(['pessoa.alterada', 'conta.perfil-atualizado']);
    expect(auditoria[0]).toMatchObject({
      ator: 'keycloak', cliente: 'account', campos: ['nome', 'emails'],
      detalhe: { versao: 2, decisoes: [{ campo: 'nome', codigo: 'ATOR_NAO_AUTORIZADO', aplicado: false }, { campo: 'emails', codigo: 'ACEITO', aplicado: true }] },
    });
    expect(auditoria[1].detalhe).toMatchObject({ contaId: userId, eventoId: evento.id });
    // E-mail and name do not move the level: the account stays at 3.
    expect((await q<{ nivel_confianca: number }>('SELECT nivel_confianca FROM conta WHERE keycloak_user_id = $1', [userId]))[0].nivel_confianca).toBe(3);
  }, 120_000);

  it('a replay of the same event (validly signed) is a 409 and writes nothing a second time', async () => {
    const evento = await eventoDePerfil(userId);
    const antes = await q(`SELECT (SELECT count(*) FROM valor_campo WHERE chave = $1)::int vc, (SELECT versao FROM pessoa WHERE cpf = $1) versao,
      (SELECT count(*) FROM auditoria WHERE pessoa_cpf = $1)::int aud`, [cpf]);
    const corpo = JSON.stringify(evento.payload);
    const res = await fetch(`${apiUrl}/eventos/keycloak`, {
      method: 'POST', body: corpo, headers: cabecalhosAssinados(corpo, { segredo: KC_TEST.eventsSecret, eventId: evento.id }),
    });
    expect(res.status).toBe(409);
    expect(await q(`SELECT (SELECT count(*) FROM valor_campo WHERE chave = $1)::int vc, (SELECT versao FROM pessoa WHERE cpf = $1) versao,
      (SELECT count(*) FROM auditoria WHERE pessoa_cpf = $1)::int aud`, [cpf])).toEqual(antes);
  });

  it('a later e-mail change through Keycloak wins again (most recent source), keeping the history', async () => {
    const maisNovo = `outro.${cpf}@exemplo.sp.gov.br`;
    await editarPerfilNoKeycloak(cpf, { email: maisNovo });
    const evento = await eventoDePerfil(userId, 2);
    await eventually(async () => {
      const emails = await gestor(request(apiUrl).get(`/pessoas/${cpf}/historico/emails`)).expect(200);
      expect(emails.body.valores.map((v: { estado: string; chaveFonte: string | null }) => [v.estado, v.chaveFonte])).toEqual([
        ['historico', null], ['historico', expect.any(String)], ['vigente', evento.id],
      ]);
    });
    const pessoa = await gestor(request(apiUrl).get(`/pessoas/${cpf}`)).expect(200);
    expect(pessoa.body).toMatchObject({ nome: 'Maria da Silva', emails: [{ endereco: maisNovo, verificado: false }], versao: 3 });
  }, 60_000);
});

describe('an account that is not linked to a person', () => {
  it('its profile edit updates the account only: nothing is written to the person tables', async () => {
    const cpf = cpfAleatorio();
    const userId = await registrar(cpf);
    // A master record with the same CPF exists, but the typed CPF alone is no link.
    await gestor(request(apiUrl).post('/pessoas')).send({ cpf, nome: 'Maria da Silva', dataNascimento: '1980-05-17' }).expect(201);
    const contar = () => q(`SELECT (SELECT count(*) FROM valor_campo)::int vc, (SELECT count(*) FROM revisao)::int rev,
      (SELECT versao FROM pessoa WHERE cpf = $1) versao, (SELECT count(*) FROM auditoria WHERE acao LIKE 'pessoa.%' AND acao <> 'pessoa.lida')::int aud`, [cpf]);
    const antes = await contar();

    await editarPerfilNoKeycloak(cpf, { email: `novo.${cpf}@exemplo.sp.gov.br`, firstName: 'Mariana' });
    const evento = await eventoDePerfil(userId);
    expect(await contar()).toEqual(antes);
    expect(await q('SELECT 1 FROM valor_campo WHERE chave_fonte = $1', [evento.id])).toEqual([]);
    const [conta] = await q<{ acao: string }>(`SELECT acao FROM auditoria WHERE detalhe->>'eventoId' = $1`, [evento.id]);
    expect(conta).toEqual({ acao: 'conta.perfil-atualizado' });
  }, 60_000);
});
