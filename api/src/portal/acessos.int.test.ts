/**
 * "Quem acessou meus dados" through the API (/me/acessos, /me/acessos.csv; local tokens, real PostgreSQL): the reads
 * of the caller's own record by organs and applications — organ and role, never the servant — newest first,
 * paginated, as CSV; the citizen's own reads left out; citizen A never sees B's log, whatever identifiers A sends.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';

let t: AppDeTeste;
let central: string;

interface Cidadao { sub: string; cpf: string; token: string }

async function cidadao(vinculada = true): Promise<Cidadao> {
  const cpf = cpfAleatorio();
  const sub = randomUUID();
  await request(t.app).post('/pessoas').set('authorization', `Bearer ${central}`)
    .send({ cpf, nome: 'Rita Moura', dataNascimento: '1980-02-29', nomeMae: 'Joana Moura' }).expect(201);
  await t.db.dataSource.query(
    `INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) VALUES ($1, $2, $3, $4, $5)`,
    [sub, cpf, cpf, vinculada ? cpf : null, vinculada ? 3 : 1],
  );
  const token = await t.tokens.emitir({ sub, username: cpf, roles: ['cidadao'], azp: 'portal-cidadao', extra: { cpf } });
  return { sub, cpf, token };
}

const acessos = (c: Cidadao, consulta = '') => request(t.app).get(`/me/acessos${consulta}`).set('authorization', `Bearer ${c.token}`);

beforeAll(async () => {
  t = await criarAppDeTeste('acessos');
  central = await t.tokens.gestor('gestora.central');
});

afterAll(async () => {
  await t?.fechar();
});

describe('GET /me/acessos', () => {
  it('lists a health steward\'s read of the record: organ, role, application, the fields that left, the organ\'s purpose — never the servant', async () => {
    const a = await cidadao();
    const saude = await t.tokens.emitir({ username: 'servidora.joana.12345678909', roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).get(`/pessoas/${a.cpf}`).set('authorization', `Bearer ${saude}`).expect(200);
    const res = await acessos(a).expect(200);
    expect(res.body).toMatchObject({ vinculada: true, total: 1, limit: 20, offset: 0 });
    const [item] = res.body.itens;
    expect(item).toMatchObject({
      oQue: 'Consultou seu cadastro',
      orgao: 'Secretaria Municipal da Saúde (SMS)',
      papel: 'gestor(a) de dados da Saúde',
      aplicacao: 'Sistemas da Secretaria Municipal da Saúde (SIGA)',
      finalidade: expect.stringContaining('Atenção à saúde (SIGA)'),
    });
    expect(item.quando).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    // The health rule lets SIGA receive the mother's name, not the voter's card.
    expect(item.campos).toEqual(expect.arrayContaining(['CPF', 'Nome', 'Nome da mãe', 'Data de nascimento']));
    expect(item.campos).not.toContain('Título de eleitor');
    expect(JSON.stringify(res.body)).not.toMatch(/servidora|joana|12345678909/i);
  });

  it('leaves out the citizen\'s own reads and the steward\'s write; the central team shows as such', async () => {
    const a = await cidadao();
    await request(t.app).get('/me').set('authorization', `Bearer ${a.token}`).expect(200);
    await request(t.app).get(`/pessoas/${a.cpf}`).set('authorization', `Bearer ${central}`).expect(200);
    const res = await acessos(a).expect(200);
    // Creating the record (a write) is not a read; GET /me is the citizen's own; only the central read is listed.
    expect(res.body.total).toBe(1);
    expect(res.body.itens[0]).toMatchObject({ orgao: 'Equipe central do Cadastro Base de Pessoas', papel: 'gestor(a) do cadastro', aplicacao: 'Portal do Cidadão' });
  });

  it('newest first, paginated with limit/offset, total counted; older rows without the organ say so', async () => {
    const a = await cidadao();
    for (let i = 0; i < 25; i++) {
      await t.db.dataSource.query(
        `INSERT INTO auditoria (ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe, em)
         VALUES ('gestor.antigo', 'pessoa.lida', $1, '{cpf,nome_mae}', 'sf-fazenda', 'gestao-cadastro', $2::jsonb, $3)`,
        [a.cpf, JSON.stringify(i % 2 === 0 ? { leitor: { orgaos: ['fazenda'], papeis: ['gestor-fazenda'] } } : {}), new Date(Date.UTC(2026, 0, 1 + i, 13, 5))],
      );
    }
    const p1 = await acessos(a, '?limit=10').expect(200);
    expect(p1.body.total).toBe(25);
    expect(p1.body.itens).toHaveLength(10);
    // 2026-01-25 13:05 UTC is 10:05 in São Paulo.
    expect(p1.body.itens[0]).toMatchObject({ quando: '25/01/2026 10:05', orgao: 'Secretaria Municipal da Fazenda (SF)', campos: ['CPF', 'Nome da mãe'] });
    expect(p1.body.itens[1]).toMatchObject({ quando: '24/01/2026 10:05', orgao: 'Órgão não registrado', papel: '', finalidade: 'Gestão do Cadastro Base de Pessoas' });
    const p3 = await acessos(a, '?limit=10&offset=20').expect(200);
    expect(p3.body.itens.map((x: { quando: string }) => x.quando)).toEqual(['05/01/2026 10:05', '04/01/2026 10:05', '03/01/2026 10:05', '02/01/2026 10:05', '01/01/2026 10:05']);
  });

  it('reading one\'s access log is itself audited', async () => {
    const a = await cidadao();
    await acessos(a).expect(200);
    const linhas = await t.db.dataSource.query(`SELECT ator, acao, finalidade FROM auditoria WHERE pessoa_cpf = $1 AND acao = 'acessos.lidos'`, [a.cpf]);
    expect(linhas).toEqual([{ ator: a.cpf, acao: 'acessos.lidos', finalidade: 'autoatendimento-cidadao' }]);
  });

  it('an account not tied to a record: no record, so an empty log (vinculada false)', async () => {
    const b = await cidadao(false);
    await request(t.app).get(`/pessoas/${b.cpf}`).set('authorization', `Bearer ${central}`).expect(200);
    expect((await acessos(b).expect(200)).body).toEqual({ vinculada: false, total: 0, limit: 20, offset: 0, itens: [] });
  });

  it('400 for bad paging or unknown parameters; 401 without a token; 403 without the cidadao role', async () => {
    const a = await cidadao();
    for (const q of ['?limit=0', '?limit=abc', '?offset=-1', '?pagina=2', '?limit=1&limit=2']) {
      const res = await acessos(a, q).expect(400);
      expect(res.body.error).toBe('DadosInvalidos');
    }
    await request(t.app).get('/me/acessos').expect(401);
    const servico = await t.tokens.emitir({ roles: ['gestor-saude'], azp: 'sms-saude' });
    await request(t.app).get('/me/acessos').set('authorization', `Bearer ${servico}`).expect(403);
  });
});

describe('GET /me/acessos.csv', () => {
  it('the whole log as CSV (;, CRLF, BOM), with spreadsheet formulas neutralised', async () => {
    const a = await cidadao();
    await request(t.app).get(`/pessoas/${a.cpf}`).set('authorization', `Bearer ${central}`).expect(200);
    await t.db.dataSource.query(
      `INSERT INTO auditoria (ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe) VALUES ('x', 'pessoa.lida', $1, '{cpf}', '=cmd|calc', NULL, '{}')`, [a.cpf]);
    const res = await request(t.app).get('/me/acessos.csv').set('authorization', `Bearer ${a.token}`).buffer(true).parse((r, cb) => {
      const partes: Buffer[] = [];
      r.on('data', (c: Buffer) => partes.push(c));
      r.on('end', () => cb(null, Buffer.concat(partes).toString('utf8')));
    }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="quem-acessou-meus-dados.csv"');
    const linhas = (res.body as string).split('\r\n');
    expect(linhas[0]).toBe('\uFEFFData e hora;O que foi feito;Órgão;Papel;Aplicação;Dados consultados;Finalidade');
    expect(linhas).toHaveLength(4); // header, 2 rows, trailing empty
    expect(linhas[1]).toContain(";'=cmd|calc;");
    expect(linhas[2]).toContain('Equipe central do Cadastro Base de Pessoas;gestor(a) do cadastro;Portal do Cidadão;');
  });
});

describe('isolation: citizen A and citizen B', () => {
  it('A\'s token never reaches B\'s log, whatever B identifiers A sends', async () => {
    const a = await cidadao();
    const b = await cidadao();
    await request(t.app).get(`/pessoas/${b.cpf}`).set('authorization', `Bearer ${central}`).expect(200);
    expect((await acessos(a).expect(200)).body.total).toBe(0);
    expect((await acessos(b).expect(200)).body.total).toBe(1);
    // B's CPF or account id as a query parameter: refused, not used.
    for (const q of [`?cpf=${b.cpf}`, `?sub=${b.sub}`, `?pessoaCpf=${b.cpf}`]) {
      expect((await acessos(a, q).expect(400)).body.message).toContain('Parâmetro não permitido');
    }
    // …or in the path: no such route for a citizen.
    for (const caminho of [`/me/acessos/${b.cpf}`, `/me/${b.sub}/acessos`, `/pessoas/${b.cpf}/acessos`]) {
      const res = await request(t.app).get(caminho).set('authorization', `Bearer ${a.token}`);
      expect([403, 404]).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('Equipe central');
    }
    // A token whose cpf claim is B's but whose sub is A's: still A's record (the link, never the claim).
    const forjado = await t.tokens.emitir({ sub: a.sub, username: b.cpf, roles: ['cidadao'], extra: { cpf: b.cpf } });
    expect((await request(t.app).get('/me/acessos').set('authorization', `Bearer ${forjado}`).expect(200)).body.total).toBe(0);
    const csv = await request(t.app).get('/me/acessos.csv').set('authorization', `Bearer ${forjado}`).expect(200);
    expect(csv.text.split('\r\n')).toHaveLength(2);
  });
});

describe('the page query uses the partial index', () => {
  it('EXPLAIN of the page\'s query names auditoria_acessos_cidadao_v2_idx', async () => {
    const a = await cidadao();
    const plano = await t.db.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const { SQL_ACESSOS } = await import('./acessos.service.js');
      return m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${SQL_ACESSOS}`, [a.cpf, 20, 0]);
    });
    expect(plano.map((l) => l['QUERY PLAN']).join('\n')).toContain('auditoria_acessos_cidadao_v2_idx');
  });
});
