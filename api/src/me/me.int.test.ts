/**
 * Citizen self-service under /me (local tokens; real PostgreSQL): own record only, found from the token's sub
 * and the account's evidence-backed link — never from a CPF in the request — filtered to the citizen's view;
 * writes through Entrada Única as actor `cidadao` (PMCC decides), each read and write audited.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { contagens, criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { verificarCadeia } from '../auditoria/cadeia.js';

let t: AppDeTeste;
let gestor: string;

interface Cidadao { sub: string; cpf: string; token: string }

async function cidadao(opcoes: { vinculada: boolean; comPessoa?: boolean }): Promise<Cidadao> {
  const cpf = cpfAleatorio();
  const sub = randomUUID();
  if (opcoes.comPessoa !== false) {
    await request(t.app).post('/pessoas').set('authorization', `Bearer ${gestor}`)
      .send({ cpf, nome: 'Ana Lima', dataNascimento: '1990-04-01', tituloEleitor: undefined }).expect(201);
  }
  await t.db.dataSource.query(
    `INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) VALUES ($1, $2, $3, $4, $5)`,
    [sub, cpf, cpf, opcoes.vinculada ? cpf : null, opcoes.vinculada ? 3 : 1],
  );
  if (opcoes.vinculada) {
    await t.db.dataSource.query(`INSERT INTO evidencia (conta_id, tipo, pessoa_cpf, detalhe, registrado_por) VALUES ($1, 'vinculo-confirmado-gestor', $2, '{}', 'gestor.x')`, [sub, cpf]);
  }
  const token = await t.tokens.emitir({ sub, username: cpf, roles: ['cidadao'], azp: 'portal-cidadao', extra: { cpf } });
  return { sub, cpf, token };
}

beforeAll(async () => {
  t = await criarAppDeTeste('me');
  gestor = await t.tokens.gestor();
});
afterAll(async () => {
  await t?.fechar();
});

describe('GET /me', () => {
  it('returns the citizen\'s own record (citizen view), level and evidence; the read is audited with the fields returned', async () => {
    const a = await cidadao({ vinculada: true });
    const res = await request(t.app).get('/me').set('authorization', `Bearer ${a.token}`).expect(200);
    expect(res.body.conta).toEqual({ nivelConfianca: 3, vinculada: true, evidencias: [{ tipo: 'vinculo-confirmado-gestor', registradoEm: expect.any(String) }] });
    expect(res.body.pessoa).toMatchObject({ cpf: a.cpf, nome: 'Ana Lima', dataNascimento: '1990-04-01' });
    expect(res.body.pessoa).not.toHaveProperty('biometria');
    expect(res.body.pessoa).not.toHaveProperty('certificadoIcp');
    const [linha] = await t.db.dataSource.query(
      `SELECT ator, acao, cliente, finalidade, campos, detalhe FROM auditoria WHERE pessoa_cpf = $1 AND finalidade = 'autoatendimento-cidadao'`, [a.cpf]);
    expect(linha).toMatchObject({ ator: a.cpf, acao: 'pessoa.lida', cliente: 'portal-cidadao' });
    expect(linha.campos).toEqual(expect.arrayContaining(['conta.nivel_confianca', 'cpf', 'nome']));
    expect(linha.detalhe.compartilhamento.camposVisiveis).toEqual(Object.keys(res.body.pessoa).sort());
  });

  it('a typed CPF alone (account not tied by evidence) never reveals the master record with that CPF', async () => {
    const b = await cidadao({ vinculada: false });
    const res = await request(t.app).get('/me').set('authorization', `Bearer ${b.token}`).expect(200);
    expect(res.body).toEqual({ conta: { nivelConfianca: 1, vinculada: false, evidencias: [] }, pessoa: null });
  });

  it('A and B each see only their own record; /me takes no CPF from the request', async () => {
    const a = await cidadao({ vinculada: true });
    const b = await cidadao({ vinculada: true });
    const ra = await request(t.app).get(`/me?cpf=${b.cpf}`).set('authorization', `Bearer ${a.token}`).expect(200);
    expect(ra.body.pessoa.cpf).toBe(a.cpf);
    await request(t.app).get(`/me/${b.cpf}`).set('authorization', `Bearer ${a.token}`).expect(403);
    await request(t.app).get(`/pessoas/${b.cpf}`).set('authorization', `Bearer ${a.token}`).expect(403);
  });

  it('401 without a token; 404 (pt-BR) for a token whose account the API does not know', async () => {
    await request(t.app).get('/me').expect(401);
    const desconhecido = await t.tokens.cidadao();
    const res = await request(t.app).get('/me').set('authorization', `Bearer ${desconhecido}`).expect(404);
    expect(res.body.message).toContain('Sua conta');
  });

  it('403 for a token without the cidadao role (e.g. a service account)', async () => {
    const tok = await t.tokens.emitir({ roles: ['gestor-saude'] });
    await request(t.app).get('/me').set('authorization', `Bearer ${tok}`).expect(403);
  });
});

describe('PATCH /me/pessoa (Entrada Única, actor cidadao)', () => {
  it('nome social and contacts: accepted and applied', async () => {
    const a = await cidadao({ vinculada: true });
    const res = await request(t.app).patch('/me/pessoa').set('authorization', `Bearer ${a.token}`)
      .send({ nomeSocial: 'Ana Social', emails: [{ endereco: 'ana@exemplo.com', verificado: false }] });
    expect(res.status).toBe(200);
    expect(res.body.pessoa).toMatchObject({ cpf: a.cpf, nomeSocial: 'Ana Social' });
    expect(res.headers.etag).toBe(`"v${res.body.versao}"`);
    const me = await request(t.app).get('/me').set('authorization', `Bearer ${a.token}`).expect(200);
    expect(me.body.pessoa.nomeSocial).toBe('Ana Social');
  });

  it('nome civil: only a request — value kept aside, a review opened, the record unchanged', async () => {
    const a = await cidadao({ vinculada: true });
    const res = await request(t.app).patch('/me/pessoa').set('authorization', `Bearer ${a.token}`).send({ nome: 'Ana Lima Souza' });
    expect(res.status).toBe(200);
    expect(res.body.revisoesAbertas).toHaveLength(1);
    expect(res.body.mudancas).toEqual([expect.objectContaining({ campo: 'nome', decisao: expect.objectContaining({ resultado: expect.stringMatching(/revis/) }) })]);
    const me = await request(t.app).get('/me').set('authorization', `Bearer ${a.token}`).expect(200);
    expect(me.body.pessoa.nome).toBe('Ana Lima');
  });

  it('the CPF cannot be changed, and a stale If-Match is 409; nothing written', async () => {
    const a = await cidadao({ vinculada: true });
    const antes = await contagens(t.db);
    const r1 = await request(t.app).patch('/me/pessoa').set('authorization', `Bearer ${a.token}`).send({ cpf: cpfAleatorio() });
    // PMCC: the CPF is never modified, by anyone (422, the rule named).
    expect(r1.status).toBe(422);
    expect(r1.body).toMatchObject({
      error: 'RegraDeNegocioViolada',
      recusas: [{ campo: 'cpf', codigo: 'CAMPO_IMUTAVEL', operacao: 'modificacao', regra: 'cpf.modificacao.cidadao=nunca', mensagem: 'O campo cpf não pode ser alterado por ninguém (PMCC)' }],
    });
    const r2 = await request(t.app).patch('/me/pessoa').set('authorization', `Bearer ${a.token}`).set('if-match', '"v99"').send({ nomeSocial: 'X' });
    expect(r2.status).toBe(409);
    const depois = await contagens(t.db);
    expect({ ...depois, auditoria: 0 }).toEqual({ ...antes, auditoria: 0 });
  });

  it('dryRun returns the decision without writing', async () => {
    const a = await cidadao({ vinculada: true });
    const res = await request(t.app).patch('/me/pessoa?dryRun=true').set('authorization', `Bearer ${a.token}`).send({ nomeSocial: 'Simulado' });
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    const me = await request(t.app).get('/me').set('authorization', `Bearer ${a.token}`).expect(200);
    expect(me.body.pessoa).toHaveProperty('nomeSocial', null);
  });

  it('an account not tied to a record cannot write (404 pt-BR)', async () => {
    const b = await cidadao({ vinculada: false });
    const res = await request(t.app).patch('/me/pessoa').set('authorization', `Bearer ${b.token}`).send({ nomeSocial: 'X' }).expect(404);
    expect(res.body.message).toContain('vinculada');
  });

  it('after all of the above, the audit chain is intact', async () => {
    expect(await verificarCadeia(t.db.dataSource)).toMatchObject({ ok: true, quebra: null });
  });
});
