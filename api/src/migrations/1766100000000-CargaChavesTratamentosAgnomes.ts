import type { MigrationInterface, QueryRunner } from 'typeorm';
import { chaveNome } from '../carga/normalizar.js';
import { chaveFoneticaNome } from '../carga/vinculo/chaves.js';
import { AGNOMES, JR, TRATAMENTOS } from '../pmcc/variantes-nome.js';

/** Rows read from the cursor at a time. */
const LOTE = 5000;

/** A comparison key the rules for forms of address and agnomes change: such a word first, JR, or an agnome last. */
const afetada = (coluna: string) =>
  `(${coluna} ~ '^(${[...TRATAMENTOS].join('|')}) [A-Z]+ ' OR ${coluna} ~ ' ${JR}( |$)' OR ${coluna} ~ '[A-Z]+ [A-Z]+ (${[...AGNOMES].join('|')})$')`;

/**
 * The name keys that batch loads store with every row (`nome_chave`, `nome_mae_chave`, and the blocking keys
 * `bloco_nome`, `bloco_mae` derived from them), recomputed for the rows whose names the rules for forms of address and
 * agnomes read differently (`chaveNome`, `chaveFoneticaNome`): a later load compares its rows with these, so they must
 * be what the load computes today. From the names as stored (their display form gives the same key as the file's
 * value), in `linha_carga` and in `carga_staging` (the rows of a load interrupted before the upgrade): the affected
 * rows are read through a cursor a page at a time, their new keys gathered in a temporary table, and each table is
 * updated by one statement (one pass, whatever its size; `carga_staging` has no index to look rows up by). Runs in the
 * migration's transaction. No `down`: the keys written before cannot be told from these.
 */
export class CargaChavesTratamentosAgnomes1766100000000 implements MigrationInterface {
  name = 'CargaChavesTratamentosAgnomes1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await recalcular(q, 'linha_carga', ['fonte', 'text'], ['chave_fonte', 'text']);
    await recalcular(q, 'carga_staging', ['carga_id', 'bigint'], ['linha', 'integer']);
  }

  async down(): Promise<void> {
    // The earlier keys are not kept; the current ones stay (the earlier code reads them as it read its own).
  }
}

type Coluna = readonly [nome: string, tipo: string];

async function recalcular(q: QueryRunner, tabela: string, [k1, t1]: Coluna, [k2, t2]: Coluna): Promise<void> {
  await q.query(`CREATE TEMP TABLE novas_chaves (k1 ${t1} NOT NULL, k2 ${t2} NOT NULL, nc text, nmc text, bn text, bm text) ON COMMIT DROP`);
  await q.query(`DECLARE afetadas NO SCROLL CURSOR FOR
    SELECT ${k1} AS k1, ${k2} AS k2, nome, nome_mae FROM ${tabela} WHERE ${afetada('nome_chave')} OR ${afetada('nome_mae_chave')}`);
  for (;;) {
    const linhas = (await q.query(`FETCH ${LOTE} FROM afetadas`)) as Array<{ k1: string; k2: string; nome: string | null; nome_mae: string | null }>;
    if (linhas.length === 0) break;
    const nomeChave = linhas.map((l) => (l.nome === null ? null : chaveNome(l.nome)));
    const maeChave = linhas.map((l) => (l.nome_mae === null ? null : chaveNome(l.nome_mae)));
    await q.query(
      `INSERT INTO novas_chaves SELECT * FROM unnest($1::${t1}[], $2::${t2}[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        linhas.map((l) => l.k1), linhas.map((l) => l.k2), nomeChave, maeChave,
        nomeChave.map((c) => chaveFoneticaNome(c)), maeChave.map((c) => chaveFoneticaNome(c)),
      ],
    );
  }
  await q.query(`CLOSE afetadas`);
  await q.query(`ANALYZE novas_chaves`);
  await q.query(`UPDATE ${tabela} t SET nome_chave = v.nc, nome_mae_chave = v.nmc, bloco_nome = v.bn, bloco_mae = v.bm
    FROM novas_chaves v WHERE t.${k1} = v.k1 AND t.${k2} = v.k2`);
  await q.query(`DROP TABLE novas_chaves`);
}
