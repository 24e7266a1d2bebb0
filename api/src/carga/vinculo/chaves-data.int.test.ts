/**
 * The blocking keys' birth date (linhas.ts): one side of a join takes the date as it is, the other the date and its
 * day/month swap, so two rows share a key exactly when their dates are equal or swapped — checked in PostgreSQL for
 * every pair of a set of dates (days above 12, day = month, leap day, years apart), in both directions, against the
 * rule written here in plain TypeScript.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { chaveFoneticaNome } from './chaves.js';
import { chavesRegras, chavesRegrasComTroca, compartilhaSinal, juntarChaves, mesmaChave, REGRAS, sinaisComTroca, temChave } from './linhas.js';

const DATAS = [
  '1990-03-07', '1990-07-03', '1990-03-25', '1990-05-05', '1991-03-07', '2000-02-29', '2000-12-01', '2000-01-12',
  '1985-11-11', '1985-10-11', '1985-11-10', '1985-12-31', '1962-06-01', '1962-01-06', '1962-01-07',
];

/** Equal, or the same year with day and month swapped. */
function mesmaOuTrocada(a: string, b: string): boolean {
  if (a === b) return true;
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  return ya === yb && ma === db && da === mb;
}

let db: TestDatabase;
let cliente: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  cliente = new pg.Client({ connectionString: db.url });
  await cliente.connect();
  await cliente.query(`CREATE TEMP TABLE t (id int, data_nascimento date, nome_chave text, bloco_nome text, bloco_mae text, cpf_mae char(11), cpf char(11), cpf_de_outra_pessoa boolean)`);
  for (const [i, d] of DATAS.entries()) {
    await cliente.query(`INSERT INTO t VALUES ($1, $2, 'JOSE SILVA', 'JS SLV', 'MR SLV', '52998224725', NULL, false)`, [i, d]);
  }
  await cliente.query(`INSERT INTO t VALUES (99, NULL, 'JOSE SILVA', 'JS SLV', 'MR SLV', '52998224725', NULL, false)`);
}, 60_000);
afterAll(async () => {
  await cliente?.end();
  await db?.drop();
});

describe('blocking keys: birth date order-free in day and month', () => {
  it('a plain key meets a swapped-side key exactly for equal or swapped dates, in each rule, and a row without date has no key', async () => {
    const { rows } = await cliente.query<{ a: number; b: number; regra: number }>(`
      SELECT DISTINCT a.id AS a, b.id AS b, va.regra
        FROM t a CROSS JOIN LATERAL (${chavesRegrasComTroca('a')}) va(regra, chave, dia)
        JOIN t b ON true CROSS JOIN LATERAL (${chavesRegras('b')}) vb(regra, chave, dia)
       WHERE ${temChave('va')} AND ${mesmaChave('va', 'vb')}`);
    const esperado: string[] = [];
    for (const [i, a] of DATAS.entries()) {
      for (const [j, b] of DATAS.entries()) {
        if (mesmaOuTrocada(a, b)) for (let r = 1; r <= REGRAS.length; r++) esperado.push(`${i}-${j}-${r}`);
      }
    }
    expect(rows.map((r) => `${r.a}-${r.b}-${r.regra}`).sort()).toEqual(esperado.sort());
    // The written rule is not vacuous: 7 March and 3 July, 11 October and 10 November, 1 and 6 … met.
    expect(esperado).toContain('0-1-1');
    expect(esperado).toContain('9-10-1');
    expect(esperado).not.toContain('0-4-1');
  });

  it('the swapped side adds no key where the swap is the same date or no date (day above 12, day = month)', async () => {
    const { rows } = await cliente.query<{ id: number; n: number }>(`
      SELECT t.id, count(*)::int AS n FROM t CROSS JOIN LATERAL (${chavesRegrasComTroca('t')}) v(regra, chave, dia)
       WHERE ${temChave('v')} AND v.regra = 1 GROUP BY t.id ORDER BY t.id`);
    const porId = new Map(rows.map((r) => [r.id, r.n]));
    expect(porId.get(2)).toBe(1); // 1990-03-25
    expect(porId.get(3)).toBe(1); // 1990-05-05
    expect(porId.get(11)).toBe(1); // 1985-12-31
    expect(porId.get(0)).toBe(2); // 1990-03-07
    expect(porId.has(99)).toBe(false); // no birth date
  });
});

