/**
 * CMBD against the real PostgreSQL (cloned template DB), driving the in-process app with local tokens:
 * validation over HTTP changes nothing, a delete is refused and nothing is lost, every change is versioned,
 * inactivation, transfer, a full semiannual campaign with its publication (CSV + JSON-LD), the CSV round trip
 * into an empty catalogue, reminders, the personal-data report, and organ-scoped authorization.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Express } from 'express';
import type { TestDatabase } from '../../../test/support/db.js';
import { criarEmissorTeste, type EmissorTeste } from '../../test/helpers/tokens.js';
import { criarAppCmbdDeTeste } from '../../test/helpers/cmbd.js';
import { baseValida, mapaValido } from './cmbd.fixtures.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

let t: { app: Express; db: TestDatabase; tokens: EmissorTeste };
let cgm: string;
let focalSmads: string;
let focalSf: string;

const ORGAOS = { SMADS: 'Secretaria Municipal de Assistência e Desenvolvimento Social', SF: 'Secretaria Municipal da Fazenda', SME: 'Secretaria Municipal de Educação' };

beforeAll(async () => {
  const tokens = await criarEmissorTeste();
  t = { ...(await criarAppCmbdDeTeste(tokens.verificador)), tokens };
  cgm = await t.tokens.emitir({ username: 'cgm.dta', roles: ['cmbd-cgm', 'servidor'] });
  focalSmads = await t.tokens.emitir({ username: 'focal.smads', roles: ['cmbd-ponto-focal', 'cmbd-orgao-smads', 'servidor'] });
  focalSf = await t.tokens.emitir({ username: 'focal.sf', roles: ['cmbd-ponto-focal', 'cmbd-orgao-sf', 'servidor'] });
  for (const [sigla, nome] of Object.entries(ORGAOS)) {
    await request(t.app).put(`/cmbd/orgaos/${sigla}`).set('Authorization', `Bearer ${cgm}`).send({ nome }).expect(201);
  }
});

afterAll(async () => {
  await t?.db.drop();
});

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const criar = (corpo: unknown, token = focalSmads) => request(t.app).post('/cmbd/bases').set(auth(token)).send(corpo as object);

async function contagensCmbd(): Promise<Record<string, number>> {
  const [l] = await t.db.dataSource.query(`
    SELECT (SELECT count(*) FROM cmbd_base)::int AS bases, (SELECT count(*) FROM cmbd_base_versao)::int AS versoes,
           (SELECT count(*) FROM cmbd_orgao)::int AS orgaos, (SELECT count(*) FROM cmbd_campanha)::int AS campanhas,
           (SELECT coalesce(sum(versao), 0) FROM cmbd_base)::int AS soma_versoes`);
  return l as Record<string, number>;
}

describe('entries over HTTP', () => {
  it('a focal point creates an entry of their organ (201); version 1 records who and every field', async () => {
    const res = await criar(baseValida({ titulo: 'Entrada de teste 1' })).expect(201);
    expect(res.body).toMatchObject({ sigla: 'SMADS', orgao: ORGAOS.SMADS, versao: 1, situacao: 'ATIVA', codigoProdam: 'Não se aplica' });
    expect(res.headers['location']).toBe(`/cmbd/bases/${res.body.id}`);
    const versoes = await request(t.app).get(`/cmbd/bases/${res.body.id}/versoes`).set(auth(cgm)).expect(200);
    expect(versoes.body).toEqual([expect.objectContaining({ versao: 1, acao: 'criada', ator: 'focal.smads', campanha: null })]);
    expect(versoes.body[0].dados).toMatchObject({ titulo: 'Entrada de teste 1', sigla: 'SMADS' });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['two keywords', { palavrasChave: ['a', 'b'] }, 'palavrasChave', 'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base'],
    ['scale on a table', { escala: '1:1000' }, 'escala', 'Escala só se preenche quando a base é um mapa digital ou arquivo cartográfico; para as demais use “NÃO SE APLICA”'],
    ['INATIVA without date', { situacao: 'INATIVA' }, 'inativaDesde', 'Base INATIVA: informe desde quando deixou de ser utilizada (inativaDesde, AAAA-MM-DD)'],
    ['sigilo without law', { sigilo: true }, 'sigiloBaseLegal', 'Base com informação sigilosa: indique a legislação que determina a classificação (sigiloBaseLegal)'],
    ['N/A as PRODAM code', { codigoProdam: 'N/A' }, 'codigoProdam', 'Código / Nome PRODAM: quando a base não tem registro na PRODAM, preencha com a expressão “Não se aplica”'],
    ['organ name not matching the sigla', { orgao: 'Secretaria Errada' }, 'orgao', `Órgão ou entidade não confere com a sigla: a sigla corresponde a “${ORGAOS.SMADS}”`],
  ])('%s → 400 with the pt-BR message, nothing written', async (_c, mud, path, message) => {
    const antes = await contagensCmbd();
    const res = await criar(baseValida(mud)).expect(400);
    expect(res.body).toMatchObject({ error: 'DadosInvalidos', message, details: [{ path, message }] });
    expect(await contagensCmbd()).toEqual(antes);
  });

  it('one title per organ: a second entry with the same title (any case) → 409, nothing written; another organ may use it', async () => {
    await criar(baseValida({ titulo: 'Título repetido' })).expect(201);
    const antes = await contagensCmbd();
    const res = await criar(baseValida({ titulo: 'TÍTULO REPETIDO' })).expect(409);
    expect(res.body.message).toBe('Já existe no catálogo a base “TÍTULO REPETIDO” do órgão SMADS: cada base do órgão tem um título próprio');
    expect(await contagensCmbd()).toEqual(antes);
    await criar(baseValida({ sigla: 'SF', titulo: 'Título repetido' }), focalSf).expect(201);
  });

  it('a map with its cartographic fields is accepted; without them → 400', async () => {
    await criar(mapaValido({ titulo: 'Mapa de teste' })).expect(201);
    const res = await criar(mapaValido({ titulo: 'Mapa sem escala', escala: 'NÃO SE APLICA' })).expect(400);
    expect(res.body.details[0]).toEqual({ path: 'escala', message: 'Escala é obrigatório para mapas digitais e arquivos cartográficos (“NÃO SE APLICA” só vale para bases que não são mapas)' });
  });

  it('an unregistered organ → 422; malformed JSON → 400; no token → 401', async () => {
    const cgmRes = await criar(baseValida({ sigla: 'XYZ' }), cgm).expect(422);
    expect(cgmRes.body.message).toBe('O órgão XYZ não está cadastrado no CMBD (a CGM cadastra os órgãos)');
    await request(t.app).post('/cmbd/bases').set(auth(focalSmads)).set('content-type', 'application/json').send('{"sigla":').expect(400);
    await request(t.app).post('/cmbd/bases').send(baseValida()).expect(401);
  });

  it('DELETE is refused with the manual\'s reason and nothing is lost (the database refuses it too)', async () => {
    const { body: b } = await criar(baseValida({ titulo: 'Base que não se apaga' })).expect(201);
    const antes = await contagensCmbd();
    const res = await request(t.app).delete(`/cmbd/bases/${b.id}`).set(auth(focalSmads)).expect(422);
    expect(res.body.error).toBe('RegraDeNegocioViolada');
    expect(res.body.message).toContain('“É importante que nenhuma base previamente informada no CMBD seja excluída, sendo cabível apenas a alteração do seu status no campo designado para isso.”');
    await request(t.app).delete(`/cmbd/bases/${b.id}`).set(auth(cgm)).expect(422);
    expect(await contagensCmbd()).toEqual(antes);
    const lida = await request(t.app).get(`/cmbd/bases/${b.id}`).set(auth(cgm)).expect(200);
    expect(lida.body).toEqual(b);
    await expect(t.db.dataSource.query(`DELETE FROM cmbd_base WHERE id = $1`, [b.id])).rejects.toThrow(/nunca são excluídas/);
    await expect(t.db.dataSource.query(`UPDATE cmbd_base_versao SET ator = 'x' WHERE base_id = $1`, [b.id])).rejects.toThrow(/nunca são excluídas/);
    expect(await contagensCmbd()).toEqual(antes);
  });

  it('PATCH changes are versioned with the changed fields; inactivation keeps the entry with its date', async () => {
    const { body: b } = await criar(baseValida({ titulo: 'Base versionada' })).expect(201);
    const r1 = await request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(focalSmads)).send({ periodicidade: 'Anual', palavrasChave: ['um', 'dois', 'três', 'quatro'] }).expect(200);
    expect(r1.body).toMatchObject({ periodicidade: 'Anual', versao: 2 });
    const r2 = await request(t.app).post(`/cmbd/bases/${b.id}/inativacao`).set(auth(focalSmads)).send({ desde: '2025-12-31' }).expect(200);
    expect(r2.body).toMatchObject({ situacao: 'INATIVA', inativaDesde: '2025-12-31', versao: 3 });
    const v = await request(t.app).get(`/cmbd/bases/${b.id}/versoes`).set(auth(focalSmads)).expect(200);
    expect(v.body.map((x: { acao: string; campos: string[] }) => [x.acao, x.campos])).toEqual([
      ['criada', expect.any(Array)],
      ['atualizada', ['palavrasChave', 'periodicidade']],
      ['inativada', ['situacao', 'inativaDesde']],
    ]);
    expect(v.body[1].dados.periodicidade).toBe('Anual');
    expect(v.body[0].dados.periodicidade).toBe('Mensal');
    // Back to ATIVA drops the date; sigla cannot change by PATCH.
    const r3 = await request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(focalSmads)).send({ situacao: 'ATIVA' }).expect(200);
    expect(r3.body).toMatchObject({ situacao: 'ATIVA', inativaDesde: null });
    const r4 = await request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(focalSmads)).send({ sigla: 'SF' }).expect(400);
    expect(r4.body.details[0].message).toContain('use a transferência');
  });

  it('transfer: the origin stays INATIVA and marked; the destination gets an ATIVA copy linked to it', async () => {
    const { body: b } = await criar(baseValida({ titulo: 'Base transferida' })).expect(201);
    const res = await request(t.app).post(`/cmbd/bases/${b.id}/transferencia`).set(auth(focalSmads)).send({ siglaDestino: 'SF', data: '2026-01-15', secaoResponsavel: 'Divisão de Cadastros' }).expect(200);
    expect(res.body.origem).toMatchObject({ id: b.id, sigla: 'SMADS', situacao: 'INATIVA', inativaDesde: '2026-01-15', transferidaPara: 'SF' });
    expect(res.body.destino).toMatchObject({ sigla: 'SF', orgao: ORGAOS.SF, situacao: 'ATIVA', transferidaDe: b.id, titulo: 'Base transferida', secaoResponsavel: 'Divisão de Cadastros' });
    await request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(focalSmads)).send({ resumo: 'x' }).expect(422);
    // SMADS cannot edit the copy that now belongs to SF.
    await request(t.app).patch(`/cmbd/bases/${res.body.destino.id}`).set(auth(focalSmads)).send({ resumo: 'x' }).expect(403);
  });
});

describe('authorization: a focal point edits only their organ\'s entries', () => {
  it('SF cannot create, change, inactivate, transfer or confirm a SMADS entry; nothing changes', async () => {
    const { body: b } = await criar(baseValida({ titulo: 'Base protegida' })).expect(201);
    const antes = await contagensCmbd();
    for (const req of [
      request(t.app).post('/cmbd/bases').set(auth(focalSf)).send(baseValida({ titulo: 'Intrusa' })),
      request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(focalSf)).send({ resumo: 'alterado por outro órgão' }),
      request(t.app).post(`/cmbd/bases/${b.id}/inativacao`).set(auth(focalSf)).send({ desde: '2025-01-01' }),
      request(t.app).post(`/cmbd/bases/${b.id}/transferencia`).set(auth(focalSf)).send({ siglaDestino: 'SF', data: '2025-01-01' }),
    ]) {
      const res = await req.expect(403);
      expect(res.body).toMatchObject({ error: 'Proibido', message: 'Acesso restrito ao ponto focal do órgão SMADS (papéis cmbd-ponto-focal e cmbd-orgao-smads) ou à CGM (cmbd-cgm)' });
    }
    expect(await contagensCmbd()).toEqual(antes);
    // The organ role alone is not enough; a citizen gets nothing; the CGM may correct.
    const soOrgao = await t.tokens.emitir({ username: 'x', roles: ['cmbd-orgao-smads'] });
    await request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(soOrgao)).send({ resumo: 'x' }).expect(403);
    await request(t.app).get('/cmbd/bases').set(auth(await t.tokens.cidadao())).expect(403);
    await request(t.app).patch(`/cmbd/bases/${b.id}`).set(auth(cgm)).send({ resumo: 'Corrigido pela CGM.' }).expect(200);
  });

  it('only the CGM opens campaigns and registers organs', async () => {
    const res = await request(t.app).post('/cmbd/campanhas').set(auth(focalSmads)).send({ codigo: '2026-1', prazo: '2026-05-31' }).expect(403);
    expect(res.body.message).toBe('Acesso restrito à Divisão de Transparência Ativa da CGM (papel cmbd-cgm)');
    await request(t.app).put('/cmbd/orgaos/SMIT').set(auth(focalSmads)).send({ nome: 'x' }).expect(403);
  });
});
