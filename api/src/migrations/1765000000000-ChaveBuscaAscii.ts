import type { MigrationInterface, QueryRunner } from 'typeorm';

const DE = 'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ';
const PARA = 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuCcNnYyy';
const GERAL = `regexp_replace(btrim(lower(translate(t, '${DE}', '${PARA}'))), '\\s+', ' ', 'g')`;

/**
 * `lum_chave_busca` (the search key behind the generated columns `pessoa.nome_busca`, `pessoa.nome_mae_busca` and
 * `pessoa_juridica.razao_social_busca`) with a fast path for text that is all ASCII, the great majority of names:
 * `translate` walks its 53-letter list for every character, and was most of the cost of writing a `pessoa` row
 * (the batch load writes hundreds of thousands of them per source).
 *
 * Same result for every input: every letter `translate` replaces is outside ASCII, so on ASCII text it is the
 * identity and is skipped. "All ASCII" is `octet_length(t) = length(t)`, which means that only in a UTF-8 database
 * (in a single-byte encoding such as LATIN1 it is always true), so the fast path is installed only there; the
 * function stays IMMUTABLE, inlinable SQL, and the stored columns need no rewrite.
 */
export class ChaveBuscaAscii1765000000000 implements MigrationInterface {
  name = 'ChaveBuscaAscii1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ utf8 }] = (await q.query(`SELECT current_setting('server_encoding') = 'UTF8' AS utf8`)) as Array<{ utf8: boolean }>;
    if (!utf8) return;
    await q.query(`
      CREATE OR REPLACE FUNCTION lum_chave_busca(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
        CASE WHEN octet_length(t) = length(t) THEN regexp_replace(btrim(lower(t)), '\\s+', ' ', 'g') ELSE ${GERAL} END`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION lum_chave_busca(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN ${GERAL}`);
  }
}