describe('blocking keys: the looser rules need more than a given name or a surname', () => {
  // Rows born the same day, no mother's name: which pairs share a key of which rule, written by hand.
  const NOMES: Record<string, string> = {
    a: 'MARIA APARECIDA SILVA',
    b: 'MARIA APARECIDA SILVA SANTOS', // a's married name, appended
    c: 'MARIA SOUZA LIMA', // another MARIA
    d: 'MAFIA SILVA', // a typo in MARIA SILVA's given name
    e: 'MARIA SILVA',
    f: 'JOSE SILVA', // another SILVA
    g: 'MARIA CRISTINA SOUZA', // a's given name and a new surname replacing hers, APARECIDA dropped: no word in common
  };
  it('pairs meet by a given name only with another word of the name in common, by a surname only with the first sound of the given name', async () => {
    await cliente.query(`CREATE TEMP TABLE n (id text, data_nascimento date, nome_chave text, bloco_nome text, bloco_mae text, cpf_mae char(11), cpf char(11), cpf_de_outra_pessoa boolean)`);
    for (const [id, nome] of Object.entries(NOMES)) {
      await cliente.query(`INSERT INTO n VALUES ($1, '1980-05-20', $2, $3, NULL, NULL, NULL, false)`, [id, nome, chaveFoneticaNome(nome)]);
    }
    const { rows } = await cliente.query<{ par: string }>(`
      SELECT DISTINCT a.id || b.id || ':' || va.regra AS par
        FROM n a CROSS JOIN LATERAL (${chavesRegrasComTroca('a')}) va(regra, chave, dia)
        JOIN n b ON a.id < b.id CROSS JOIN LATERAL (${chavesRegras('b')}) vb(regra, chave, dia)
       WHERE ${temChave('va')} AND ${mesmaChave('va', 'vb')}`);
    const nomeDe = (r: number) => REGRAS[r - 1].nome;
    const pares = rows.map((r) => { const [p, regra] = r.par.split(':'); return `${p} ${nomeDe(Number(regra))}`; }).sort();
    expect(pares).toEqual([
      'ab prenome+sobrenome+nascimento', // APARECIDA, SILVA
      'ad inicial+sobrenome+nascimento', // M…, SILVA
      'ae inicial+sobrenome+nascimento',
      'ae nome+nascimento',
      'ae prenome+sobrenome+nascimento', // SILVA
      'be prenome+sobrenome+nascimento', // SILVA
      'cg prenome+sobrenome+nascimento', // SOUZA
      'de inicial+sobrenome+nascimento',
    ].sort());
  });
});

describe('juntarChaves: a key join with merge joins and JIT off, for that statement only', () => {
  it('runs the statement with enable_mergejoin and jit off, gives the same rows as the plain query, and leaves the settings at their defaults', async () => {
    const sql = `SELECT DISTINCT a.id AS a, b.id AS b FROM t a CROSS JOIN LATERAL (${chavesRegrasComTroca('a')}) va(regra, chave, dia)
        JOIN t b ON true CROSS JOIN LATERAL (${chavesRegras('b')}) vb(regra, chave, dia)
       WHERE ${temChave('va')} AND ${mesmaChave('va', 'vb')} ORDER BY 1, 2`;
    await cliente.query('BEGIN');
    try {
      const padrao = (await cliente.query<{ jit: string }>(`SELECT reset_val AS jit FROM pg_settings WHERE name = 'jit'`)).rows[0].jit;
      const durante = await juntarChaves(cliente, `SELECT current_setting('enable_mergejoin') AS v, current_setting('jit') AS jit`);
      expect(durante.rows).toEqual([{ v: 'off', jit: 'off' }]);
      expect((await cliente.query(`SHOW enable_mergejoin`)).rows).toEqual([{ enable_mergejoin: 'on' }]);
      expect((await cliente.query(`SHOW jit`)).rows).toEqual([{ jit: padrao }]);
      const comJuntar = await juntarChaves(cliente, sql);
      const simples = await cliente.query(sql);
      expect(comJuntar.rows).toEqual(simples.rows);
      const esperado = DATAS.flatMap((x, i) => DATAS.flatMap((y, j) => (mesmaOuTrocada(x, y) ? [`${i}-${j}`] : []))).sort();
      expect(comJuntar.rows.map((r: { a: number; b: number }) => `${r.a}-${r.b}`).sort()).toEqual(esperado);
    } finally {
      await cliente.query('ROLLBACK');
    }
  });
});

