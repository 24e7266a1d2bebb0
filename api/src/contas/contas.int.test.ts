import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, contagens, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister } from '../../test/helpers/eventos.js';
import { jobIdDaSaida } from '../../test/helpers/saida.js';
import { Conta } from './conta.entity.js';

let t: AppDeTeste;
let gestor: string;

beforeAll(async () => {
  t = await criarAppDeTeste('contas');
  gestor = await t.tokens.gestor('gestor.joao');
});

afterAll(async () => {
  await t?.fechar();
});

/** A registered account (through the real events endpoint) and, optionally, a master record. */
async function cenario(o: { cpfConta?: string; cpfPessoa?: string | null } = {}) {
  const cpfConta = o.cpfConta ?? cpfAleatorio();
  const evento = eventoRegister(cpfConta);
  const corpo = JSON.stringify(evento);
  await request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo).expect(202);
  const cpfPessoa = o.cpfPessoa === undefined ? cpfConta : o.cpfPessoa;
  if (cpfPessoa) {
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf: cpfPessoa, nome: 'Carla Dias', dataNascimento: '1985-03-10' }).expect(201);
  }
  return { contaId: evento.userId, cpfConta, cpfPessoa };
}

const vincular = (contaId: string, corpo: unknown, token = gestor) =>
  request(t.app).post(`/contas/${contaId}/vinculo`).set('Authorization', `Bearer ${token}`).send(corpo as object);

const documento = { tipo: 'RG', numero: '12.345.678-9' };

