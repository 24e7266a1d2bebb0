/**
 * Stewards' API of the Cadastro Base (real PostgreSQL): full record, field-level PATCH with If-Match, inactivation,
 * companies, search, field history, dry run, and bad input that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

let t: AppDeTeste;
let gestor: string;

beforeAll(async () => {
  t = await criarAppDeTeste('cadastro');
  gestor = await t.tokens.gestor('gestora.maria');
});
afterAll(async () => {
  await t?.fechar();
});

/** Rows of every table the Cadastro Base writes. */
async function linhas(): Promise<Record<string, number>> {
  const [r] = await t.db.dataSource.query(`
    SELECT (SELECT count(*) FROM pessoa)::int AS pessoa, (SELECT count(*) FROM pessoa_juridica)::int AS pessoa_juridica,
           (SELECT count(*) FROM valor_campo)::int AS valor_campo, (SELECT count(*) FROM revisao)::int AS revisao,
           (SELECT count(*) FROM auditoria)::int AS auditoria, (SELECT count(*) FROM conta)::int AS conta`);
  return r as Record<string, number>;
}

const auth = (r: request.Test, token = gestor) => r.set('Authorization', `Bearer ${token}`);
const criar = (corpo: unknown) => auth(request(t.app).post('/pessoas')).send(corpo as object);
const patch = (cpf: string, corpo: unknown, ifMatch?: string) => {
  const r = auth(request(t.app).patch(`/pessoas/${cpf}`));
  if (ifMatch !== undefined) r.set('If-Match', ifMatch);
  return r.send(corpo as object);
};

/** A valid SP título, DVs worked out by hand in validation/cadastro-validadores.unit.test.ts (00435687 | 01 | 08). */
const TITULO_SP = '004356870108';
/** The Receita Federal's published alphanumeric CNPJ example (12.ABC.345/01DE-35): DVs not computed by our code. */
const CNPJ_ALFA = '12ABC34501DE35';

function completo(cpf: string) {
  return {
    cpf,
    nome: 'Maria José da Conceição',
    nomeSocial: 'Majô',
    genero: 'feminino',
    dataNascimento: '1984-03-09',
    localNascimento: { municipio: 'São Paulo', uf: 'SP' },
    rg: { numero: '123456789', digito: 'X', uf: 'SP' },
    tituloEleitor: TITULO_SP,
    nomeMae: 'Antônia da Conceição',
    nomePai: 'João da Silva',
    estadoCivil: 'casado',
    emails: [{ endereco: 'maria@exemplo.com.br', verificado: true }],
    telefones: [{ numero: '11987654321', tipo: 'celular', verificado: false }],
    enderecos: [{ cep: '01001000', logradouro: 'Praça da Sé', numero: '1', complemento: 'sala 2', bairro: 'Sé', municipio: 'São Paulo', uf: 'SP', desde: '2020-01-01' }],
  };
}

