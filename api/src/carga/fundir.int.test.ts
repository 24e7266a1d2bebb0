/**
 * The merge phase on real PostgreSQL, with expected values written by hand from the PMCC table (docs/pmcc.md):
 * survivorship within and across sources, contacts, rows refused as a whole, identities, the audit row, a death
 * from SIRC moving an account's level. The equivalence with `entradaUnica` row by row is `fundir.equivalencia.int.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { criarCarga, encenar, executarFase } from '../../test/helpers/fusao.js';
import { entradaUnica } from '../entrada-unica/pipeline.js';
import { fundir } from './fundir.js';

// "Today" is 2026-11-16 (test/support/relogio.ts).
usarRelogioDosTestes();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);
const valores = (cpf: string, campo: string) =>
  q<{ valor: unknown; estado: string; operacao: string; fonte: string; chave_fonte: string | null; versao_registro: number; codigo: string }>(
    `SELECT valor, estado, operacao, fonte, chave_fonte, versao_registro, decisao->>'codigo' AS codigo FROM valor_campo WHERE chave = $1 AND campo = $2 ORDER BY id`,
    [cpf, campo],
  );
const revisoes = (cpf: string) =>
  q<{ campo: string; codigo: string; valor: unknown; fonte: string }>(
    `SELECT r.campo, r.codigo, v.valor, v.fonte FROM revisao r JOIN valor_campo v ON v.id = r.valor_campo_id WHERE r.chave = $1 ORDER BY r.id`,
    [cpf],
  );

describe('survivorship', () => {
  it('within one source the first nome stays; a second, different nome is an alternative with a review item', async () => {
    const cpf = cpfAleatorio();
    const carga = await criarCarga(db.dataSource, 'fazenda', 'fazenda', '2026-10-01T12:00:00.000Z');
    await encenar(db.dataSource, carga, [
      { chaveFonte: 'F-1', cpf, nome: 'MARIA DA SILVA', dataNascimento: '1980-05-10', sexo: 'F' },
      { chaveFonte: 'F-2', cpf, nome: 'MARIA DE SOUZA', dataNascimento: '1980-05-10', sexo: 'F' },
    ]);
    const n = await executarFase(db.url, fundir, carga);
    expect(n).toMatchObject({ linhas: 2, cpfs: 1, pessoasCriadas: 1, linhasAplicadas: 2, linhasRecusadas: 0, revisoes: 1, identidadesNovas: 1 });

    const [p] = await q(`SELECT nome, data_nascimento::text AS nascimento, genero, versao FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ nome: 'MARIA DA SILVA', nascimento: '1980-05-10', genero: 'feminino', versao: 1 });
    expect(await valores(cpf, 'nome')).toEqual([
      { valor: 'MARIA DA SILVA', estado: 'vigente', operacao: 'insercao', fonte: 'fazenda', chave_fonte: 'F-1', versao_registro: 1, codigo: 'ACEITO' },
      { valor: 'MARIA DE SOUZA', estado: 'alternativo', operacao: 'modificacao', fonte: 'fazenda', chave_fonte: 'F-2', versao_registro: 1, codigo: 'PRECEDENCIA_INFERIOR' },
    ]);
    expect(await revisoes(cpf)).toEqual([{ campo: 'nome', codigo: 'PRECEDENCIA_INFERIOR', valor: 'MARIA DE SOUZA', fonte: 'fazenda' }]);
    // The same birth date and gênero again: no change, no provenance row.
    expect(await valores(cpf, 'dataNascimento')).toHaveLength(1);
    expect(await valores(cpf, 'genero')).toHaveLength(1);
  });

  it('a higher-precedence source later replaces nome; the old value becomes an alternative with a review item', async () => {
    const cpf = cpfAleatorio();
    const bdc = await criarCarga(db.dataSource, 'bdc', 'smads-bdc', '2026-09-01T12:00:00.000Z');
    await encenar(db.dataSource, bdc, [{ chaveFonte: 'B-1', cpf, nome: 'JOSE SANTOS', dataNascimento: '1970-01-02', sexo: 'M' }]);
    await executarFase(db.url, fundir, bdc);
    const siga = await criarCarga(db.dataSource, 'siga', 'saude-siga', '2026-08-01T12:00:00.000Z');
    await encenar(db.dataSource, siga, [{ chaveFonte: 'S-1', cpf, nome: 'JOSÉ DOS SANTOS LIMA', dataNascimento: '1970-02-01', sexo: 'M' }]);
    const n = await executarFase(db.url, fundir, siga);
    expect(n).toMatchObject({ linhas: 1, pessoasCriadas: 0, pessoasAlteradas: 1, revisoes: 2, identidadesNovas: 0 });

    const [p] = await q(`SELECT nome, data_nascimento::text AS nascimento, versao FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ nome: 'JOSÉ DOS SANTOS LIMA', nascimento: '1970-02-01', versao: 2 });
    expect(await valores(cpf, 'nome')).toEqual([
      { valor: 'JOSE SANTOS', estado: 'alternativo', operacao: 'insercao', fonte: 'smads-bdc', chave_fonte: 'B-1', versao_registro: 1, codigo: 'ACEITO' },
      { valor: 'JOSÉ DOS SANTOS LIMA', estado: 'vigente', operacao: 'modificacao', fonte: 'saude-siga', chave_fonte: 'S-1', versao_registro: 2, codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO' },
    ]);
    // One review item per replaced critical field, pointing at the value that lost.
    expect(await revisoes(cpf)).toEqual([
      { campo: 'nome', codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO', valor: 'JOSE SANTOS', fonte: 'smads-bdc' },
      { campo: 'dataNascimento', codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO', valor: '1970-01-02', fonte: 'smads-bdc' },
    ]);
    const [{ n: identidades }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM identidade WHERE cpf = $1`, [cpf]);
    expect(identidades).toBe(1);
  });

  it('contacts: the most recent observation wins; an older one is kept as an alternative without review', async () => {
    const cpf = cpfAleatorio();
    const pessoa = { cpf, nome: 'ANA LIMA', dataNascimento: '1990-03-03' };
    const a = await criarCarga(db.dataSource, 'outros', 'outras-municipais', '2026-10-01T12:00:00.000Z');
    await encenar(db.dataSource, a, [{ chaveFonte: 'O-1', ...pessoa, email: 'ana@a.com.br', telefone: '11987654321' }]);
    await executarFase(db.url, fundir, a);
    // Fazenda (higher precedence) but observed earlier: contacts follow the observation time, not precedence.
    const b = await criarCarga(db.dataSource, 'fazenda', 'fazenda', '2026-09-01T12:00:00.000Z');
    await encenar(db.dataSource, b, [{ chaveFonte: 'F-1', ...pessoa, email: 'ana@b.com.br' }]);
    await executarFase(db.url, fundir, b);
    const c = await criarCarga(db.dataSource, 'bdc', 'smads-bdc', '2026-11-01T12:00:00.000Z');
    await encenar(db.dataSource, c, [{ chaveFonte: 'B-1', ...pessoa, email: 'ana@c.com.br' }]);
    await executarFase(db.url, fundir, c);

    const [p] = await q(`SELECT emails, telefones, versao FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ emails: [{ endereco: 'ana@c.com.br', verificado: false }], telefones: [{ numero: '11987654321', tipo: 'celular', verificado: false }], versao: 2 });
    expect((await valores(cpf, 'emails')).map((v) => [v.valor, v.estado, v.fonte, v.codigo])).toEqual([
      [[{ endereco: 'ana@a.com.br', verificado: false }], 'historico', 'outras-municipais', 'ACEITO'],
      [[{ endereco: 'ana@b.com.br', verificado: false }], 'alternativo', 'fazenda', 'VALOR_MAIS_ANTIGO'],
      [[{ endereco: 'ana@c.com.br', verificado: false }], 'vigente', 'smads-bdc', 'ACEITO'],
    ]);
    expect(await revisoes(cpf)).toEqual([]);
  });

  it('a record written by a steward keeps its nome against a batch source; a record without provenance gets a legacy row', async () => {
    const cpfGestor = cpfAleatorio();
    const cpfLegado = cpfAleatorio();
    await entradaUnica({ dataSource: db.dataSource, logger: { error: () => undefined } }, {
      entidade: 'pessoa', tipo: 'criar', corpo: { cpf: cpfGestor, nome: 'Carla Dias', dataNascimento: '1985-07-07' }, ator: { tipo: 'gestor', username: 'gestora.maria', orgao: 'SMIT' },
      contexto: { ator: 'gestora.maria', cliente: null, finalidade: 'teste' },
    });
    await q(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ($1, 'PEDRO ALVES', '1960-06-06')`, [cpfLegado]);
    const carga = await criarCarga(db.dataSource, 'siga', 'saude-siga', '2026-10-01T12:00:00.000Z');
    await encenar(db.dataSource, carga, [
      { chaveFonte: 'S-1', cpf: cpfGestor, nome: 'CARLA DIAS MOURA', dataNascimento: '1985-07-07', telefone: '1133334444' },
      { chaveFonte: 'S-2', cpf: cpfLegado, nome: 'PEDRO ALVES NUNES', dataNascimento: '1960-06-06' },
    ]);
    await executarFase(db.url, fundir, carga);

    expect((await valores(cpfGestor, 'nome')).map((v) => [v.valor, v.estado, v.fonte, v.codigo])).toEqual([
      ['Carla Dias', 'vigente', 'gestor', 'ACEITO'],
      ['CARLA DIAS MOURA', 'alternativo', 'saude-siga', 'PRECEDENCIA_INFERIOR'],
    ]);
    const [g] = await q(`SELECT nome, telefones, versao FROM pessoa WHERE cpf = $1`, [cpfGestor]);
    expect(g).toEqual({ nome: 'Carla Dias', telefones: [{ numero: '1133334444', tipo: 'fixo', verificado: false }], versao: 2 });
    // The value from before provenance is recorded as 'legado', then replaced (any source outranks it).
    expect(await valores(cpfLegado, 'nome')).toEqual([
      { valor: 'PEDRO ALVES', estado: 'alternativo', operacao: 'insercao', fonte: 'legado', chave_fonte: null, versao_registro: 1, codigo: 'LEGADO' },
      { valor: 'PEDRO ALVES NUNES', estado: 'vigente', operacao: 'modificacao', fonte: 'saude-siga', chave_fonte: 'S-2', versao_registro: 2, codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO' },
    ]);
    expect(await revisoes(cpfLegado)).toEqual([{ campo: 'nome', codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO', valor: 'PEDRO ALVES', fonte: 'legado' }]);
  });
});

describe('rows refused as a whole', () => {
  it('creation without a birth date is refused; the next row of the CPF creates the record; the refusal is in the row', async () => {
    const cpf = cpfAleatorio();
    const carga = await criarCarga(db.dataSource, 'eol', 'educacao-eol', '2026-10-01T12:00:00.000Z');
    await encenar(db.dataSource, carga, [
      { chaveFonte: 'E-1', cpf, nome: 'LUCAS PEREIRA', dataNascimento: null, email: 'lucas@x.com.br' },
      { chaveFonte: 'E-2', cpf, nome: 'LUCAS PEREIRA', dataNascimento: '2030-01-01' },
      { chaveFonte: 'E-3', cpf, nome: 'LUCAS PEREIRA', dataNascimento: '2012-04-04' },
    ]);
    const n = await executarFase(db.url, fundir, carga);
    expect(n).toMatchObject({ linhas: 3, linhasAplicadas: 1, linhasRecusadas: 2, recusadasCamposObrigatorios: 2, pessoasCriadas: 1 });
    const [p] = await q(`SELECT nome, data_nascimento::text AS nascimento, emails FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ nome: 'LUCAS PEREIRA', nascimento: '2012-04-04', emails: [] });
    const linhas = await q(`SELECT chave_fonte, vinculo, identidade_id = (SELECT id FROM identidade WHERE cpf = $2) AS da_identidade, problemas
      FROM carga_staging WHERE carga_id = $1 ORDER BY linha`, [carga.id, cpf]);
    expect(linhas).toEqual([
      { chave_fonte: 'E-1', vinculo: 'cpf', da_identidade: true, problemas: [{ campo: 'dataNascimento', codigo: 'linha-recusada', valor: 'dataNascimento é obrigatória' }] },
      { chave_fonte: 'E-2', vinculo: 'cpf', da_identidade: true, problemas: [{ campo: 'dataNascimento', codigo: 'linha-recusada', valor: 'dataNascimento é obrigatória' }] },
      { chave_fonte: 'E-3', vinculo: 'cpf', da_identidade: true, problemas: null },
    ]);
  });

  it('a child row whose mother (in the same load) was born after the child is refused only once the mother exists', async () => {
    // The mother's CPF sorts after her children's: CPF order is not the order the rows must be applied in.
    const [filho, outroFilho, mae] = [cpfAleatorio(), cpfAleatorio(), cpfAleatorio()].sort();
    const carga = await criarCarga(db.dataSource, 'siga', 'saude-siga', '2026-10-01T12:00:00.000Z');
    await encenar(db.dataSource, carga, [
      // Line 1: the mother has no record yet, so nothing to compare with: accepted (as entradaUnica would).
      { chaveFonte: 'S-1', cpf: filho, nome: 'RAFAEL COSTA', dataNascimento: '1990-01-01', cpfMae: mae },
      { chaveFonte: 'S-2', cpf: mae, nome: 'JULIA COSTA', dataNascimento: '1995-01-01' },
      // Line 3: the mother now exists and was born after him: refused.
      { chaveFonte: 'S-3', cpf: outroFilho, nome: 'BRUNO COSTA', dataNascimento: '1991-01-01', cpfMae: mae },
    ]);
    const n = await executarFase(db.url, fundir, carga);
    expect(n).toMatchObject({ linhas: 3, pessoasCriadas: 2, linhasRecusadas: 1, recusadasRegistroInconsistente: 1 });
    expect((await q(`SELECT cpf FROM pessoa WHERE cpf = ANY($1) ORDER BY cpf`, [[mae, filho, outroFilho]])).map((r) => r['cpf'])).toEqual([mae, filho].sort());
    const [recusada] = await q(`SELECT problemas FROM carga_staging WHERE carga_id = $1 AND chave_fonte = 'S-3'`, [carga.id]);
    expect(recusada['problemas']).toEqual([{ campo: 'cpfMae', codigo: 'linha-recusada', valor: 'A mãe (nascimento 1995-01-01) deve ter nascido antes da pessoa (1991-01-01)' }]);
  });
});

describe('identities, audit and levels', () => {
  it('reuses an existing identity, adopts a pendente one, follows a steward merge, creates the others; one audit row for the phase', async () => {
    const [existente, adotada, nova, fundida] = [cpfAleatorio(), cpfAleatorio(), cpfAleatorio(), cpfAleatorio()];
    const [{ id: idExistente }] = await q<{ id: string }>(`INSERT INTO identidade (cpf) VALUES ($1) RETURNING id::text AS id`, [existente]);
    const [{ id: idPendente }] = await q<{ id: string }>(`INSERT INTO identidade (situacao) VALUES ('pendente') RETURNING id::text AS id`);
    // A steward merged this CPF's identity into another one: its rows follow the survivor.
    const [{ id: idSobrevivente }] = await q<{ id: string }>(`INSERT INTO identidade (situacao) VALUES ('pendente') RETURNING id::text AS id`);
    await q(`INSERT INTO identidade (cpf, situacao, fundida_em) VALUES ($1, 'fundida', $2)`, [fundida, idSobrevivente]);
    const carga = await criarCarga(db.dataSource, 'bdc', 'smads-bdc', '2026-10-01T12:00:00.000Z');
    const pessoa = { nome: 'IRIS MOTA', dataNascimento: '2000-01-01' };
    await encenar(db.dataSource, carga, [
      { chaveFonte: 'B-1', cpf: existente, ...pessoa },
      { chaveFonte: 'B-2', cpf: adotada, ...pessoa, identidadeId: idPendente },
      { chaveFonte: 'B-3', cpf: nova, ...pessoa },
      { chaveFonte: 'B-5', cpf: fundida, ...pessoa },
      // A row whose CPF is another person's is left for matching: not merged, not touched.
      { chaveFonte: 'B-4', cpf: nova, nome: 'CRIANCA MOTA', dataNascimento: '2020-01-01', cpfDeOutraPessoa: true },
    ]);
    const antes = await q<{ n: number }>(`SELECT count(*)::int AS n FROM auditoria`);
    const n = await executarFase(db.url, fundir, carga);
    expect(n).toMatchObject({ linhas: 4, cpfs: 4, identidadesNovas: 1, identidadesAdotadas: 1, pessoasCriadas: 4 });

    const ids = await q<{ cpf: string; id: string; situacao: string; carga_id: string | null }>(
      `SELECT cpf, id::text AS id, situacao, carga_id::text AS carga_id FROM identidade WHERE cpf = ANY($1)`, [[existente, adotada, nova]]);
    const porCpf = new Map(ids.map((i) => [i.cpf, i]));
    expect(porCpf.get(existente)).toMatchObject({ id: idExistente, situacao: 'ativa', carga_id: null });
    expect(porCpf.get(adotada)).toMatchObject({ id: idPendente, situacao: 'ativa', carga_id: null });
    expect(porCpf.get(nova)).toMatchObject({ situacao: 'ativa', carga_id: carga.id });
    const staging = await q(`SELECT chave_fonte, identidade_id::text AS identidade_id, vinculo FROM carga_staging WHERE carga_id = $1 ORDER BY linha`, [carga.id]);
    expect(staging).toEqual([
      { chave_fonte: 'B-1', identidade_id: idExistente, vinculo: 'cpf' },
      { chave_fonte: 'B-2', identidade_id: idPendente, vinculo: 'cpf' },
      { chave_fonte: 'B-3', identidade_id: porCpf.get(nova)!.id, vinculo: 'cpf' },
      { chave_fonte: 'B-5', identidade_id: idSobrevivente, vinculo: 'cpf' },
      { chave_fonte: 'B-4', identidade_id: null, vinculo: null },
    ]);

    const auditoria = await q(`SELECT ator, acao, pessoa_cpf, campos, finalidade, detalhe->>'carga' AS carga, (detalhe->>'pessoasCriadas')::int AS criadas
      FROM auditoria ORDER BY id OFFSET $1`, [antes[0].n]);
    expect(auditoria).toEqual([
      { ator: 'teste', acao: 'carga.fundida', pessoa_cpf: null, campos: ['cpf', 'data_nascimento', 'nome'], finalidade: 'carga-em-lote', carga: carga.id, criadas: 4 },
    ]);
  });

  it('a death from SIRC on a record with a linked account drops its level (3 → 1) in the same transaction', async () => {
    const cpf = cpfAleatorio();
    await q(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ($1, 'RITA LOPES', '1950-01-01')`, [cpf]);
    const conta = randomUUID();
    await q(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca, nivel_versao) VALUES ($1, $2, $3, $3, 3, 1)`, [conta, cpf, cpf]);
    await q(`INSERT INTO evidencia (conta_id, tipo, pessoa_cpf, registrado_por) VALUES ($1, 'vinculo-confirmado-gestor', $2, 'gestora.maria')`, [conta, cpf]);
    const matricula = '12345678901234567890123456789012';
    const carga = await criarCarga(db.dataSource, 'sirc', 'sirc', '2026-11-10T12:00:00.000Z');
    await encenar(db.dataSource, carga, [{ chaveFonte: matricula, cpf, nome: 'RITA LOPES', dataNascimento: '1950-01-01', obito: true, dataObito: '2026-11-01' }]);
    const n = await executarFase(db.url, fundir, carga);
    expect(n).toMatchObject({ contasRecalculadas: 1, niveisAlterados: 1 });
    const [p] = await q(`SELECT obito, obito_registro FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ obito: true, obito_registro: { data: '2026-11-01', fonte: 'sirc', certidao: matricula } });
    const [c] = await q(`SELECT nivel_confianca, nivel_versao FROM conta WHERE keycloak_user_id = $1`, [conta]);
    expect(c).toEqual({ nivel_confianca: 1, nivel_versao: 2 });
  });

  it('a load that changes the e-mail of a record tied to an account writes that account\'s outbox row perfil (its name and e-mail in Keycloak come from the record)', async () => {
    const cpf = cpfAleatorio();
    const outro = cpfAleatorio();
    await q(`INSERT INTO pessoa (cpf, nome, data_nascimento) VALUES ($1, 'LUCAS PRADO', '1985-03-04'), ($2, 'TIAGO PRADO', '1986-03-04')`, [cpf, outro]);
    const conta = randomUUID();
    await q(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca, nivel_versao) VALUES ($1, $2, $3, $3, 3, 4)`, [conta, cpf, cpf]);
    const carga = await criarCarga(db.dataSource, 'fazenda', 'fazenda', '2026-11-10T12:00:00.000Z');
    await encenar(db.dataSource, carga, [
      { chaveFonte: 'f-1', cpf, nome: 'LUCAS PRADO', dataNascimento: '1985-03-04', email: 'lucas.prado@exemplo.test' },
      { chaveFonte: 'f-2', cpf: outro, nome: 'TIAGO PRADO', dataNascimento: '1986-03-04', email: 'tiago.prado@exemplo.test' },
    ]);
    await executarFase(db.url, fundir, carga);
    expect(await q(`SELECT conta_id::text AS conta, versao, motivo, situacao FROM sincronizacao_saida WHERE conta_id = $1`, [conta]))
      .toEqual([{ conta, versao: 4, motivo: 'perfil', situacao: 'pendente' }]);
    // the record without an account gets none
    expect(await q(`SELECT count(*)::int AS n FROM sincronizacao_saida s JOIN conta c ON c.keycloak_user_id = s.conta_id WHERE c.pessoa_cpf = $1`, [outro])).toEqual([{ n: 0 }]);
  });
});

