import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { criarAppDeTeste, contagens, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

let t: AppDeTeste;
let gestor: string;

beforeAll(async () => {
  t = await criarAppDeTeste('pessoas');
  gestor = await t.tokens.gestor('gestora.maria');
});

afterAll(async () => {
  await t?.fechar();
});

const post = (corpo: unknown, token = gestor) => request(t.app).post('/pessoas').set('Authorization', `Bearer ${token}`).send(corpo as object);

describe('POST /pessoas', () => {
  it('creates the record (201) and audits it in the same transaction', async () => {
    const cpf = cpfAleatorio();
    const pontuado = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
    const res = await post({ cpf: pontuado, nome: '  Ana Souza ', dataNascimento: '1980-02-29' }).expect(201);

    expect(res.headers['location']).toBe(`/pessoas/${cpf}`);
    expect(res.body).toMatchObject({ cpf, nome: 'Ana Souza', dataNascimento: '1980-02-29', obito: false, situacao: 'ativa', versao: 1 });
    const auditoria = await t.db.dataSource.query(`SELECT ator, acao, cliente, finalidade, campos FROM auditoria WHERE pessoa_cpf = $1`, [cpf]);
    expect(auditoria).toEqual([{ ator: 'gestora.maria', acao: 'pessoa.criada', cliente: 'portal-cidadao', finalidade: 'gestao-cadastro', campos: ['cpf', 'nome', 'data_nascimento'] }]);
  });

  it('409 when the CPF already exists, with nothing written', async () => {
    const cpf = cpfAleatorio();
    await post({ cpf, nome: 'Primeira', dataNascimento: '1990-01-01' }).expect(201);
    const antes = await contagens(t.db);
    const res = await post({ cpf, nome: 'Segunda', dataNascimento: '1991-01-01' }).expect(409);
    expect(res.body).toMatchObject({ error: 'Conflito', message: 'Já existe pessoa com este CPF no cadastro base' });
    expect(await contagens(t.db)).toEqual(antes);
  });

  it('no token → 401; citizen token → 403; nothing written', async () => {
    const antes = await contagens(t.db);
    const corpo = { cpf: cpfAleatorio(), nome: 'X', dataNascimento: '1990-01-01' };
    const semToken = await request(t.app).post('/pessoas').send(corpo).expect(401);
    expect(semToken.body.error).toBe('NaoAutenticado');
    const cidadao = await post(corpo, await t.tokens.cidadao()).expect(403);
    expect(cidadao.body.error).toBe('Proibido');
    expect(await contagens(t.db)).toEqual(antes);
  });

  it('unknown fields → 400 naming the field', async () => {
    const res = await post({ cpf: cpfAleatorio(), nome: 'Ana', dataNascimento: '1990-01-01', nivelConfianca: 5 }).expect(400);
    expect(res.body.error).toBe('DadosInvalidos');
    expect(res.body.details).toEqual([{ path: 'nivelConfianca', message: 'Campo não permitido: nivelConfianca' }]);
    expect(res.body.message).toContain('nivelConfianca');
  });

  it.each(['11111111111', '52998224724', '123', 52998224725])('invalid CPF %p → 400 "CPF inválido"', async (cpf) => {
    const res = await post({ cpf, nome: 'Ana', dataNascimento: '1990-01-01' }).expect(400);
    expect(res.body.details).toEqual([{ path: 'cpf', message: 'CPF inválido' }]);
    expect(res.body.message).toBe('CPF inválido');
  });

  it.each([
    ['missing fields', {}, ['cpf', 'nome', 'dataNascimento']],
    ['blank name', { cpf: cpfAleatorio(), nome: '   ', dataNascimento: '1990-01-01' }, ['nome']],
    ['future birth date', { cpf: cpfAleatorio(), nome: 'Ana', dataNascimento: '2999-01-01' }, ['dataNascimento']],
    ['impossible date', { cpf: cpfAleatorio(), nome: 'Ana', dataNascimento: '1990-02-30' }, ['dataNascimento']],
    ['name of the wrong type', { cpf: cpfAleatorio(), nome: ['Ana'], dataNascimento: '1990-01-01' }, ['nome']],
  ])('%s → 400 naming the fields', async (_caso, corpo, campos) => {
    const res = await post(corpo).expect(400);
    expect([...new Set(res.body.details.map((d: { path: string }) => d.path))]).toEqual(campos);
  });

  it('malformed JSON → 400; non-object body → 400; oversize body → 413', async () => {
    const malformado = await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).set('content-type', 'application/json').send('{"cpf":').expect(400);
    expect(malformado.body.message).toBe('JSON malformado');
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).set('content-type', 'application/json').send('[1,2]').expect(400);
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).set('content-type', 'text/plain').send('cpf=1').expect(400);
    const grande = await post({ cpf: cpfAleatorio(), nome: 'x'.repeat(200 * 1024), dataNascimento: '1990-01-01' }).expect(413);
    expect(grande.body.error).toBe('PayloadGrande');
  });
});

