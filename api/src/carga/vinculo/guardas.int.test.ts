/**
 * The guards against merging twins and homonyms, through the whole load on real PostgreSQL, on hand-written rows: the
 * two cases a load of 300,000 generated persons (seed 29) merged, each on the path it took, plus the same paths
 * taking a person's own rows (adoption, a link: the guards are what keeps the cases apart, not a path that never
 * links).
 *
 * - Twins, adoption: MARIA DÉBORA ALMEIDA SOUZA's row reads MARTA ALMEIDA SOUZA (middle name dropped, a typo), without
 *   CPF: a new `pendente`. Her twin MARIA ALMEIDA SOUZA's new CPF must not adopt it.
 * - Twins in one source: two rows of one source, one mother and birthday, with one name (a twin's middle name dropped:
 *   LUCAS [JOSE] COSTA FERNANDES) are not clustered; the seed-31 load linked such a row into the other twin.
 * - Twins, link: KAUA NUNES PRADO has his CPF; a row without CPF of KAUE NUNES PRADO, one mother and birthday (and
 *   the household's phone), must not link to him: names a vowel apart are one phonetic code, not one name.
 * - Homonyms, adoption: LUIZ SANTOS MOREIRA, mother MARIA SANTOS SANTOS, without CPF; another LUIZ SANTOS MOREIRA born
 *   the same day, mother MARIA DE ANDRADE SANTOS, brings a new CPF. Once SANTOS (the child's) is set aside the mothers
 *   share only MARIA: nothing but the name and the birth date agree, which never adopts.
 *
 * - A child's row carrying her mother's CPF (no mother's CPF column to say so): MARIA SILVA GONCALVES born 2024-05-03,
 *   mother MARIA BEATRIZ OLIVEIRA SILVA, with the CPF of MARIA BEATRIZ OLIVEIRA SILVA born 1982-05-03 — one first name,
 *   one date field apart, so the CPF's rows were taken for one person and the child merged into her mother; and the
 *   same with the mother's name written without the married name her own row appends (1 M persons, seed 29).
 *
 * - A daughter born on her mother's birthday 20 years later, carrying her CPF, whose row names her mother MARIA NUNES
 *   NUNES while the mother's own row has her married name, MARIA NUNES MENDES — the daughter's name (300,000 persons,
 *   seed 101): years a generation apart under one CPF are two persons.
 *
 * - Twins whose rows both carry their mother's CPF, each with her own CPF in other rows (1 M persons, seed 83): MARIA
 *   CAMILA DO MARTINS BRAGANCA's row in the first load and MARIA DO MARTINS BRAGANCA's in the second carry the
 *   mother's CPF, the mother's own row not loaded; under that CPF they read as one person with a given name dropped.
 *   Each reads exactly as a row of her own CPF: the second is set apart from that CPF (held for review naming both twins). And the same
 *   shape on a person's own CPF: JOSE PEDRO DOS SANTOS FERREIRA's own row written without PEDRO reads exactly as
 *   his twin JOSE's row, but no row of his CPF reads as another CPF's: it stays his. Nor is a CPF whose rows read as
 *   one other CPF only: HELOISA's two rows of her own CPF, her name written two ways, each read as one of her rows
 *   carrying her mother's CPF (300,000 persons, seed 101, took her second own row away before the rule asked for two).
 *
 * 2,400 filler persons with their CPF make the base large enough that a name seen once is no established first name
 * (MARTA, KAUE: a typo's level, `parecido`), as in a real base.
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
const identidade = async (fonte: string, chave: string) =>
  (await q<{ identidade_id: string | null }>(`SELECT identidade_id::text FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [fonte, chave]))[0].identidade_id;


const CPF_MAE_TWINS = cpfAleatorio();
const CPF_TWIN_MARIA = cpfAleatorio();
const CPF_LUIZ_ANDRADE = cpfAleatorio();
const CPF_CLARA = cpfAleatorio();
const CPF_KAUA = cpfAleatorio();
const CPF_BEATRIZ = cpfAleatorio();
const CPF_MARIA_M = cpfAleatorio();
const CPF_MARIA_N = cpfAleatorio();
const CPF_MAE_BRAGANCA = cpfAleatorio();
const CPF_MARIA_CAMILA = cpfAleatorio();
const CPF_MARIA_B = cpfAleatorio();
const CPF_JOSE_PEDRO = cpfAleatorio();
const CPF_JOSE = cpfAleatorio();
const CPF_MAE_HELOISA = cpfAleatorio();
const CPF_HELOISA = cpfAleatorio();

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-guardas-'));
  await writeFile(join(dir, 'guarda-a.yaml'), mapeamentoDeTeste('guarda-a', 'Fonte escrita à mão para os testes das guardas do vínculo'));
  await writeFile(join(dir, 'guarda-b.yaml'), mapeamentoDeTeste('guarda-b', 'Fonte escrita à mão para os testes das guardas do vínculo'));
  const fillers = Array.from({ length: FILLERS }, (_, i) => filler(i, cpfAleatorio()));
  await writeFile(join(dir, 'a.csv'), `${[
    CABECALHO,
    ...fillers,
    // twins, adoption: MARIA DÉBORA's row as written (no CPF, the mother's CPF)
    `A-MARTA;;MARTA ALMEIDA SOUZA;12/10/2022;F;JULIA MOREIRA ALMEIDA;${CPF_MAE_TWINS};;SAO PAULO`,
    // twins, link: KAUA with his CPF
    `A-KAUA;${CPF_KAUA};KAUA NUNES PRADO;03/07/2019;M;SIMONE REGO NUNES;;11955554444;SAO PAULO`,
    // homonyms, adoption: the first LUIZ, without CPF
    'A-LUIZ;;LUIZ SANTOS MOREIRA;16/03/2022;M;MARIA SANTOS SANTOS;;;SAO PAULO',
    // the mothers, with their CPFs (the second with her married name appended)
    `A-BEATRIZ;${CPF_BEATRIZ};MARIA BEATRIZ OLIVEIRA SILVA;03/05/1982;F;ANA ARAUJO OLIVEIRA;;;SAO PAULO`,
    `A-MARIA-M;${CPF_MARIA_M};MARIA SILVA FERNANDES MACHADO;11/03/1991;F;;;;SAO PAULO`,
    // control: one person without CPF now, with her CPF in the next load (adoption takes her)
    'A-CLARA;;CLARA REIS TEIXEIRA;21/09/2015;F;ROSA PEREIRA REIS;;;SAO PAULO',
    // twins, clustering: one source's two rows of one mother and birthday, the same name as written (one twin's
    // middle name dropped) — or a duplicate: the source cannot say, and they are not clustered
    'A-LUCAS-1;;LUCAS COSTA FERNANDES;29/05/2022;M;MARCIA FERREIRA COSTA;;;SAO PAULO',
    'A-LUCAS-2;;LUCAS COSTA FERNANDES;29/05/2022;M;MARCIA FERREIRA COSTA;;;SAO PAULO',
    // twins carrying their mother's CPF: the first one's row with it, the second one's own row
    `A-CAMILA-MAE;${CPF_MAE_BRAGANCA};MARIA CAMILA DO MARTINS BRAGANCA;20/02/2024;F;ANA DE SILVA DO MARTINS;;;SAO PAULO`,
    `A-MARIA-B;${CPF_MARIA_B};MARIA DO MARTINS BRAGANCA;20/02/2024;F;ANA DE SILVA DO MARTINS;;;GUARULHOS`,
    // twins with their own CPFs
    `A-JOSE-PEDRO;${CPF_JOSE_PEDRO};JOSE PEDRO DOS SANTOS FERREIRA;08/09/2019;M;JULIA MARIA PINTO DOS SANTOS;;;SAO PAULO`,
    `A-JOSE;${CPF_JOSE};JOSE DOS SANTOS FERREIRA;08/09/2019;M;JULIA MARIA PINTO DOS SANTOS;;;SAO PAULO`,
    // one girl: two rows with her mother's CPF (her name written two ways), one of her own
    `A-HELOISA-MAE-1;${CPF_MAE_HELOISA};HELOISA MARIA DA BATISTA RODRIGUES;09/02/2017;F;MARIA ANDRADE DA BATISTA;;;SAO PAULO`,
    `A-HELOISA-MAE-2;${CPF_MAE_HELOISA};HELOISA DA BATISTA RODRIGUES;09/02/2017;F;MARIA ANDRADE DA BATISTA;;;SAO PAULO`,
    `A-HELOISA;${CPF_HELOISA};HELOISA DA BATISTA RODRIGUES;09/02/2017;F;MARIA ANDRADE DA BATISTA;;;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'b.csv'), `${[
    CABECALHO,
    `B-MARIA;${CPF_TWIN_MARIA};MARIA ALMEIDA SOUZA;12/10/2022;F;JULIA MOREIRA ALMEIDA;;11999332033;SAO PAULO`,
    `B-LUIZ;${CPF_LUIZ_ANDRADE};LUIZ SANTOS MOREIRA;16/03/2022;M;MARIA DE ANDRADE SANTOS;;1129117265;SAO PAULO`,
    `B-MARIA-FILHA-2;${CPF_MARIA_M};MARIA FERNANDES MACHADO;11/03/2013;F;MARIA SILVA FERNANDES;;;SAO PAULO`,
    `B-MARIA-FILHA;${CPF_BEATRIZ};MARIA SILVA GONCALVES;03/05/2024;F;MARIA BEATRIZ OLIVEIRA SILVA;;;SAO PAULO`,
    // control: KAUA's own row without CPF links to him
    'B-KAUA;;KAUA NUNES PRADO;03/07/2019;M;SIMONE REGO NUNES;;11955554444;SAO PAULO',
    'B-KAUE;;KAUE NUNES PRADO;03/07/2019;M;SIMONE REGO NUNES;;11955554444;SAO PAULO',
    `B-CLARA;${CPF_CLARA};CLARA REIS TEIXEIRA;21/09/2015;F;ROSA PEREIRA REIS;;11987650000;SAO PAULO`,
    // a mother (her married name: MENDES for NUNES) and her daughter born on her birthday 20 years later, carrying her CPF
    `B-MARIA-N;${CPF_MARIA_N};MARIA NUNES MENDES;09/03/2004;F;LUCIANA DA VIEIRA NUNES;;;SAO PAULO`,
    `B-MARIA-N-FILHA;${CPF_MARIA_N};MARIA N MENDES;09/03/2024;F;MARIA NUNES NUNES;;;SAO PAULO`,
    // the first twin's own row; the second twin's row with her mother's CPF
    `B-MARIA-CAMILA;${CPF_MARIA_CAMILA};MARIA CAMILA DO MARTINS BRAGANCA;20/02/2024;F;ANA DE SILVA DO MARTINS;;;SAO PAULO`,
    `B-MARIA-B-MAE;${CPF_MAE_BRAGANCA};MARIA DO MARTINS BRAGANCA;20/02/2024;F;ANA DE SILVA DO MARTINS;;;GUARULHOS`,
    // JOSE PEDRO's own CPF, his name written without PEDRO: his twin's name
    `B-JOSE-PEDRO;${CPF_JOSE_PEDRO};JOSE DOS SANTOS FERREIRA;08/09/2019;M;JULIA MARIA PINTO DOS SANTOS;;;SAO PAULO`,
    // her own CPF again, her name written the other way
    `B-HELOISA;${CPF_HELOISA};HELOISA MARIA DA BATISTA RODRIGUES;09/02/2017;F;MARIA ANDRADE DA BATISTA;;;SAO PAULO`,
  ].join('\n')}\n`);
  for (const [fonte, arquivo] of [['guarda-a', 'a.csv'], ['guarda-b', 'b.csv']]) {
    await executarCarga(db.dataSource, { fonte, arquivo: join(dir, arquivo), fontesDir: dir, iniciadaPor: 'teste' }, { linhasPorLote: 1000 });
  }
}, 240_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('twins', () => {
  it('a twin\'s new CPF does not adopt the pendente of her sister\'s row whose given name a typo puts a letter away', async () => {
    const marta = await identidade('guarda-a', 'A-MARTA');
    const maria = await identidade('guarda-b', 'B-MARIA');
    expect(marta).not.toBeNull();
    expect(maria).not.toBe(marta);
    expect(await q(`SELECT situacao, cpf FROM identidade WHERE id = $1`, [marta])).toEqual([{ situacao: 'pendente', cpf: null }]);
    expect(await q(`SELECT situacao, cpf FROM identidade WHERE id = $1`, [maria])).toEqual([{ situacao: 'ativa', cpf: CPF_TWIN_MARIA }]);
  });

  it('a row without CPF of KAUE, one mother and birthday, does not link to KAUA: a review item names him', async () => {
    const kaua = await identidade('guarda-a', 'A-KAUA');
    expect(await q(`SELECT vinculo, comparacoes->>'motivo' AS motivo, identidade_id::text <> $1 AS outra FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-KAUE'`, [kaua]))
      .toEqual([{ vinculo: 'revisao', motivo: 'gemeos', outra: true }]);
    expect(await q(`SELECT identidade_candidata::text AS candidata FROM revisao_vinculo WHERE fonte = 'guarda-b' AND chave_fonte = 'B-KAUE'`)).toEqual([{ candidata: kaua }]);
  });
});

describe('twins in one source', () => {
  it('two rows of one source, one mother and birthday, are not clustered even with one name', async () => {
    const a = await identidade('guarda-a', 'A-LUCAS-1');
    const b = await identidade('guarda-a', 'A-LUCAS-2');
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
  });
});

describe('homonyms', () => {
  it('a new CPF whose row shares only the name, the birth date and the mother\'s given name does not adopt the other LUIZ', async () => {
    const luiz = await identidade('guarda-a', 'A-LUIZ');
    const outro = await identidade('guarda-b', 'B-LUIZ');
    expect(luiz).not.toBeNull();
    expect(outro).not.toBe(luiz);
    expect(await q(`SELECT situacao, cpf FROM identidade WHERE id = $1`, [luiz])).toEqual([{ situacao: 'pendente', cpf: null }]);
  });
});

describe('a child\'s row with her mother\'s CPF', () => {
  it('is set apart (cpf_de_outra_pessoa) and does not join her mother\'s golden id', async () => {
    const mae = await identidade('guarda-a', 'A-BEATRIZ');
    expect(await q(`SELECT cpf_de_outra_pessoa, identidade_id::text = $1 AS na_mae FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-MARIA-FILHA'`, [mae]))
      .toEqual([{ cpf_de_outra_pessoa: true, na_mae: false }]);
  });

  it('also when the child\'s row writes her mother\'s name without the married name the mother\'s row appends', async () => {
    const mae = await identidade('guarda-a', 'A-MARIA-M');
    expect(await q(`SELECT cpf_de_outra_pessoa, identidade_id::text = $1 AS na_mae FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-MARIA-FILHA-2'`, [mae]))
      .toEqual([{ cpf_de_outra_pessoa: true, na_mae: false }]);
  });
});

describe('a daughter born on her mother\'s birthday, a generation later (300,000 persons, seed 101)', () => {
  it('her row with her mother\'s CPF is set apart, though the mother\'s row, with her married name, names her as the daughter\'s row names herself', async () => {
    const mae = await identidade('guarda-b', 'B-MARIA-N');
    expect(await q(`SELECT cpf FROM identidade WHERE id = $1`, [mae])).toEqual([{ cpf: CPF_MARIA_N }]);
    expect(await q(`SELECT cpf_de_outra_pessoa, identidade_id::text = $1 AS na_mae FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-MARIA-N-FILHA'`, [mae]))
      .toEqual([{ cpf_de_outra_pessoa: true, na_mae: false }]);
  });
});

describe('twins whose rows both carry their mother\'s CPF (1,000,000 persons, seed 83)', () => {
  it('the second twin\'s row with it is set apart from it, and held for review naming both twins', async () => {
    const irma = await identidade('guarda-a', 'A-CAMILA-MAE');
    const propria = await identidade('guarda-a', 'A-MARIA-B');
    expect(await q(`SELECT cpf FROM identidade WHERE id = $1`, [propria])).toEqual([{ cpf: CPF_MARIA_B }]);
    expect(await q(`SELECT cpf FROM identidade WHERE id = $1`, [irma])).toEqual([{ cpf: CPF_MAE_BRAGANCA }]);
    // Set apart from the CPF, the row reads as her own name and as her sister's with a given name dropped: the twins
    // guard holds it for review naming both (its CPF's digits are neither's), and it joins neither golden id.
    expect(await q(`SELECT cpf_de_outra_pessoa, vinculo, comparacoes->>'motivo' AS motivo, identidade_id::text IN ($1, $2) AS numa_delas
                      FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-MARIA-B-MAE'`, [irma, propria]))
      .toEqual([{ cpf_de_outra_pessoa: true, vinculo: 'revisao', motivo: 'gemeos', numa_delas: false }]);
    expect(await q(`SELECT identidade_candidata::text AS candidata, comparacoes->'segunda'->>'identidade' AS segunda FROM revisao_vinculo
                     WHERE fonte = 'guarda-b' AND chave_fonte = 'B-MARIA-B-MAE' AND situacao = 'aberta'`))
      .toEqual([{ candidata: propria, segunda: irma }]);
  });

  it('a person\'s own row that reads as his twin\'s name stays with his CPF: none of its rows reads as another CPF\'s', async () => {
    const proprio = await identidade('guarda-a', 'A-JOSE-PEDRO');
    expect(await identidade('guarda-a', 'A-JOSE')).not.toBe(proprio);
    expect(await q(`SELECT cpf_de_outra_pessoa, identidade_id::text AS id FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-JOSE-PEDRO'`))
      .toEqual([{ cpf_de_outra_pessoa: false, id: proprio }]);
  });

  it('one person\'s own row stays with her CPF when her rows under her mother\'s CPF read as both of her own (300,000 persons, seed 101)', async () => {
    const propria = await identidade('guarda-a', 'A-HELOISA');
    expect(await q(`SELECT cpf FROM identidade WHERE id = $1`, [propria])).toEqual([{ cpf: CPF_HELOISA }]);
    expect(await q(`SELECT cpf_de_outra_pessoa, identidade_id::text AS id FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-HELOISA'`))
      .toEqual([{ cpf_de_outra_pessoa: false, id: propria }]);
  });
});

describe('the same paths take a person\'s own rows', () => {
  it('adoption: CLARA\'s new CPF adopts her pendente (the same golden id)', async () => {
    const antes = await identidade('guarda-a', 'A-CLARA');
    expect(await identidade('guarda-b', 'B-CLARA')).toBe(antes);
    expect(await q(`SELECT situacao, cpf FROM identidade WHERE id = $1`, [antes])).toEqual([{ situacao: 'ativa', cpf: CPF_CLARA }]);
  });

  it('link: KAUA\'s own row without CPF (another source) links to his golden id', async () => {
    const kaua = await identidade('guarda-a', 'A-KAUA');
    expect(await q(`SELECT vinculo, identidade_id::text AS id FROM linha_carga WHERE fonte = 'guarda-b' AND chave_fonte = 'B-KAUA'`)).toEqual([{ vinculo: 'probabilistico', id: kaua }]);
  });
});