describe('POST /contas/:id/vinculo', () => {
  it('valid link → level 3, evidence by the steward, audited, an outbox row and its job saida-<id>', async () => {
    const { contaId, cpfConta } = await cenario();
    const res = await vincular(contaId, { cpf: cpfConta, documento, observacao: 'Conferido no Descomplica Sé' }).expect(200);

    expect(res.body).toMatchObject({
      keycloakUserId: contaId,
      pessoaCpf: cpfConta,
      nivelConfianca: 3,
      nivelVersao: 1,
      evidencia: { tipo: 'vinculo-confirmado-gestor', pessoaCpf: cpfConta, registradoPor: 'gestor.joao', detalhe: { documento, observacao: 'Conferido no Descomplica Sé' } },
      sincronizacao: { jobId: await jobIdDaSaida(t.db.dataSource, contaId, 1) },
    });
    const conta = await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: contaId });
    expect(conta).toMatchObject({ nivelConfianca: 3, nivelVersao: 1, pessoaCpf: cpfConta });
    const job = await t.sync.fila.getJob((await jobIdDaSaida(t.db.dataSource, contaId, 1)));
    expect(job?.data).toEqual({ saidaId: expect.any(String), contaId, versao: 1 });
    const auditoria = await t.db.dataSource.query(`SELECT ator, campos FROM auditoria WHERE acao = 'conta.vinculo-confirmado' AND detalhe->>'contaId' = $1`, [contaId]);
    expect(auditoria).toEqual([{ ator: 'gestor.joao', campos: ['pessoa_cpf', 'nivel_confianca'] }]);

    // GET shows the level and the evidence.
    const lida = await request(t.app).get(`/contas/${contaId}`).set('Authorization', `Bearer ${gestor}`).expect(200);
    expect(lida.body).toMatchObject({ nivelConfianca: 3, evidencias: [{ tipo: 'vinculo-confirmado-gestor', registradoPor: 'gestor.joao' }] });
  });

  it('confirming again keeps level 3 and its version; only the evidence summary is sent again (outbox reason `lastro`)', async () => {
    const { contaId, cpfConta } = await cenario();
    await vincular(contaId, { cpf: cpfConta, documento }).expect(200);
    const res = await vincular(contaId, { cpf: cpfConta, documento: { tipo: 'CNH', numero: '01234567890' } }).expect(200);
    const [lastro] = await t.db.dataSource.query<Array<{ id: string }>>(`SELECT id::text AS id FROM sincronizacao_saida WHERE conta_id = $1 AND motivo = 'lastro'`, [contaId]);
    expect(res.body).toMatchObject({ nivelConfianca: 3, nivelVersao: 1, sincronizacao: { jobId: `saida-${lastro.id}` } });
    expect(res.body.evidencias).toHaveLength(2);
  });

  it('CPF different from the one declared on the account → 422, level stays 1, nothing written', async () => {
    const outroCpf = cpfAleatorio();
    const { contaId } = await cenario({ cpfPessoa: outroCpf });
    const antes = await contagens(t.db);
    const res = await vincular(contaId, { cpf: outroCpf, documento }).expect(422);

    expect(res.body).toMatchObject({ error: 'RegraDeNegocioViolada', message: expect.stringContaining('CPF declarado na conta não confere') });
    expect(await contagens(t.db)).toEqual(antes);
    expect(await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: contaId })).toMatchObject({ nivelConfianca: 1, nivelVersao: 0, pessoaCpf: null });
    expect(await t.sync.fila.getJob((await jobIdDaSaida(t.db.dataSource, contaId, 1)))).toBeUndefined();
  });

  it('404 when the person is not in the master data, or the account is unknown', async () => {
    const { contaId, cpfConta } = await cenario({ cpfPessoa: null });
    const semPessoa = await vincular(contaId, { cpf: cpfConta, documento }).expect(404);
    expect(semPessoa.body.message).toBe('Pessoa não encontrada no cadastro base');

    const { cpfPessoa } = await cenario();
    const semConta = await vincular(randomUUID(), { cpf: cpfPessoa, documento }).expect(404);
    expect(semConta.body.message).toBe('Conta não encontrada');
  });

  it('422 for a deceased person (level would not hold)', async () => {
    const { contaId, cpfConta } = await cenario();
    await t.db.dataSource.query(`UPDATE pessoa SET obito = true WHERE cpf = $1`, [cpfConta]);
    const res = await vincular(contaId, { cpf: cpfConta, documento }).expect(422);
    expect(res.body.message).toContain('óbito');
  });

  it('no token → 401, citizen token → 403', async () => {
    const { contaId, cpfConta } = await cenario();
    await request(t.app).post(`/contas/${contaId}/vinculo`).send({ cpf: cpfConta, documento }).expect(401);
    const res = await vincular(contaId, { cpf: cpfConta, documento }, await t.tokens.cidadao(cpfConta)).expect(403);
    expect(res.body.error).toBe('Proibido');
    await request(t.app).get(`/contas/${contaId}`).expect(401);
  });

  it.each<[string, unknown, string[]]>([
    ['unknown top-level field', { cpf: '52998224725', documento, nivel: 5 }, ['nivel']],
    ['unknown nested field', { cpf: '52998224725', documento: { ...documento, orgao: 'SSP' } }, ['documento.orgao']],
    ['invalid CPF', { cpf: '52998224700', documento }, ['cpf']],
    ['document type not accepted', { cpf: '52998224725', documento: { tipo: 'CPF', numero: '1' } }, ['documento.tipo']],
    ['document missing', { cpf: '52998224725' }, ['documento']],
    ['document not an object', { cpf: '52998224725', documento: 'RG 123' }, ['documento']],
  ])('%s → 400 naming %j', async (_caso, corpo, caminhos) => {
    const { contaId } = await cenario({ cpfPessoa: null });
    const res = await vincular(contaId, corpo).expect(400);
    expect(res.body.error).toBe('DadosInvalidos');
    expect([...new Set(res.body.details.map((d: { path: string }) => d.path))]).toEqual(caminhos);
  });

  it('invalid CPF → 400 "CPF inválido"', async () => {
    const { contaId } = await cenario({ cpfPessoa: null });
    const res = await vincular(contaId, { cpf: '111.111.111-11', documento }).expect(400);
    expect(res.body).toMatchObject({ message: 'CPF inválido', details: [{ path: 'cpf', message: 'CPF inválido' }] });
  });

  it('account id that is not a UUID → 400', async () => {
    const res = await vincular('123', { cpf: '52998224725', documento }).expect(400);
    expect(res.body.details).toEqual([{ path: 'keycloakUserId', message: 'keycloakUserId deve ser um UUID' }]);
  });

  it('oversize body → 413', async () => {
    const { contaId, cpfConta } = await cenario();
    const res = await vincular(contaId, { cpf: cpfConta, documento, observacao: 'x'.repeat(150 * 1024) }).expect(413);
    expect(res.body.error).toBe('PayloadGrande');
  });

  it('a later change of the declared CPF drops the level back to 1 (new job)', async () => {
    const { contaId, cpfConta } = await cenario();
    await vincular(contaId, { cpf: cpfConta, documento }).expect(200);
    const outro = cpfAleatorio();
    const evento = { ...eventoRegister(outro), type: 'UPDATE_PROFILE', userId: contaId };
    const corpo = JSON.stringify(evento);
    const res = await request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo).expect(202);
    expect(res.body.sincronizacao).toEqual({ jobId: (await jobIdDaSaida(t.db.dataSource, contaId, 2)) });
    expect(await t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: contaId })).toMatchObject({ nivelConfianca: 1, nivelVersao: 2, cpfDeclarado: outro });
  });
});

describe('GET /contas/:id', () => {
  it('404 for an unknown account', async () => {
    const res = await request(t.app).get(`/contas/${randomUUID()}`).set('Authorization', `Bearer ${gestor}`).expect(404);
    expect(res.body.message).toBe('Conta não encontrada');
  });

  it('is audited', async () => {
    const { contaId } = await cenario({ cpfPessoa: null });
    await request(t.app).get(`/contas/${contaId}`).set('Authorization', `Bearer ${gestor}`).expect(200);
    const linhas = await t.db.dataSource.query(`SELECT ator FROM auditoria WHERE acao = 'conta.lida' AND detalhe->>'contaId' = $1`, [contaId]);
    expect(linhas).toEqual([{ ator: 'gestor.joao' }]);
  });
});