describe('person record: create, read, update, inactivate', () => {
  it('creates a full record (201), with provenance for every field and an ETag', async () => {
    const cpf = cpfAleatorio();
    const res = await criar(completo(cpf)).expect(201);
    expect(res.headers['etag']).toBe('"v1"');
    expect(res.body).toMatchObject({ ...completo(cpf), obito: false, obitoRegistro: null, situacao: 'ativa', versao: 1 });
    const prov = await t.db.dataSource.query(`SELECT campo, estado, fonte, ator, tipo_ator FROM valor_campo WHERE chave = $1 ORDER BY id`, [cpf]);
    expect(prov.map((p: { campo: string }) => p.campo)).toEqual(['cpf', 'nome', 'nomeSocial', 'genero', 'dataNascimento', 'localNascimento', 'rg', 'tituloEleitor', 'nomeMae', 'nomePai', 'estadoCivil', 'emails', 'telefones', 'enderecos']);
    expect(new Set(prov.map((p: { estado: string; fonte: string; ator: string; tipo_ator: string }) => `${p.estado}|${p.fonte}|${p.ator}|${p.tipo_ator}`))).toEqual(new Set(['vigente|gestor|gestora.maria|gestor']));
    const get = await auth(request(t.app).get(`/pessoas/${cpf}`)).expect(200);
    expect(get.headers['etag']).toBe('"v1"');
    expect(get.body.nomeSocial).toBe('Majô');
  });

  it('PATCH changes only the given fields, needs If-Match (428), refuses a stale one (409), keeps history', async () => {
    const cpf = cpfAleatorio();
    await criar(completo(cpf)).expect(201);
    const sem = await patch(cpf, { estadoCivil: 'divorciado' }).expect(428);
    expect(sem.body.message).toContain('If-Match');
    const ok = await patch(cpf, { estadoCivil: 'divorciado', nomeSocial: null }, '"v1"').expect(200);
    expect(ok.headers['etag']).toBe('"v2"');
    expect(ok.body.registro).toMatchObject({ estadoCivil: 'divorciado', nomeSocial: null, nome: 'Maria José da Conceição', versao: 2 });
    expect(ok.body.decisoes.map((d: { campo: string; operacao: string; codigo: string }) => `${d.campo}:${d.operacao}:${d.codigo}`)).toEqual(['nomeSocial:exclusao:ACEITO', 'estadoCivil:modificacao:ACEITO']);
    const velho = await patch(cpf, { estadoCivil: 'viuvo' }, '"v1"').expect(409);
    expect(velho.body.message).toBe('O registro foi alterado por outra requisição (versão atual 2, informada 1); leia-o de novo e reaplique a alteração');

    const hist = await auth(request(t.app).get(`/pessoas/${cpf}/historico/estadoCivil`)).expect(200);
    expect(hist.body.valores.map((v: { valor: string; estado: string; versaoRegistro: number }) => [v.valor, v.estado, v.versaoRegistro])).toEqual([
      ['casado', 'historico', 1],
      ['divorciado', 'vigente', 2],
    ]);
    const aud = await t.db.dataSource.query(`SELECT acao, campos FROM auditoria WHERE pessoa_cpf = $1 AND acao = 'pessoa.alterada'`, [cpf]);
    expect(aud).toEqual([{ acao: 'pessoa.alterada', campos: ['nome_social', 'estado_civil'] }]);
  });

  it('PMCC refusals are 422 with the reason code per field, and write nothing', async () => {
    const cpf = cpfAleatorio();
    await criar(completo(cpf)).expect(201);
    const antes = await linhas();
    const res = await patch(cpf, { nome: 'Outra Pessoa', dataNascimento: null, cpf: cpfAleatorio() }, '"v1"').expect(422);
    expect(res.body.error).toBe('RegraDeNegocioViolada');
    expect(res.body.recusas.map((r: { campo: string; codigo: string }) => `${r.campo}:${r.codigo}`)).toEqual(['cpf:CAMPO_IMUTAVEL', 'nome:EVIDENCIA_OBRIGATORIA', 'dataNascimento:CAMPO_IMUTAVEL']);
    expect(res.body.details[1]).toEqual({ path: 'nome', message: 'EVIDENCIA_OBRIGATORIA: Para alterar o campo nome é obrigatório informar a evidência documental (evidencia.tipo e evidencia.numero)' });
    expect(await linhas()).toEqual(antes);
    // With evidence the steward may correct the civil name.
    const ok = await patch(cpf, { nome: 'Maria José da Conceição Souza', evidencia: { tipo: 'certidao-casamento', numero: '123' } }, '"v1"').expect(200);
    expect(ok.body.registro.nome).toBe('Maria José da Conceição Souza');
    const [ev] = await t.db.dataSource.query(`SELECT evidencia FROM valor_campo WHERE chave = $1 AND campo = 'nome' AND estado = 'vigente'`, [cpf]);
    expect(ev.evidencia).toEqual({ tipo: 'certidao-casamento', numero: '123' });
  });

  it('óbito needs the certificate as evidence; inactivation is logical (DELETE → situacao inativa)', async () => {
    const cpf = cpfAleatorio();
    await criar(completo(cpf)).expect(201);
    const obito = { data: '2026-10-01', fonte: 'certidao', certidao: '1'.repeat(32) };
    const sem = await patch(cpf, { obitoRegistro: obito }, '"v1"').expect(422);
    expect(sem.body.recusas[0].codigo).toBe('EVIDENCIA_OBRIGATORIA');
    const ok = await patch(cpf, { obitoRegistro: obito, evidencia: { tipo: 'certidao-obito', numero: '1'.repeat(32) } }, '"v1"').expect(200);
    expect(ok.body.registro).toMatchObject({ obito: true, obitoRegistro: obito });
    const del = await auth(request(t.app).delete(`/pessoas/${cpf}`)).expect(200);
    expect(del.body.registro).toMatchObject({ situacao: 'inativa', versao: 3 });
    expect((await t.db.dataSource.query(`SELECT situacao FROM pessoa WHERE cpf = $1`, [cpf]))[0].situacao).toBe('inativa');
  });

  it('validates across fields: own parent, parents born later, death before birth', async () => {
    const mae = cpfAleatorio();
    await criar({ cpf: mae, nome: 'Mãe Jovem', dataNascimento: '2000-01-01' }).expect(201);
    const cpf = cpfAleatorio();
    const antes = await linhas();
    const propria = await criar({ cpf, nome: 'Filho', dataNascimento: '1990-01-01', cpfMae: cpf }).expect(400);
    expect(propria.body.details).toEqual([{ path: 'cpfMae', message: 'A pessoa não pode ser a própria mãe' }]);
    const tarde = await criar({ cpf, nome: 'Filho', dataNascimento: '1990-01-01', cpfMae: mae }).expect(400);
    expect(tarde.body.details).toEqual([{ path: 'cpfMae', message: 'A mãe (nascimento 2000-01-01) deve ter nascido antes da pessoa (1990-01-01)' }]);
    const relacao = await criar({ cpf, nome: 'Filho', dataNascimento: '1990-01-01', relacoesFamiliares: [{ tipo: 'irmao', cpf }] }).expect(400);
    expect(relacao.body.message).toBe('Uma relação familiar não pode apontar para a própria pessoa');
    expect(await linhas()).toEqual(antes);
    await criar({ cpf, nome: 'Filho', dataNascimento: '2020-01-01', cpfMae: mae, relacoesFamiliares: [{ tipo: 'irmao', cpf: cpfAleatorio() }] }).expect(201);
  });

  it('dry run: returns the decisions and the would-be record, writes no data (only the audit of the simulation)', async () => {
    const cpf = cpfAleatorio();
    await criar(completo(cpf)).expect(201);
    const antes = await linhas();
    const res = await auth(request(t.app).patch(`/pessoas/${cpf}?dryRun=true`)).send({ genero: 'outro', nome: 'Sem Evidência' }).expect(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.registro).toMatchObject({ genero: 'outro', nome: 'Maria José da Conceição', versao: 2 });
    expect(res.body.decisoes.map((d: { campo: string; resultado: string; codigo: string; de: unknown; para: unknown }) => [d.campo, d.resultado, d.codigo, d.de, d.para])).toEqual([
      ['nome', 'rejeitar', 'EVIDENCIA_OBRIGATORIA', 'Maria José da Conceição', 'Sem Evidência'],
      ['genero', 'aceitar', 'ACEITO', 'feminino', 'outro'],
    ]);
    expect(await linhas()).toEqual({ ...antes, auditoria: antes['auditoria'] + 1 });
    const [a] = await t.db.dataSource.query(`SELECT acao FROM auditoria WHERE pessoa_cpf = $1 ORDER BY id DESC LIMIT 1`, [cpf]);
    expect(a.acao).toBe('pessoa.simulada');
    const novo = cpfAleatorio();
    const criacao = await auth(request(t.app).post('/pessoas?dryRun=true')).send({ cpf: novo, nome: 'Ninguém', dataNascimento: '1999-09-09' }).expect(200);
    expect(criacao.body.registro).toMatchObject({ cpf: novo, versao: 1 });
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM pessoa WHERE cpf = $1`, [novo]))[0].n).toBe(0);
  });
});

describe('search (case- and accent-insensitive, paginated)', () => {
  it('by name + birth date, by mother, by CPF', async () => {
    const cpfs = [cpfAleatorio(), cpfAleatorio(), cpfAleatorio()];
    await criar({ cpf: cpfs[0], nome: 'Conceição Ávila Müller', dataNascimento: '1970-07-07', nomeMae: 'Ângela Müller' }).expect(201);
    await criar({ cpf: cpfs[1], nome: 'CONCEICAO AVILA MULLER', dataNascimento: '1970-07-07' }).expect(201);
    await criar({ cpf: cpfs[2], nome: 'Conceicao Avila Muller', dataNascimento: '1971-07-07', nomeMae: 'angela muller' }).expect(201);
    const porNome = await auth(request(t.app).get('/pessoas').query({ nome: 'conceição ÁVILA', dataNascimento: '1970-07-07' })).expect(200);
    expect(porNome.body.itens.map((p: { cpf: string }) => p.cpf).sort()).toEqual([cpfs[0], cpfs[1]].sort());
    // combining accent (NFD) in the query is folded too
    const nfd = await auth(request(t.app).get('/pessoas').query({ nomeMae: 'A\u0302ngela mu\u0308ller', limit: '1' })).expect(200);
    expect(nfd.body.itens).toHaveLength(1);
    expect(nfd.body.proximoOffset).toBe(1);
    const pag2 = await auth(request(t.app).get('/pessoas').query({ nomeMae: 'angela muller', limit: '1', offset: '1' })).expect(200);
    expect(pag2.body.proximoOffset).toBeNull();
    expect([nfd.body.itens[0].cpf, pag2.body.itens[0].cpf].sort()).toEqual([cpfs[0], cpfs[2]].sort());
    const porCpf = await auth(request(t.app).get('/pessoas').query({ cpf: cpfs[2] })).expect(200);
    expect(porCpf.body.itens).toHaveLength(1);
    const [aud] = await t.db.dataSource.query(`SELECT detalhe FROM auditoria WHERE acao = 'pessoa.buscada' ORDER BY id DESC LIMIT 1`);
    expect(aud.detalhe).toMatchObject({ criterios: ['cpf'], resultados: [cpfs[2]] });
  });

  it.each([
    [{ nome: 'Ana' }, '', 'Informe cpf, ou nome e dataNascimento, ou nomeMae'],
    [{ nomeMae: 'Ana', limit: '101' }, 'limit', 'limit deve ser um inteiro de 1 a 100'],
    [{ nomeMae: 'Ana', offset: '-1' }, 'offset', 'offset deve ser um inteiro de 0 a 10000'],
    [{ nomeMae: '%' }, 'nomeMae', 'nomeMae deve ter entre 2 e 200 caracteres'],
    [{ nomeMae: 'An\u200Ba' }, 'nomeMae', 'nomeMae contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)'],
    [{ nomeMae: 'Ana', ordem: 'x' }, 'ordem', 'Parâmetro não permitido: ordem'],
    [{ cpf: '123' }, 'cpf', 'CPF inválido'],
  ])('bad query %j → 400', async (q, path, message) => {
    const res = await auth(request(t.app).get('/pessoas').query(q)).expect(400);
    expect(res.body.details).toEqual([{ path, message }]);
  });

  it('LIKE wildcards and SQL in the query are plain text', async () => {
    const res = await auth(request(t.app).get('/pessoas').query({ nomeMae: "%' OR '1'='1" })).expect(200);
    expect(res.body.itens).toEqual([]);
  });
});

describe('companies (CNPJ, alphanumeric included)', () => {
  it('create, read, update with If-Match, history', async () => {
    const resp = cpfAleatorio();
    const criado = await auth(request(t.app).post('/pessoas-juridicas'))
      .send({ cnpj: '12.abc.345/01de-' + CNPJ_ALFA.slice(12), razaoSocial: 'Padaria Paulistana Ltda', nomeFantasia: 'Pão da Sé', responsaveis: [{ cpf: resp, papel: 'socio-administrador' }] })
      .expect(201);
    expect(criado.headers['location']).toBe(`/pessoas-juridicas/${CNPJ_ALFA}`);
    const get = await auth(request(t.app).get(`/pessoas-juridicas/${CNPJ_ALFA}`)).expect(200);
    expect(get.body).toMatchObject({ cnpj: CNPJ_ALFA, razaoSocial: 'Padaria Paulistana Ltda', situacao: 'ativa', responsaveis: [{ cpf: resp, papel: 'socio-administrador' }], versao: 1 });
    await auth(request(t.app).patch(`/pessoas-juridicas/${CNPJ_ALFA}`)).send({ nomeFantasia: 'Pão' }).expect(428);
    const ok = await auth(request(t.app).patch(`/pessoas-juridicas/${CNPJ_ALFA}`)).set('If-Match', get.headers['etag']).send({ nomeFantasia: 'Pão Paulistano', situacao: 'suspensa' }).expect(200);
    expect(ok.body.registro).toMatchObject({ nomeFantasia: 'Pão Paulistano', situacao: 'suspensa', versao: 2 });
    const hist = await auth(request(t.app).get(`/pessoas-juridicas/${CNPJ_ALFA}/historico/nomeFantasia`)).expect(200);
    expect(hist.body.valores.map((v: { valor: string }) => v.valor)).toEqual(['Pão da Sé', 'Pão Paulistano']);
  });

  it.each(['12ABC34501DE99', '11222333000182', '00000000000000'])('invalid CNPJ %s → 400 "CNPJ inválido", nothing written', async (cnpj) => {
    const antes = await linhas();
    const res = await auth(request(t.app).post('/pessoas-juridicas')).send({ cnpj, razaoSocial: 'X' }).expect(400);
    expect(res.body.details).toEqual([{ path: 'cnpj', message: 'CNPJ inválido' }]);
    expect(await linhas()).toEqual(antes);
  });
});

describe('birth date boundaries against the tests\' "today" (2026-11-16)', () => {
  it.each(['2026-11-16', '1896-11-16'])('%p is accepted', async (dataNascimento) => {
    await criar({ cpf: cpfAleatorio(), nome: 'Ana Souza', dataNascimento }).expect(201);
  });
});

describe('bad input → 4xx with a precise message, nothing written', () => {
  const base = () => ({ cpf: cpfAleatorio(), nome: 'Ana Souza', dataNascimento: '1990-01-01' });
  it.each([
    ['invalid CPF', { cpf: '52998224724' }, [{ path: 'cpf', message: 'CPF inválido' }]],
    ['known-fake CPF', { cpf: '00000000000' }, [{ path: 'cpf', message: 'CPF inválido' }]],
    ['invalid título (DV)', { tituloEleitor: '004356870907' }, [{ path: 'tituloEleitor', message: 'título de eleitor com dígitos verificadores inválidos' }]],
    ['invalid título (UF code)', { tituloEleitor: '004356872906' }, [{ path: 'tituloEleitor', message: 'título de eleitor com código de UF inexistente (29; válidos: 01 a 28)' }]],
    ['unknown UF', { localNascimento: { municipio: 'X', uf: 'XX' } }, [{ path: 'localNascimento.uf', message: expect.stringContaining('uf deve ser uma UF') }]],
    ['birth tomorrow (today is 2026-11-16)', { dataNascimento: '2026-11-17' }, [{ path: 'dataNascimento', message: 'dataNascimento não pode ser futura' }]],
    ['age above 130 by one day', { dataNascimento: '1896-11-15' }, [{ path: 'dataNascimento', message: 'dataNascimento indica idade acima de 130 anos' }]],
    ['unknown field', { nivelConfianca: 5 }, [{ path: 'nivelConfianca', message: 'Campo não permitido: nivelConfianca' }]],
    ['wrong type', { emails: 'a@b.c' }, [{ path: 'emails', message: 'emails deve ser uma lista' }]],
    ['wrong nested type', { emails: [{ endereco: 'a@b.com', verificado: 'sim' }] }, [{ path: 'emails.0.verificado', message: 'emails[].verificado deve ser verdadeiro ou falso' }]],
    ['RTL override', { nome: 'Ana\u202Eazuos' }, [{ path: 'nome', message: 'nome contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)' }]],
    ['zero-width space', { nomeMae: 'Ana\u200B' }, [{ path: 'nomeMae', message: 'nomeMae contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)' }]],
    ['stacked combining marks', { nome: 'Z\u0301\u0302\u0303\u0304alg' }, [{ path: 'nome', message: 'nome contém sinais diacríticos empilhados' }]],
  ])('%s', async (_caso, extra, details) => {
    const antes = await linhas();
    const res = await criar({ ...base(), ...extra }).expect(400);
    expect(res.body.details).toEqual(details);
    expect(await linhas()).toEqual(antes);
  });

  it('SQL in a name is stored as text, not executed', async () => {
    const b = base();
    const res = await criar({ ...b, nome: "Robert'); DROP TABLE pessoa;--" }).expect(201);
    expect(res.body.nome).toBe("Robert'); DROP TABLE pessoa;--");
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM pessoa`))[0].n).toBeGreaterThan(0);
  });

  it('malformed JSON → 400, 1 MB body → 413, PATCH with bad If-Match → 400; nothing written', async () => {
    const cpf = cpfAleatorio();
    await criar({ cpf, nome: 'Ana', dataNascimento: '1990-01-01' }).expect(201);
    const antes = await linhas();
    const m = await auth(request(t.app).patch(`/pessoas/${cpf}`)).set('If-Match', '"v1"').set('content-type', 'application/json').send('{"nome":').expect(400);
    expect(m.body.message).toBe('JSON malformado');
    const grande = await patch(cpf, { nomeSocial: 'x'.repeat(1024 * 1024) }, '"v1"').expect(413);
    expect(grande.body.error).toBe('PayloadGrande');
    const ifm = await patch(cpf, { genero: 'outro' }, 'qualquer').expect(400);
    expect(ifm.body.message).toBe('If-Match deve ser o ETag do registro, ex.: "v3"');
    const hist = await auth(request(t.app).get(`/pessoas/${cpf}/historico/senha`)).expect(400);
    expect(hist.body.message).toContain('Campo desconhecido: senha');
    expect(await linhas()).toEqual({ ...antes, auditoria: antes['auditoria'] });
  });

  it('a citizen token cannot use the stewards\' routes', async () => {
    const antes = await linhas();
    await auth(request(t.app).post('/pessoas'), await t.tokens.cidadao()).send(base()).expect(403);
    expect(await linhas()).toEqual(antes);
  });
});
