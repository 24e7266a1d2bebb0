/**
 * Forms of address and agnomes in names, through the whole load on real PostgreSQL, on hand-written rows:
 *
 * - JOSÉ CARLOS DA SILVA JÚNIOR has his CPF; a row without CPF writes JOSE CARLOS DA SILVA JR, another leaves the
 *   agnome out (JOSÉ CARLOS SILVA, as systems that cut long names do), each with his mother's name and phone: both are his — not his
 *   father's, JOSE CARLOS DA SILVA, whose CPF row is in the base too (another birth date).
 * - ROBERTA MENDES CASTRO has her CPF; a row without CPF reads `Dra. Roberta Mendes Castro`, with her mother's name and
 *   phone: hers.
 * - The golden record: later rows of a CPF writing its name with JR, without the agnome or with a form of address are
 *   the same name — no review item, the fuller form is the record's name (PMCC name variants, `variantes-nome.ts`); a
 *   form of address never reaches the record (`linhaParaCorpo`): SR. PAULO ROBERTO LIMA's record is PAULO ROBERTO
 *   LIMA, and his later row so written adds nothing.
 * - Controls: a son's row (JOSE CARLOS DA SILVA FILHO, the father's birth date is not his) does not go to the father;
 *   twins' names are still told apart (MARIA JULIANA/MARIA, with an agnome-free surname list).
 *
 * 2,400 filler persons with their CPF make the base large enough for the model (see `carga-preenchimento.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CABECALHO, FILLERS, filler, mapeamentoDeTeste } from '../../../../test/support/carga-preenchimento.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { cpfAleatorio } from '../../../test/helpers/cpfs.js';
import { executarCarga } from '../executar-carga.js';

usarRelogioDosTestes();

let db: TestDatabase;
let dir = '';
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);
interface Linha { identidade_id: string | null; vinculo: string; sobrenomes: string | null; prenome: string | null }
const linha = async (fonte: string, chave: string) =>
  (await q<Linha>(
    `SELECT identidade_id::text, vinculo, comparacoes#>>'{campos,sobrenomes,nivel}' AS sobrenomes, comparacoes#>>'{campos,prenome,nivel}' AS prenome
       FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`,
    [fonte, chave],
  ))[0];

const CPF_JUNIOR = cpfAleatorio();
const CPF_PAI = cpfAleatorio();
const CPF_ROBERTA = cpfAleatorio();
const CPF_JULIANA = cpfAleatorio();
const CPF_PAULO = cpfAleatorio();

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-agnomes-'));
  await writeFile(join(dir, 'agnome-a.yaml'), mapeamentoDeTeste('agnome-a', 'Fonte escrita à mão para os testes de tratamentos e agnomes'));
  await writeFile(join(dir, 'agnome-b.yaml'), mapeamentoDeTeste('agnome-b', 'Fonte escrita à mão para os testes de tratamentos e agnomes'));
  await writeFile(join(dir, 'agnome-c.yaml'), mapeamentoDeTeste('agnome-c', 'Fonte escrita à mão para os testes de tratamentos e agnomes'));
  const fillers = Array.from({ length: FILLERS }, (_, i) => filler(i, cpfAleatorio()));
  await writeFile(join(dir, 'a.csv'), `${[
    CABECALHO,
    ...fillers,
    `A-JUNIOR;${CPF_JUNIOR};JOSÉ CARLOS DA SILVA JÚNIOR;14/02/1979;M;ANA PAULA FERREIRA SILVA;;11955551234;SAO PAULO`,
    `A-PAI;${CPF_PAI};JOSE CARLOS DA SILVA;20/06/1950;M;LUIZA MARTINS SILVA;;1132221000;SAO PAULO`,
    `A-ROBERTA;${CPF_ROBERTA};ROBERTA MENDES CASTRO;05/11/1988;F;HELENA DUARTE MENDES;;11977772222;SAO PAULO`,
    `A-PAULO;${CPF_PAULO};SR. PAULO ROBERTO LIMA;30/01/1961;M;;;;SAO PAULO`,
    `A-JULIANA;${CPF_JULIANA};MARIA JULIANA TORRES NETO;17/08/2016;F;CRISTINA TORRES NETO;;11966660000;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'b.csv'), `${[
    CABECALHO,
    'B-JR;;JOSE CARLOS DA SILVA JR;14/02/1979;M;ANA PAULA FERREIRA SILVA;;11955551234;SAO PAULO',
    'B-DRA;;Dra. Roberta Mendes Castro;05/11/1988;F;HELENA DUARTE MENDES;;11977772222;SAO PAULO',
    // the son of JOSE CARLOS DA SILVA (born 1950), not the JÚNIOR above: his own birth date, his own mother
    'B-FILHO;;JOSE CARLOS DA SILVA FILHO;03/09/1983;M;MARTA REGINA COSTA;;;SAO PAULO',
    // MARIA JULIANA's twin sister: one mother, one birthday, one phone, a given name less — not a dropped agnome
    'B-GEMEA;;MARIA TORRES NETO;17/08/2016;F;CRISTINA TORRES NETO;;11966660000;SAO PAULO',
  ].join('\n')}\n`);
  // another source (one source's two rows of one mother and birthday could be twins: see the twin guards)
  await writeFile(join(dir, 'c.csv'), `${CABECALHO}\nC-SEM-AGNOME;;JOSÉ CARLOS SILVA;14/02/1979;M;ANA PAULA FERREIRA SILVA;;11955551234;SAO PAULO\n`);
  // the CPFs' own rows in a fourth source, their names written another way
  await writeFile(join(dir, 'agnome-d.yaml'), mapeamentoDeTeste('agnome-d', 'Fonte escrita à mão para os testes de tratamentos e agnomes'));
  await writeFile(join(dir, 'd.csv'), `${[
    CABECALHO,
    `D-JUNIOR;${CPF_JUNIOR};JOSE CARLOS DA SILVA JR;14/02/1979;M;ANA PAULA FERREIRA SILVA;;;SAO PAULO`,
    `D-PAI;${CPF_PAI};DR JOSE CARLOS DA SILVA;20/06/1950;M;LUIZA MARTINS SILVA;;;SAO PAULO`,
    `D-ROBERTA;${CPF_ROBERTA};DRA. ROBERTA MENDES CASTRO;05/11/1988;F;HELENA DUARTE MENDES;;;SAO PAULO`,
    `D-PAULO;${CPF_PAULO};PAULO ROBERTO LIMA;30/01/1961;M;;;;SAO PAULO`,
  ].join('\n')}\n`);
  for (const [fonte, arquivo] of [['agnome-a', 'a.csv'], ['agnome-b', 'b.csv'], ['agnome-c', 'c.csv'], ['agnome-d', 'd.csv']]) {
    await executarCarga(db.dataSource, { fonte, arquivo: join(dir, arquivo), fontesDir: dir, iniciadaPor: 'teste' }, { linhasPorLote: 1000 });
  }
}, 240_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const identidadeDoCpf = async (cpf: string) => (await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [cpf]))[0].id;

describe('agnomes', () => {
  it('JR written for JÚNIOR: the row links to him, the surnames compared as equal', async () => {
    expect(await linha('agnome-b', 'B-JR')).toEqual({ identidade_id: await identidadeDoCpf(CPF_JUNIOR), vinculo: 'probabilistico', sobrenomes: 'igual', prenome: 'igual' });
  });

  it('the agnome left out: the row is still his, not his father\'s', async () => {
    expect(await linha('agnome-c', 'C-SEM-AGNOME')).toEqual({ identidade_id: await identidadeDoCpf(CPF_JUNIOR), vinculo: 'probabilistico', sobrenomes: 'igual', prenome: 'igual' });
  });

  it('a son named after his father (FILHO) is not linked to the father: another birth date', async () => {
    const filho = await linha('agnome-b', 'B-FILHO');
    expect(filho.vinculo).toBe('novo');
    expect([await identidadeDoCpf(CPF_PAI), await identidadeDoCpf(CPF_JUNIOR)]).not.toContain(filho.identidade_id);
  });

  it('a twin whose name lacks her sister\'s second given name is not taken for her (NETO, a surname there, is no agnome)', async () => {
    const gemea = await linha('agnome-b', 'B-GEMEA');
    expect(gemea.vinculo).toBe('revisao');
    expect(gemea.identidade_id).not.toBe(await identidadeDoCpf(CPF_JULIANA));
  });
});

describe('forms of address', () => {
  it('`Dra.` before the name is no given name: the row links to ROBERTA MENDES CASTRO', async () => {
    expect(await linha('agnome-b', 'B-DRA')).toEqual({ identidade_id: await identidadeDoCpf(CPF_ROBERTA), vinculo: 'probabilistico', sobrenomes: 'igual', prenome: 'igual' });
  });

  it('the name as the source wrote it is kept in the row; only the comparison key drops the form of address', async () => {
    expect(await q(`SELECT nome, nome_chave FROM linha_carga WHERE fonte = 'agnome-b' AND chave_fonte IN ('B-DRA', 'B-JR') ORDER BY chave_fonte`)).toEqual([
      { nome: 'DRA. ROBERTA MENDES CASTRO', nome_chave: 'ROBERTA MENDES CASTRO' },
      { nome: 'JOSE CARLOS DA SILVA JR', nome_chave: 'JOSE CARLOS SILVA JUNIOR' },
    ]);
  });
});

describe('the golden record (PMCC name variants)', () => {
  it('JR, a form of address or no agnome in a CPF\'s later row: the same name, no review item', async () => {
    const cpfs = [CPF_JUNIOR, CPF_PAI, CPF_ROBERTA, CPF_PAULO];
    expect(await q(`SELECT cpf, nome FROM pessoa WHERE cpf = ANY($1) ORDER BY nome COLLATE "C"`, [cpfs])).toEqual([
      { cpf: CPF_PAI, nome: 'JOSE CARLOS DA SILVA' },
      { cpf: CPF_JUNIOR, nome: 'JOSÉ CARLOS DA SILVA JÚNIOR' },
      { cpf: CPF_PAULO, nome: 'PAULO ROBERTO LIMA' },
      { cpf: CPF_ROBERTA, nome: 'ROBERTA MENDES CASTRO' },
    ]);
    expect(await q(`SELECT chave, campo FROM revisao WHERE entidade = 'pessoa' AND chave = ANY($1)`, [cpfs])).toEqual([]);
  });

  it('the other forms are kept as alternatives, with their source; a form of address is not written', async () => {
    expect(await q(
      `SELECT chave, valor #>> '{}' AS valor, estado, chave_fonte FROM valor_campo WHERE entidade = 'pessoa' AND campo = 'nome' AND chave = ANY($1) ORDER BY chave_fonte COLLATE "C"`,
      [[CPF_JUNIOR, CPF_PAULO, CPF_ROBERTA]],
    )).toEqual([
      { chave: CPF_JUNIOR, valor: 'JOSÉ CARLOS DA SILVA JÚNIOR', estado: 'vigente', chave_fonte: 'A-JUNIOR' },
      { chave: CPF_PAULO, valor: 'PAULO ROBERTO LIMA', estado: 'vigente', chave_fonte: 'A-PAULO' },
      { chave: CPF_ROBERTA, valor: 'ROBERTA MENDES CASTRO', estado: 'vigente', chave_fonte: 'A-ROBERTA' },
      { chave: CPF_JUNIOR, valor: 'JOSE CARLOS DA SILVA JR', estado: 'alternativo', chave_fonte: 'D-JUNIOR' },
    ]);
  });
});