/** The 26 fields of the person JSON, sorted, typed out by hand. */
const TODOS_OS_CAMPOS = [
  'atualizadoEm', 'biometria', 'certificadoIcp', 'cpf', 'cpfMae', 'cpfPai', 'criadoEm', 'dataNascimento', 'emails', 'enderecos', 'estadoCivil',
  'genero', 'localNascimento', 'nome', 'nomeMae', 'nomePai', 'nomeSocial', 'obito', 'obitoRegistro', 'relacoesFamiliares', 'rg', 'situacao',
  'telefones', 'tituloEleitor', 'versao', 'vinculoGovbr',
];

describe('GET /pessoas/:cpf', () => {
  it('returns the record and audits the read', async () => {
    const cpf = cpfAleatorio();
    await post({ cpf, nome: 'Bruno Lima', dataNascimento: '1975-06-15' }).expect(201);
    const res = await request(t.app).get(`/pessoas/${cpf}`).set('Authorization', `Bearer ${gestor}`).expect(200);
    expect(res.body).toMatchObject({ cpf, nome: 'Bruno Lima', dataNascimento: '1975-06-15' });
    const [linha] = await t.db.dataSource.query(`SELECT acao, detalhe FROM auditoria WHERE pessoa_cpf = $1 AND acao = 'pessoa.lida'`, [cpf]);
    // A central steward (gestor-cadastro) through portal-cidadao: every field of the person JSON left, and is recorded.
    expect(linha).toEqual({ acao: 'pessoa.lida', detalhe: { encontrada: true, compartilhamento: { versao: '2026-12-05.1', camposVisiveis: TODOS_OS_CAMPOS }, leitor: { orgaos: ['cadastro'], papeis: ['gestor-cadastro'] } } });
  });

  it('404 for an unknown CPF (the lookup is audited too); 400 for an invalid one', async () => {
    const cpf = cpfAleatorio();
    const res = await request(t.app).get(`/pessoas/${cpf}`).set('Authorization', `Bearer ${gestor}`).expect(404);
    expect(res.body.message).toBe('Pessoa não encontrada no cadastro base');
    // The audit row records the steward's view (what the lookup could have returned), found or not.
    expect(await t.db.dataSource.query(`SELECT detalhe FROM auditoria WHERE pessoa_cpf = $1`, [cpf])).toEqual([{ detalhe: { encontrada: false, compartilhamento: { versao: '2026-12-05.1', camposVisiveis: TODOS_OS_CAMPOS }, leitor: { orgaos: ['cadastro'], papeis: ['gestor-cadastro'] } } }]);
    const invalido = await request(t.app).get('/pessoas/12345678900').set('Authorization', `Bearer ${gestor}`).expect(400);
    expect(invalido.body.message).toBe('CPF inválido');
  });

  it('the audit trail refuses UPDATE and DELETE', async () => {
    await expect(t.db.dataSource.query(`UPDATE auditoria SET ator = 'x'`)).rejects.toThrow(/somente inserção/);
    await expect(t.db.dataSource.query(`DELETE FROM auditoria`)).rejects.toThrow(/somente inserção/);
  });
});
