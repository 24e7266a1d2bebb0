/**
 * `lum_chave_busca` with its ASCII fast path (migration ChaveBuscaAscii) gives the same search key as the original
 * definition (translate + lower + btrim + whitespace runs collapsed, written out here) for ASCII text, accented text,
 * odd whitespace, characters outside Latin-1 and NULL; and the generated columns and the search built on it still
 * find a person whatever the case and accents of the query.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const ORIGINAL = `regexp_replace(btrim(lower(translate(t,
  'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ', 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuCcNnYyy'))), '\\s+', ' ', 'g')`;

const AMOSTRA = [
  'MARIA DA SILVA', '  joao   pedro  ', 'José Ação Íris Ünal', 'ÇÃO', 'NAO CONSTA', 'O\'BRIEN-SMITH', 'a\tb\nc\r\nd', '', ' ', 'x',
  'ANDRÉ', 'Søren Ødegård', 'Zoë Ñuñez', 'Łukasz Żółć', '李小龍', 'émoji 🙂 ok', 'ÝVÄ ÿ', 'a\u00a0b', 'ÀÁÂÃÄÅ', '1234 5678',
];

it('is the fast-path definition in the test database (UTF-8)', async () => {
  const [f] = await db.dataSource.query<Array<{ codificacao: string; definicao: string }>>(
    `SELECT current_setting('server_encoding') AS codificacao, pg_get_functiondef('lum_chave_busca(text)'::regprocedure) AS definicao`,
  );
  expect(f.codificacao).toBe('UTF8');
  expect(f.definicao).toContain('octet_length(t) = length(t)');
});

it('returns what the original definition returns, for ASCII and non-ASCII text and NULL', async () => {
  const linhas = await db.dataSource.query<Array<{ t: string | null; atual: string | null; original: string | null }>>(
    `SELECT t, lum_chave_busca(t) AS atual, ${ORIGINAL} AS original FROM unnest($1::text[] || ARRAY[NULL::text]) AS x(t)`,
    [AMOSTRA],
  );
  expect(linhas).toHaveLength(AMOSTRA.length + 1);
  for (const l of linhas) expect({ t: l.t, chave: l.atual }).toEqual({ t: l.t, chave: l.original });
  const por = new Map(linhas.map((l) => [l.t, l.atual]));
  expect(por.get('  joao   pedro  ')).toBe('joao pedro');
  expect(por.get('José Ação Íris Ünal')).toBe('jose acao iris unal');
  expect(por.get('a\tb\nc\r\nd')).toBe('a b c d');
  expect(por.get(null)).toBeNull();
});

it('feeds the generated columns: an accented name is found by an unaccented query in another case', async () => {
  await db.dataSource.query(`INSERT INTO pessoa (cpf, nome, data_nascimento, nome_mae) VALUES ('52998224725', 'JOÃO DA CONCEIÇÃO', '1980-01-02', 'maria  de souza')`);
  const [p] = await db.dataSource.query<Array<{ nome_busca: string; nome_mae_busca: string }>>(`SELECT nome_busca, nome_mae_busca FROM pessoa WHERE cpf = '52998224725'`);
  expect(p).toEqual({ nome_busca: 'joao da conceicao', nome_mae_busca: 'maria de souza' });
  const achados = await db.dataSource.query<Array<{ cpf: string }>>(`SELECT cpf FROM pessoa WHERE nome_busca LIKE lum_chave_busca($1) || '%'`, ['Joao da Concei']);
  expect(achados).toEqual([{ cpf: '52998224725' }]);
});