describe('signals: which rows of the base share a blocking key with the rows looked for, keys built only for few', () => {
  const NOMES = ['MARIA APARECIDA SILVA', 'MARIA APARECIDA SILVA SANTOS', 'MARIA SOUZA LIMA', 'MAFIA SILVA', 'MARIA SILVA', 'JOSE SILVA', 'MARIA CRISTINA SOUZA', 'CATIA REGINA SILVA', 'KATIA SILVA'];
  const MAES = [null, 'MARIA DAS DORES SOUZA', 'DEBORA SOUZA', 'DEORA SOUZA LIMA'];
  const CPFS_MAE = [null, '52998224725'];
  const NASCIMENTOS = ['1980-05-07', '1980-07-05', '1981-05-07', '1980-05-20'];

  beforeAll(async () => {
    await cliente.query(`CREATE TEMP TABLE sg (id int, data_nascimento date, nome_chave text, bloco_nome text, bloco_mae text, cpf_mae char(11), cpf char(11), cpf_de_outra_pessoa boolean)`);
    let id = 0;
    for (const nome of NOMES) for (const mae of MAES) for (const cpfMae of CPFS_MAE) for (const d of NASCIMENTOS) {
      await cliente.query(`INSERT INTO sg VALUES ($1, $2, $3, $4, $5, $6, NULL, false)`, [id++, d, nome, chaveFoneticaNome(nome), mae === null ? null : chaveFoneticaNome(mae), cpfMae]);
    }
    await cliente.query(`CREATE TEMP TABLE rs (sinal int, valor text, data date)`);
  });

  /** Ids of the rows of `sg` meeting the signals of row `id` (its date and swap), and of those sharing a key with it. */
  async function deUma(id: number): Promise<{ passam: number[]; compartilham: number[] }> {
    await cliente.query(`TRUNCATE rs`);
    await cliente.query(`INSERT INTO rs SELECT v.* FROM sg a CROSS JOIN LATERAL (${sinaisComTroca('a')}) v(sinal, valor, data) WHERE a.id = $1 AND v.valor IS NOT NULL AND v.data IS NOT NULL`, [id]);
    const passam = await cliente.query<{ id: number }>(`SELECT id FROM sg b WHERE ${compartilhaSinal('b', 'rs')} ORDER BY id`);
    const compartilham = await cliente.query<{ id: number }>(`
      SELECT DISTINCT b.id FROM sg a CROSS JOIN LATERAL (${chavesRegrasComTroca('a')}) va(regra, chave, dia)
        JOIN sg b ON true CROSS JOIN LATERAL (${chavesRegras('b')}) vb(regra, chave, dia)
       WHERE a.id = $1 AND ${temChave('va')} AND ${mesmaChave('va', 'vb')} ORDER BY 1`, [id]);
    return { passam: passam.rows.map((r) => r.id), compartilham: compartilham.rows.map((r) => r.id) };
  }

  it('the rows meeting the signals of a row are exactly those sharing a key with it, for each of the rows of a set of names, mothers and dates', async () => {
    const total = NOMES.length * MAES.length * CPFS_MAE.length * NASCIMENTOS.length;
    let pares = 0;
    for (let id = 0; id < total; id++) {
      const { passam, compartilham } = await deUma(id);
      expect({ id, passam }).toEqual({ id, passam: compartilham });
      pares += compartilham.length;
    }
    // Not vacuous: the set has many rows sharing keys (every row with itself, and far more).
    expect(pares).toBeGreaterThan(total * 10);
  });

  it('rows born on the same day with the first name but no key of the row do not meet them', async () => {
    // Row 0: MARIA APARECIDA SILVA, no mother, no mother's CPF, 1980-05-07.
    const { passam } = await deUma(0);
    const linhas = (await cliente.query<{ id: number; nome_chave: string; data: string }>(
      `SELECT id, nome_chave, to_char(data_nascimento, 'YYYY-MM-DD') AS data FROM sg ORDER BY id`)).rows;
    // Written here: on 7 May or 5 July 1980 (the swap), the phonetic first and last names MARIA … SILVA (nome+nascimento:
    // MARIA SILVA too), MARIA with APARECIDA or SILVA as a later word (MARIA APARECIDA SILVA SANTOS), or M… SILVA
    // (MAFIA SILVA). The row has no mother: no mother's key.
    const mesmas = ['MARIA APARECIDA SILVA', 'MARIA APARECIDA SILVA SANTOS', 'MARIA SILVA', 'MAFIA SILVA'];
    const esperado = linhas.filter((l) => (l.data === '1980-05-07' || l.data === '1980-07-05') && mesmas.includes(l.nome_chave)).map((l) => l.id);
    expect(passam).toEqual(esperado);
    // Born that day and left out: other MARIAs sharing no later word (the first name alone let them through before),
    // JOSE SILVA, CATIA and KATIA.
    expect(linhas.filter((l) => l.data === '1980-05-07' && !passam.includes(l.id)).map((l) => l.nome_chave)).toEqual(
      expect.arrayContaining(['MARIA SOUZA LIMA', 'MARIA CRISTINA SOUZA', 'JOSE SILVA', 'CATIA REGINA SILVA', 'KATIA SILVA']),
    );
  });
});
