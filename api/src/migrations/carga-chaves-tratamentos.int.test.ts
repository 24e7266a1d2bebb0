/**
 * Migration CargaChavesTratamentosAgnomes: rows a load stored before the rules for forms of address and agnomes keep
 * the keys the earlier code computed (written here by hand, as it computed them); the migration rewrites those, in
 * `linha_carga` and in the staging rows of an interrupted load, to the keys written here by hand from the rules, and
 * leaves every other row as it is.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { CargaChavesTratamentosAgnomes1766100000000 } from './1766100000000-CargaChavesTratamentosAgnomes.js';

let db: TestDatabase;
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);

// [key, name as stored, mother's name as stored, keys the earlier code stored (nome_chave, nome_mae_chave, bloco_nome, bloco_mae)]
const LINHAS: Array<[string, string, string | null, [string, string | null, string, string | null]]> = [
  ['1', 'DRA. ROBERTA MENDES CASTRO', 'HELENA DUARTE MENDES', ['DRA ROBERTA MENDES CASTRO', 'HELENA DUARTE MENDES', 'DR KSTR', 'ELN MDS']],
  ['2', 'JOSE CARLOS DA SILVA JR', 'SRA MARIA LUCIA SILVA', ['JOSE CARLOS SILVA JR', 'SRA MARIA LUCIA SILVA', 'JS JR', 'SR SLV']],
  ['3', 'JOSÉ DA SILVA FILHO', null, ['JOSE SILVA FILHO', null, 'JS FL', null]],
  ['4', 'ANA SOUZA NETO', 'MARIA NETO', ['ANA SOUZA NETO', 'MARIA NETO', 'AN NT', 'MR NT']],
  // neither name is read differently: its stored keys (a marker here) stay
  ['5', 'JOAO NETO', 'DR SILVA', ['JOAO NETO', 'DR SILVA', 'MARCADOR', 'MARCADOR']],
];
// The keys by the rules (forms of address dropped before two words or more, JR written out, the blocking key's last
// name the last surname; phonetic codes worked by hand from the rules in chaves.ts: MENDES → MDS, the N before a
// consonant an M): ANA SOUZA NETO's last name is SOUZA; JOAO NETO (two words) and DR SILVA are not read differently.
const ESPERADAS: Record<string, [string, string | null, string, string | null]> = {
  '1': ['ROBERTA MENDES CASTRO', 'HELENA DUARTE MENDES', 'RBRT KSTR', 'ELN MDS'],
  '2': ['JOSE CARLOS SILVA JUNIOR', 'MARIA LUCIA SILVA', 'JS SLV', 'MR SLV'],
  '3': ['JOSE SILVA FILHO', null, 'JS SLV', null],
  '4': ['ANA SOUZA NETO', 'MARIA NETO', 'AN S', 'MR NT'],
  '5': ['JOAO NETO', 'DR SILVA', 'MARCADOR', 'MARCADOR'],
};

beforeAll(async () => {
  db = await createTestDatabase();
  const [{ id }] = await q<{ id: string }>(
    `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por)
     VALUES ('teste', 'smads-bdc', 'SMADS', 'teste-carga', '/dev/null', repeat('0', 64), 0, '2026-01-01T00:00:00Z', 'teste') RETURNING id::text`,
  );
  for (const [k, nome, mae, [nc, nmc, bn, bm]] of LINHAS) {
    const valores = [id, k, Number(k), nome, mae, nc, nmc, bn, bm];
    await q(
      `INSERT INTO linha_carga (fonte, carga_id, chave_fonte, linha, hash, triagem, nome, nome_mae, nome_chave, nome_mae_chave, bloco_nome, bloco_mae)
       VALUES ('teste', $1, $2, $3, 'h', 'sem-cpf', $4, $5, $6, $7, $8, $9)`,
      valores,
    );
    await q(
      `INSERT INTO carga_staging (carga_id, chave_fonte, linha, hash, triagem, nome, nome_mae, nome_chave, nome_mae_chave, bloco_nome, bloco_mae)
       VALUES ($1, $2, $3, 'h', 'sem-cpf', $4, $5, $6, $7, $8, $9)`,
      valores,
    );
  }
  const runner = db.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await new CargaChavesTratamentosAgnomes1766100000000().up(runner);
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

it.each(['linha_carga', 'carga_staging'])('%s: the keys of the rows the rules read differently are rewritten, the others left as they were', async (tabela) => {
  const linhas = await q<{ k: string; nc: string; nmc: string | null; bn: string; bm: string | null }>(
    `SELECT chave_fonte AS k, nome_chave AS nc, nome_mae_chave AS nmc, bloco_nome AS bn, bloco_mae AS bm FROM ${tabela} ORDER BY chave_fonte`,
  );
  expect(Object.fromEntries(linhas.map((l) => [l.k, [l.nc, l.nmc, l.bn, l.bm]]))).toEqual(ESPERADAS);
});
