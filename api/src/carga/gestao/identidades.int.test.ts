/**
 * Stewards' linkage decisions (real PostgreSQL): reading a golden id with the evidence of each row, merging two,
 * splitting rows out, resolving grey-band review items — their effects on `identidade` and `linha_carga`, the
 * decisions kept in `decisao_gestor_vinculo`, the refusals (409 when both have a CPF…), and the audit.
 *
 * The golden ids and rows are written here by hand in SQL (what the load phases would have produced), so the expected
 * state after each decision is written by hand too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../../test/helpers/app.js';
import { cpfAleatorio } from '../../../test/helpers/cpfs.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { TRAVA_CARGA } from '../fases.js';

usarRelogioDosTestes();

let t: AppDeTeste;
let gestor: { Authorization: string };
let cargaId: string;
const JUSTIFICATIVA = 'Certidões de nascimento conferidas no atendimento.';

const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => t.db.dataSource.query<T[]>(sql, p);

async function identidade(cpf: string | null, situacao: 'ativa' | 'pendente' = cpf ? 'ativa' : 'pendente'): Promise<string> {
  const [{ id }] = await q<{ id: string }>(`INSERT INTO identidade (cpf, situacao, carga_id) VALUES ($1, $2, $3) RETURNING id::text AS id`, [cpf, situacao, cargaId]);
  return id;
}

interface Linha {
  fonte: string;
  chave: string;
  identidade: string | null;
  cpf?: string | null;
  triagem?: 'base-unica' | 'sem-cpf' | 'cpf-invalido';
  nome: string;
  nascimento: string;
  mae?: string;
  vinculo: string;
  pontuacao?: number;
  comparacoes?: unknown;
  cpfDeOutraPessoa?: boolean;
  problemas?: unknown;
}
async function linha(l: Linha): Promise<void> {
  await q(
    `INSERT INTO linha_carga (fonte, carga_id, chave_fonte, linha, hash, triagem, cpf, nome, nome_mae, data_nascimento, identidade_id, vinculo, pontuacao, comparacoes,
       cpf_de_outra_pessoa, problemas)
     VALUES ($1, $2, $3, 1, md5($3), $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14::jsonb)`,
    [l.fonte, cargaId, l.chave, l.triagem ?? (l.cpf ? 'base-unica' : 'sem-cpf'), l.cpf ?? null, l.nome, l.mae ?? null, l.nascimento, l.identidade, l.vinculo,
      l.pontuacao ?? null, l.comparacoes === undefined ? null : JSON.stringify(l.comparacoes), l.cpfDeOutraPessoa ?? false,
      l.problemas === undefined ? null : JSON.stringify(l.problemas)],
  );
}
async function revisao(fonte: string, chave: string, candidata: string, pontuacao: number, comparacoes: unknown): Promise<string> {
  const [{ id }] = await q<{ id: string }>(
    `INSERT INTO revisao_vinculo (fonte, chave_fonte, carga_id, identidade_candidata, pontuacao, comparacoes) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id::text AS id`,
    [fonte, chave, cargaId, candidata, pontuacao, JSON.stringify(comparacoes)]);
  return id;
}
const onde = async (fonte: string, chave: string) =>
  (await q<{ identidade_id: string | null; vinculo: string; cpf_de_outra_pessoa: boolean }>(
    `SELECT identidade_id::text AS identidade_id, vinculo, cpf_de_outra_pessoa FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [fonte, chave]))[0];
const situacao = async (id: string) => (await q<{ situacao: string; fundida_em: string | null }>(`SELECT situacao, fundida_em::text AS fundida_em FROM identidade WHERE id = $1`, [id]))[0];
const decisoes = () => q(`SELECT tipo, identidade_a::text AS a, identidade_b::text AS b, linhas, gestor, justificativa FROM decisao_gestor_vinculo ORDER BY id`);
const contagens = async () => (await q(`SELECT (SELECT count(*) FROM identidade)::int AS identidades, (SELECT count(*) FROM decisao_gestor_vinculo)::int AS decisoes,
  (SELECT count(*) FROM linha_carga WHERE vinculo = 'gestor')::int AS fixadas, (SELECT count(*) FROM revisao_vinculo WHERE situacao = 'resolvida')::int AS resolvidas`))[0];

const COMPARACOES = { nome: { nivel: 'jaro-winkler>0.92', peso: 6.1 }, dataNascimento: { nivel: 'exata', peso: 7.3 }, nomeMae: { nivel: 'ausente', peso: 0 } };

beforeAll(async () => {
  t = await criarAppDeTeste('identidades');
  gestor = { Authorization: `Bearer ${await t.tokens.gestor()}` };
  [{ id: cargaId }] = await q<{ id: string }>(
    `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por, situacao, fase, concluida_em)
     VALUES ('bdc', 'smads-bdc', 'SMADS', 'smads-bdc', 'bdc.csv', repeat('a', 64), 100, now(), 'teste', 'concluida', 'concluida', now()) RETURNING id::text AS id`);
});
afterAll(async () => {
  await t?.fechar();
});

describe('GET /identidades/:id: the golden id, its rows and why each is there', () => {
  it('rows with source, key, vinculo, score and comparisons; audited with the CPF', async () => {
    const cpf = cpfAleatorio();
    const a = await identidade(cpf);
    await linha({ fonte: 'fazenda', chave: 'F1', identidade: a, cpf, nome: 'MARIA DA SILVA', nascimento: '1985-03-04', vinculo: 'cpf' });
    await linha({ fonte: 'bdc', chave: 'B1', identidade: a, nome: 'MARIA SILVA', nascimento: '1985-03-04', vinculo: 'probabilistico', pontuacao: 13.4, comparacoes: COMPARACOES });
    const r = await request(t.app).get(`/identidades/${a}`).set(gestor).expect(200);
    expect(r.body).toMatchObject({ id: a, cpf, situacao: 'ativa', fundidaEm: null, fundidas: [], cargaId, totalLinhas: 2, decisoes: [] });
    expect(r.body.linhas.map((l: Record<string, unknown>) => [l['fonte'], l['chave'], l['vinculo'], l['pontuacao'], l['dataNascimento']])).toEqual([
      ['bdc', 'B1', 'probabilistico', 13.4, '1985-03-04'], ['fazenda', 'F1', 'cpf', null, '1985-03-04'],
    ]);
    expect(r.body.linhas[0].comparacoes).toEqual(COMPARACOES);
    expect(r.body.linhas.map((l: Record<string, unknown>) => l['problemas'])).toEqual([[], []]);
    const [auditoria] = await q(`SELECT ator, pessoa_cpf, campos, detalhe FROM auditoria WHERE acao = 'identidade.lida' ORDER BY id DESC LIMIT 1`);
    expect(auditoria).toMatchObject({ ator: 'gestora.maria', pessoa_cpf: cpf, detalhe: { identidade: a, linhas: 2 } });
    expect(auditoria?.['campos']).toContain('problemas');
  });

  it('each row says what the load noted about it: a CPF handed back to its owner, a value it could not use', async () => {
    // A child's row that carried the mother's CPF: the load kept it in the child's golden id, now without a CPF.
    const a = await identidade(null);
    const cpfDaMae = cpfAleatorio();
    await linha({
      fonte: 'siga', chave: 'S-CRIANCA', identidade: a, cpf: cpfDaMae, nome: 'PEDRO HENRIQUE CAMPOS', nascimento: '2015-06-01', mae: 'RENATA DUARTE CAMPOS',
      vinculo: 'cpf', cpfDeOutraPessoa: true, problemas: [{ campo: 'cpf', codigo: 'cpf-do-responsavel', valor: 'carga 77' }],
    });
    await linha({
      fonte: 'eol', chave: 'E-CRIANCA', identidade: a, nome: 'PEDRO HENRIQUE CAMPOS', nascimento: '2015-06-01', vinculo: 'probabilistico', pontuacao: 21.5,
      problemas: [{ campo: 'dataObito', codigo: 'data-invalida', valor: '31/02/2019' }, { campo: 'sexo', codigo: 'valor-desconhecido', valor: 'X' }],
    });
    const r = await request(t.app).get(`/identidades/${a}`).set(gestor).expect(200);
    expect(r.body.linhas.map((l: Record<string, unknown>) => [l['chave'], l['cpf'], l['cpfDeOutraPessoa'], l['problemas']])).toEqual([
      ['E-CRIANCA', null, false, [{ campo: 'dataObito', codigo: 'data-invalida', valor: '31/02/2019' }, { campo: 'sexo', codigo: 'valor-desconhecido', valor: 'X' }]],
      ['S-CRIANCA', cpfDaMae, true, [{ campo: 'cpf', codigo: 'cpf-do-responsavel', valor: 'carga 77' }]],
    ]);
  });

  it('400 for a non-numeric id, 404 for an unknown one', async () => {
    expect((await request(t.app).get('/identidades/abc').set(gestor).expect(400)).body.message).toBe('id da identidade deve ser um número inteiro positivo');
    expect((await request(t.app).get('/identidades/999999999').set(gestor).expect(404)).body.message).toBe('Identidade 999999999 não encontrada');
  });
});

describe('POST /identidades/:id/fundir', () => {
  let a: string;
  let b: string;
  let cpfA: string;
  beforeEach(async () => {
    cpfA = cpfAleatorio();
    a = await identidade(cpfA);
    b = await identidade(null);
    await linha({ fonte: 'fazenda', chave: `FA-${a}`, identidade: a, cpf: cpfA, nome: 'JOSE PEREIRA', nascimento: '1970-11-12', vinculo: 'cpf' });
    await linha({ fonte: 'siga', chave: `SB-${b}`, identidade: b, nome: 'JOSE PEREIRA', nascimento: '1970-11-12', mae: 'ANA PEREIRA', vinculo: 'novo', pontuacao: 2.1, comparacoes: COMPARACOES });
  });

  it('the other identity becomes fundida into this one; its rows move with vinculo gestor; the decision is kept; audited', async () => {
    const c = await identidade(null);
    await linha({ fonte: 'eol', chave: `EC-${c}`, identidade: c, nome: 'JOSE PEREIRA', nascimento: '1970-11-12', vinculo: 'revisao' });
    const item = await revisao('eol', `EC-${c}`, b, 4.2, COMPARACOES);
    const r = await request(t.app).post(`/identidades/${a}/fundir`).set(gestor).send({ com: b, justificativa: JUSTIFICATIVA }).expect(200);
    expect(r.body).toMatchObject({ id: a, cpf: cpfA, situacao: 'ativa', fundidas: [b], totalLinhas: 2 });
    expect(r.body.linhas.map((l: { fonte: string; vinculo: string }) => `${l.fonte}:${l.vinculo}`)).toEqual(['fazenda:cpf', 'siga:gestor']);
    expect(r.body.decisoes).toEqual([expect.objectContaining({ tipo: 'mesma-pessoa', identidadeA: a, identidadeB: b, linhas: [{ fonte: 'siga', chave: `SB-${b}` }], gestor: 'gestora.maria', justificativa: JUSTIFICATIVA })]);
    expect(await situacao(b)).toEqual({ situacao: 'fundida', fundida_em: a });
    expect(await onde('siga', `SB-${b}`)).toEqual({ identidade_id: a, vinculo: 'gestor', cpf_de_outra_pessoa: false });
    // The open review item that named the merged identity now names the survivor.
    const [{ identidade_candidata }] = await q(`SELECT identidade_candidata::text AS identidade_candidata FROM revisao_vinculo WHERE id = $1`, [item]);
    expect(identidade_candidata).toBe(a);
    const lida = await request(t.app).get(`/identidades/${b}`).set(gestor).expect(200);
    expect(lida.body).toMatchObject({ situacao: 'fundida', fundidaEm: a, totalLinhas: 0, linhas: [] });
    const [aud] = await q(`SELECT pessoa_cpf, detalhe FROM auditoria WHERE acao = 'identidade.fundida' ORDER BY id DESC LIMIT 1`);
    expect(aud).toMatchObject({ pessoa_cpf: cpfA, detalhe: { identidade: a, fundida: b, linhasMovidas: 1 } });
  });

  it('identities already merged into the absorbed one now point at the survivor', async () => {
    const c = await identidade(null);
    await request(t.app).post(`/identidades/${b}/fundir`).set(gestor).send({ com: c, justificativa: JUSTIFICATIVA }).expect(200);
    await request(t.app).post(`/identidades/${a}/fundir`).set(gestor).send({ com: b, justificativa: JUSTIFICATIVA }).expect(200);
    expect(await situacao(c)).toEqual({ situacao: 'fundida', fundida_em: a });
  });

  it('two identities with a CPF → 409 (a CPF correction, out of scope); nothing changes', async () => {
    const cpfOutro = cpfAleatorio();
    const outra = await identidade(cpfOutro);
    const antes = await contagens();
    const r = await request(t.app).post(`/identidades/${a}/fundir`).set(gestor).send({ com: outra, justificativa: JUSTIFICATIVA }).expect(409);
    expect(r.body).toMatchObject({ error: 'Conflito', message: `As identidades ${a} e ${outra} têm CPF (${cpfA} e ${cpfOutro}): juntar dois CPFs é uma correção de CPF, outro procedimento, fora da fusão` });
    expect(await contagens()).toEqual(antes);
    expect(await situacao(outra)).toEqual({ situacao: 'ativa', fundida_em: null });
  });

  it('a golden id with a CPF never disappears into one without: 409 naming the other direction', async () => {
    const r = await request(t.app).post(`/identidades/${b}/fundir`).set(gestor).send({ com: a, justificativa: JUSTIFICATIVA }).expect(409);
    expect(r.body.message).toBe(`A identidade ${a} tem CPF e a ${b} não: a identidade com CPF é a que permanece; funda na direção oposta (POST /identidades/${a}/fundir com ${b})`);
    expect(await situacao(a)).toEqual({ situacao: 'ativa', fundida_em: null });
  });

  it('refusals: itself (409), an unknown one (404), an already merged one (409), bad bodies (400)', async () => {
    const fundir = (id: string, corpo: unknown) => request(t.app).post(`/identidades/${id}/fundir`).set(gestor).send(corpo as object);
    expect((await fundir(a, { com: a, justificativa: JUSTIFICATIVA }).expect(409)).body.message).toBe('Uma identidade não pode ser fundida nela mesma');
    expect((await fundir(a, { com: '999999998', justificativa: JUSTIFICATIVA }).expect(404)).body.message).toBe('Identidade (com) 999999998 não encontrada');
    await fundir(a, { com: b, justificativa: JUSTIFICATIVA }).expect(200);
    expect((await fundir(a, { com: b, justificativa: JUSTIFICATIVA }).expect(409)).body.message).toBe(`A identidade ${b} já foi fundida na identidade ${a}: use a identidade ${a}`);
    expect((await fundir(a, { com: 5, justificativa: JUSTIFICATIVA }).expect(400)).body.details).toEqual([{ path: 'com', message: 'com deve ser o id da identidade, como texto (ex.: "42")' }]);
    expect((await fundir(a, { com: b, justificativa: '   curta   ' }).expect(400)).body.details).toEqual([
      { path: 'justificativa', message: 'justificativa deve ter entre 10 e 1000 caracteres (diga por que, com a evidência consultada)' },
    ]);
    expect((await fundir(a, { com: b }).expect(400)).body.details).toEqual([{ path: 'justificativa', message: 'justificativa é obrigatória' }]);
    expect((await fundir(a, { com: b, justificativa: JUSTIFICATIVA, forcar: true }).expect(400)).body.message).toBe('Campo não permitido: forcar');
  });
});

describe('POST /identidades/:id/separar', () => {
  let mae: string;
  let cpfMae: string;
  beforeEach(async () => {
    // A mother and, under her CPF, a child's health row (born 2015): one CPF, two people.
    cpfMae = cpfAleatorio();
    mae = await identidade(cpfMae);
    await linha({ fonte: 'fazenda', chave: `M-${mae}`, identidade: mae, cpf: cpfMae, nome: 'ANA SOUZA', nascimento: '1988-02-01', vinculo: 'cpf' });
    await linha({ fonte: 'eol', chave: `E-${mae}`, identidade: mae, cpf: cpfMae, nome: 'ANA SOUZA', nascimento: '1988-02-01', vinculo: 'cpf' });
    await linha({ fonte: 'siga', chave: `C-${mae}`, identidade: mae, cpf: cpfMae, nome: 'PEDRO SOUZA', nascimento: '2015-06-07', mae: 'ANA SOUZA', vinculo: 'cpf' });
  });

  it('201: the rows move to a new pendente identity (vinculo gestor, the CPF marked as another person\'s); the decision is kept', async () => {
    const r = await request(t.app).post(`/identidades/${mae}/separar`).set(gestor).send({ linhas: [{ fonte: 'siga', chave: `C-${mae}` }], justificativa: JUSTIFICATIVA }).expect(201);
    const nova = r.body.nova.id as string;
    expect(r.headers['location']).toBe(`/identidades/${nova}`);
    expect(r.body.nova).toMatchObject({ cpf: null, situacao: 'pendente', cargaId: null, totalLinhas: 1 });
    expect(r.body.nova.linhas).toEqual([expect.objectContaining({ fonte: 'siga', chave: `C-${mae}`, nome: 'PEDRO SOUZA', vinculo: 'gestor', cpfDeOutraPessoa: true, identidadeId: nova })]);
    expect(r.body.origem).toMatchObject({ id: mae, cpf: cpfMae, situacao: 'ativa', totalLinhas: 2 });
    expect(await onde('siga', `C-${mae}`)).toEqual({ identidade_id: nova, vinculo: 'gestor', cpf_de_outra_pessoa: true });
    expect(await onde('fazenda', `M-${mae}`)).toEqual({ identidade_id: mae, vinculo: 'cpf', cpf_de_outra_pessoa: false });
    expect((await decisoes()).at(-1)).toEqual({ tipo: 'pessoas-diferentes', a: mae, b: nova, linhas: [{ fonte: 'siga', chave: `C-${mae}` }], gestor: 'gestora.maria', justificativa: JUSTIFICATIVA });
    const [aud] = await q(`SELECT pessoa_cpf, detalhe FROM auditoria WHERE acao = 'identidade.separada' ORDER BY id DESC LIMIT 1`);
    expect(aud).toMatchObject({ pessoa_cpf: cpfMae, detalhe: { identidade: mae, nova, linhas: 1 } });
  });

  it('refusals: a row of another identity (409), every row (409), an unknown identity (404), bad lists (400); nothing changes', async () => {
    const separar = (id: string, corpo: unknown) => request(t.app).post(`/identidades/${id}/separar`).set(gestor).send(corpo as object);
    const antes = await contagens();
    expect((await separar(mae, { linhas: [{ fonte: 'siga', chave: 'nao-e-dela' }], justificativa: JUSTIFICATIVA }).expect(409)).body.message)
      .toBe(`Linha(s) que não pertencem à identidade ${mae}: siga/nao-e-dela`);
    const todas = [{ fonte: 'fazenda', chave: `M-${mae}` }, { fonte: 'eol', chave: `E-${mae}` }, { fonte: 'siga', chave: `C-${mae}` }];
    expect((await separar(mae, { linhas: todas, justificativa: JUSTIFICATIVA }).expect(409)).body.message)
      .toBe(`Separar todas as linhas da identidade ${mae} não separa ninguém: deixe nela ao menos uma linha`);
    expect((await separar('999999997', { linhas: [todas[0]], justificativa: JUSTIFICATIVA }).expect(404)).body.message).toBe('Identidade 999999997 não encontrada');
    expect((await separar(mae, { linhas: [], justificativa: JUSTIFICATIVA }).expect(400)).body.details).toEqual([{ path: 'linhas', message: 'linhas: ao menos uma linha' }]);
    expect((await separar(mae, { linhas: 'siga/1', justificativa: JUSTIFICATIVA }).expect(400)).body.details).toEqual([{ path: 'linhas', message: 'linhas deve ser uma lista de { fonte, chave }' }]);
    expect((await separar(mae, { linhas: [{ fonte: 'siga' }], justificativa: JUSTIFICATIVA }).expect(400)).body.details).toEqual([{ path: 'linhas.0.chave', message: 'linhas[].chave é obrigatória' }]);
    expect((await separar(mae, { linhas: [{ fonte: 'siga', chave: 'x', extra: 1 }], justificativa: JUSTIFICATIVA }).expect(400)).body.message).toBe('Campo não permitido: linhas.0.extra');
    expect(await contagens()).toEqual(antes);
  });
});

describe('linkage review items', () => {
  let a: string;
  let cpfA: string;
  beforeEach(async () => {
    cpfA = cpfAleatorio();
    a = await identidade(cpfA);
    await linha({ fonte: 'fazenda', chave: `RA-${a}`, identidade: a, cpf: cpfA, nome: 'CARLOS LIMA', nascimento: '1990-09-09', mae: 'RITA LIMA', vinculo: 'cpf' });
  });

  it('GET /revisoes-vinculo: open items with score, comparisons, the row and the candidate with its rows; audited', async () => {
    const p = await identidade(null);
    await linha({ fonte: 'bdc', chave: `RP-${p}`, identidade: p, nome: 'CARLOS LIMA', nascimento: '1990-09-09', vinculo: 'revisao', pontuacao: 5.5, comparacoes: COMPARACOES });
    const item = await revisao('bdc', `RP-${p}`, a, 5.5, COMPARACOES);
    const r = await request(t.app).get('/revisoes-vinculo?limit=100').set(gestor).expect(200);
    const achado = r.body.itens.find((i: { id: string }) => i.id === item);
    expect(achado).toMatchObject({
      situacao: 'aberta', cargaId, pontuacao: 5.5, comparacoes: COMPARACOES, resolucao: null, responsavel: null,
      linha: { fonte: 'bdc', chave: `RP-${p}`, identidadeId: p, vinculo: 'revisao', nome: 'CARLOS LIMA' },
      candidata: { id: a, cpf: cpfA, situacao: 'ativa', totalLinhas: 1, linhas: [expect.objectContaining({ fonte: 'fazenda', chave: `RA-${a}`, nomeMae: 'RITA LIMA' })] },
    });
    expect((await request(t.app).get('/revisoes-vinculo?situacao=talvez').set(gestor).expect(400)).body.message).toBe('situacao deve ser um de: aberta, resolvida');
    const [aud] = await q(`SELECT detalhe FROM auditoria WHERE acao = 'revisao-vinculo.listada' ORDER BY id DESC LIMIT 1`);
    expect((aud as { detalhe: { revisoes: string[] } }).detalhe.revisoes).toContain(item);
  });

  it('mesma-pessoa: the row\'s pending identity is merged into the candidate; resolved once only', async () => {
    const p = await identidade(null);
    await linha({ fonte: 'bdc', chave: `RM-${p}`, identidade: p, nome: 'CARLOS LIMA', nascimento: '1990-09-09', vinculo: 'revisao', pontuacao: 5.5, comparacoes: COMPARACOES });
    const item = await revisao('bdc', `RM-${p}`, a, 5.5, COMPARACOES);
    const r = await request(t.app).post(`/revisoes-vinculo/${item}/resolver`).set(gestor).send({ resolucao: 'mesma-pessoa', justificativa: JUSTIFICATIVA }).expect(200);
    expect(r.body).toMatchObject({ id: item, situacao: 'resolvida', resolucao: 'mesma-pessoa', responsavel: 'gestora.maria', justificativa: JUSTIFICATIVA, linha: { identidadeId: a, vinculo: 'gestor' } });
    expect(r.body.resolvidaEm).toMatch(/^2026-11-16T/);
    expect(await situacao(p)).toEqual({ situacao: 'fundida', fundida_em: a });
    expect((await decisoes()).at(-1)).toEqual({ tipo: 'mesma-pessoa', a, b: p, linhas: [{ fonte: 'bdc', chave: `RM-${p}` }], gestor: 'gestora.maria', justificativa: JUSTIFICATIVA });
    const de_novo = await request(t.app).post(`/revisoes-vinculo/${item}/resolver`).set(gestor).send({ resolucao: 'pessoas-diferentes', justificativa: JUSTIFICATIVA }).expect(409);
    expect(de_novo.body.message).toBe('Este item de revisão de vínculo já foi resolvido (mesma-pessoa, por gestora.maria)');
  });

  it('pessoas-diferentes: the row stays in its identity, pinned; the decision names both', async () => {
    const p = await identidade(null);
    await linha({ fonte: 'siga', chave: `RD-${p}`, identidade: p, nome: 'CARLOS LIMA', nascimento: '1990-09-09', mae: 'JOANA LIMA', vinculo: 'revisao', pontuacao: 3.9, comparacoes: COMPARACOES });
    const item = await revisao('siga', `RD-${p}`, a, 3.9, COMPARACOES);
    await request(t.app).post(`/revisoes-vinculo/${item}/resolver`).set(gestor).send({ resolucao: 'pessoas-diferentes', justificativa: JUSTIFICATIVA }).expect(200);
    expect(await onde('siga', `RD-${p}`)).toEqual({ identidade_id: p, vinculo: 'gestor', cpf_de_outra_pessoa: false });
    expect(await situacao(p)).toEqual({ situacao: 'pendente', fundida_em: null });
    expect((await decisoes()).at(-1)).toEqual({ tipo: 'pessoas-diferentes', a, b: p, linhas: [{ fonte: 'siga', chave: `RD-${p}` }], gestor: 'gestora.maria', justificativa: JUSTIFICATIVA });
    const [aud] = await q(`SELECT pessoa_cpf, detalhe FROM auditoria WHERE acao = 'revisao-vinculo.resolvida' ORDER BY id DESC LIMIT 1`);
    expect(aud).toMatchObject({ pessoa_cpf: cpfA, detalhe: { revisao: item, resolucao: 'pessoas-diferentes' } });
  });

  it('pessoas-diferentes for a row that already sits in the candidate (merged meanwhile): it is split out into a new identity', async () => {
    await linha({ fonte: 'eol', chave: `RJ-${a}`, identidade: a, nome: 'CARLA LIMA', nascimento: '2012-01-01', vinculo: 'probabilistico', pontuacao: 4.4, comparacoes: COMPARACOES });
    const item = await revisao('eol', `RJ-${a}`, a, 4.4, COMPARACOES);
    const r = await request(t.app).post(`/revisoes-vinculo/${item}/resolver`).set(gestor).send({ resolucao: 'pessoas-diferentes', justificativa: JUSTIFICATIVA }).expect(200);
    const nova = r.body.linha.identidadeId as string;
    expect(nova).not.toBe(a);
    expect(await situacao(nova)).toEqual({ situacao: 'pendente', fundida_em: null });
    expect(await onde('eol', `RJ-${a}`)).toEqual({ identidade_id: nova, vinculo: 'gestor', cpf_de_outra_pessoa: false });
    expect((await decisoes()).at(-1)).toMatchObject({ tipo: 'pessoas-diferentes', a, b: nova, linhas: [{ fonte: 'eol', chave: `RJ-${a}` }] });
  });

  it('refusals: unknown item (404), bad id (400), bad resolution (400), a row still in staging (409)', async () => {
    const resolver = (id: string, corpo: unknown) => request(t.app).post(`/revisoes-vinculo/${id}/resolver`).set(gestor).send(corpo as object);
    expect((await resolver('999999996', { resolucao: 'mesma-pessoa', justificativa: JUSTIFICATIVA }).expect(404)).body.message).toBe('Item de revisão de vínculo 999999996 não encontrado');
    expect((await resolver('0', { resolucao: 'mesma-pessoa', justificativa: JUSTIFICATIVA }).expect(400)).body.message).toBe('id do item de revisão de vínculo deve ser um número inteiro positivo');
    expect((await resolver('1', { resolucao: 'talvez', justificativa: JUSTIFICATIVA }).expect(400)).body.details).toEqual([{ path: 'resolucao', message: 'resolucao deve ser um de: mesma-pessoa, pessoas-diferentes' }]);
    const item = await revisao('bdc', 'ainda-em-staging', a, 5, COMPARACOES);
    expect((await resolver(item, { resolucao: 'mesma-pessoa', justificativa: JUSTIFICATIVA }).expect(409)).body.message)
      .toBe(`A carga ${cargaId} desta linha ainda não terminou: resolva o item quando a carga estiver concluída`);
  });
});

describe('while a batch load runs', () => {
  it('merge, split and review decisions answer 409 and change nothing; once the load ends they go through', async () => {
    const cpfA = cpfAleatorio();
    const a = await identidade(cpfA);
    const b = await identidade(null);
    await linha({ fonte: 'fazenda', chave: `LA-${a}`, identidade: a, cpf: cpfA, nome: 'RITA SOUZA', nascimento: '1981-01-02', vinculo: 'cpf' });
    await linha({ fonte: 'siga', chave: `LB-${b}`, identidade: b, nome: 'RITA SOUZA', nascimento: '1981-01-02', vinculo: 'novo' });
    await linha({ fonte: 'siga', chave: `LB2-${b}`, identidade: b, nome: 'RITA SOUZA', nascimento: '1981-01-02', vinculo: 'novo' });
    const item = await revisao('siga', `LB-${b}`, a, 5.5, COMPARACOES);
    const antes = await contagens();

    // A load holds the lock for its whole run, on its own connection (executar-carga.ts).
    const carga = new pg.Client({ connectionString: t.db.url });
    await carga.connect();
    try {
      await carga.query('SELECT pg_advisory_lock($1)', [TRAVA_CARGA]);
      const mensagem = 'Uma carga em lote está em andamento: junções, separações e decisões de vínculo ficam para quando ela terminar';
      const fundir = await request(t.app).post(`/identidades/${a}/fundir`).set(gestor).send({ com: b, justificativa: JUSTIFICATIVA }).expect(409);
      expect(fundir.body).toMatchObject({ error: 'Conflito', message: mensagem });
      const separar = await request(t.app).post(`/identidades/${b}/separar`).set(gestor).send({ linhas: [{ fonte: 'siga', chave: `LB2-${b}` }], justificativa: JUSTIFICATIVA }).expect(409);
      expect(separar.body).toMatchObject({ error: 'Conflito', message: mensagem });
      const resolver = await request(t.app).post(`/revisoes-vinculo/${item}/resolver`).set(gestor).send({ resolucao: 'mesma-pessoa', justificativa: JUSTIFICATIVA }).expect(409);
      expect(resolver.body).toMatchObject({ error: 'Conflito', message: mensagem });
      expect(await contagens()).toEqual(antes);
      expect(await situacao(b)).toEqual({ situacao: 'pendente', fundida_em: null });
    } finally {
      await carga.end();
    }
    await request(t.app).post(`/identidades/${a}/fundir`).set(gestor).send({ com: b, justificativa: JUSTIFICATIVA }).expect(200);
    expect(await situacao(b)).toEqual({ situacao: 'fundida', fundida_em: a });
  });
});
