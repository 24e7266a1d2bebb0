/**
 * The linkage engine shared by `particionar` (adoption of pendente identities) and `vincular`: query rows in a
 * temporary table `vq`, candidate pairs by blocking (`vpar`, the union of the rules' pairs, counted per rule), and a
 * stream of the pairs grouped by query row, each candidate with its attributes and its (resolved) identity.
 *
 * Everything is set-based SQL inside the phase's transaction (temporary tables ON COMMIT DROP); the stream is a COPY
 * sorted by query row, so Node holds one query row's candidates at a time.
 */
import type pg from 'pg';
import type { LinhaComparavel } from './comparar.js';
import { lerCopia } from './copia.js';
import { atributos, chavesRegras, chavesRegrasComTroca, COLUNAS_ATRIBUTOS, juntarChaves, lerLinha, literal, mesmaChave, REGRAS, temChave } from './linhas.js';

/**
 * ANALYZE of the tables a linkage phase reads: a bulk load grows them by millions of rows between two phases, and a
 * server whose autovacuum is off or behind (the CI machine's PostgreSQL is configured with it off) would otherwise plan
 * every join on a table it believes empty — and `estimar.ts` sizes its samples from the same statistics.
 */
export async function analisarBase(cliente: pg.PoolClient, tabelas: readonly string[]): Promise<void> {
  // An empty table is left alone: analysed empty, the planner would scan it in a nested loop for every row of a
  // statement that fills it (INSERT … WHERE NOT EXISTS over itself), quadratic in the load's size.
  for (const t of tabelas) if ((await cliente.query<{ e: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${t}) AS e`)).rows[0].e) await cliente.query(`ANALYZE ${t}`);
}

/**
 * Rows a steward separated from identities: (fonte, chave, id) for each identity a `pessoas-diferentes` decision names
 * and each row it lists — never a candidate identity of that row.
 */
export const SEPARACOES_DE_GESTOR = `
  SELECT e->>'fonte' AS fonte, e->>'chave_fonte' AS chave, unnest(ARRAY[g.identidade_a, g.identidade_b]) AS id
    FROM decisao_gestor_vinculo g CROSS JOIN LATERAL jsonb_array_elements(g.linhas) e WHERE g.tipo = 'pessoas-diferentes'`;

/** Each merged identity (`situacao = 'fundida'`, by a steward or a load) and the identity that answers for it now: (id, destino). */
export const FUNDIDAS = `
  WITH RECURSIVE f(id, destino, n) AS (
    SELECT id, fundida_em, 1 FROM identidade WHERE situacao = 'fundida'
    UNION ALL
    SELECT f.id, i.fundida_em, f.n + 1 FROM f JOIN identidade i ON i.id = f.destino AND i.situacao = 'fundida' WHERE f.n < 20
  )
  SELECT DISTINCT ON (id) id, destino FROM f ORDER BY id, n DESC`;

/** Columns `vq` keeps of each query row (besides q, origem, fonte, linha). */
const COLUNAS = [
  'chave_fonte', 'triagem', 'motivo', 'cpf_bruto', 'cpf', 'cpf_de_outra_pessoa', 'nome_chave', 'nome_mae_chave', 'nome_pai', 'cpf_mae', 'data_nascimento', 'sexo',
  'municipio', 'telefone', 'email', 'bloco_nome', 'bloco_mae',
];

export interface ParteConsulta {
  /** `s`: a staged row of this load; `l`: a row of `linha_carga`. */
  readonly origem: 's' | 'l';
  /** `FROM … WHERE …` over alias `x` (carga_staging or linha_carga). */
  readonly de: string;
}

/** Creates `vq` (query rows numbered 1..n in a fixed order: source, key, line) and returns n. */
export async function criarConsultas(cliente: pg.PoolClient, fonteCarga: string, partes: readonly ParteConsulta[]): Promise<number> {
  const selects = partes.map((p) =>
    p.origem === 's'
      ? `SELECT 's'::text AS origem, ${literal(fonteCarga)}::text AS fonte, x.linha, ${COLUNAS.map((c) => `x.${c}`).join(', ')} ${p.de}`
      : `SELECT 'l'::text AS origem, x.fonte, NULL::int AS linha, ${COLUNAS.map((c) => `x.${c}`).join(', ')} ${p.de}`,
  );
  await cliente.query(`DROP TABLE IF EXISTS vq`);
  const r = await cliente.query(`
    CREATE TEMP TABLE vq ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY fonte, chave_fonte, linha))::int AS q, t.* FROM (${selects.join(' UNION ALL ')}) t`);
  await cliente.query(`CREATE INDEX ON vq (q)`);
  await cliente.query(`ANALYZE vq`);
  return r.rowCount ?? 0;
}

export interface OpcoesPares {
  readonly cargaId: string;
  /** Extra condition on candidate rows of `linha_carga` (alias l); they always have an identity. */
  readonly filtroLinhaCarga?: string;
  /** Staged rows of this load with an identity are candidates (vincular: rows fundir assigned by CPF). */
  readonly incluirStaging: boolean;
  /** Extra condition on candidate staged rows (alias s). */
  readonly filtroStaging?: string;
  /** Query rows are also candidates of one another (rows without identity clustering among themselves). */
  readonly entreConsultas: boolean;
}


/**
 * Builds `vpar(q, origem, fonte, ref)`: distinct candidate pairs (origem `l` = linha_carga row (fonte, chave_fonte
 * = ref), `s` = staged row of this load (linha = ref), `q` = query row q = ref). Returns pairs per rule before the union.
 */
export async function criarPares(cliente: pg.PoolClient, op: OpcoesPares): Promise<Record<string, number>> {
  await cliente.query(`DROP TABLE IF EXISTS vchave, vpar_bruto, vpar, vfundida, vqid, vqraw, vstg`);
  await cliente.query(`
    CREATE TEMP TABLE vchave ON COMMIT DROP AS
    SELECT q.q, v.regra, v.chave, v.dia FROM vq q CROSS JOIN LATERAL (${chavesRegrasComTroca('q')}) v(regra, chave, dia) WHERE ${temChave('v')}`);
  await cliente.query(`ANALYZE vchave`);
  const partes = [
    `SELECT k.q, k.regra, 'l'::text AS origem, l.fonte, l.chave_fonte AS ref
       FROM linha_carga l CROSS JOIN LATERAL (${chavesRegras('l')}) v(regra, chave, dia)
       JOIN vchave k ON ${mesmaChave('k', 'v')}
      WHERE l.identidade_id IS NOT NULL${op.filtroLinhaCarga ? ` AND (${op.filtroLinhaCarga})` : ''}`,
  ];
  if (op.incluirStaging) {
    partes.push(`SELECT k.q, k.regra, 's'::text, NULL::text, s.linha::text
       FROM carga_staging s CROSS JOIN LATERAL (${chavesRegras('s')}) v(regra, chave, dia)
       JOIN vchave k ON ${mesmaChave('k', 'v')}
      WHERE s.carga_id = ${op.cargaId} AND s.identidade_id IS NOT NULL${op.filtroStaging ? ` AND (${op.filtroStaging})` : ''}`);
  }
  if (op.entreConsultas) {
    // Both sides carry swapped keys: equal dates match twice (date = date, swap = swap), counted once.
    partes.push(`SELECT DISTINCT a.q, a.regra, 'q'::text, NULL::text, b.q::text FROM vchave a JOIN vchave b ON ${mesmaChave('a', 'b')} AND a.q < b.q`);
  }
  // Identities a steward merged (situacao 'fundida') answer for the identity they were merged into.
  await cliente.query(`CREATE TEMP TABLE vfundida ON COMMIT DROP AS ${FUNDIDAS}`);
  await juntarChaves(cliente, `CREATE TEMP TABLE vpar_bruto ON COMMIT DROP AS ${partes.join(' UNION ALL ')}`);
  const porRegra = await cliente.query<{ regra: number; n: string }>(`SELECT regra, count(*) AS n FROM vpar_bruto GROUP BY regra ORDER BY regra`);
  await cliente.query(`CREATE TEMP TABLE vpar ON COMMIT DROP AS SELECT DISTINCT q, origem, fonte, ref FROM vpar_bruto`);
  await cliente.query(`DROP TABLE vpar_bruto`);
  await cliente.query(`ANALYZE vpar`);
  // Candidate identities of each query row; all their rows are compared (an identity is judged by all it holds).
  await cliente.query(`
    CREATE TEMP TABLE vqid ON COMMIT DROP AS
    SELECT p.q, COALESCE(vf.destino, l.identidade_id) AS ident
      FROM vpar p JOIN linha_carga l ON l.fonte = p.fonte AND l.chave_fonte = p.ref LEFT JOIN vfundida vf ON vf.id = l.identidade_id
     WHERE p.origem = 'l'
    UNION
    SELECT p.q, COALESCE(vf.destino, s.identidade_id)
      FROM vpar p JOIN carga_staging s ON s.carga_id = ${op.cargaId} AND s.linha = p.ref::int LEFT JOIN vfundida vf ON vf.id = s.identidade_id
     WHERE p.origem = 's'`);
  await cliente.query(`
    CREATE TEMP TABLE vqraw ON COMMIT DROP AS
    SELECT q, ident, ident AS bruta FROM vqid UNION ALL SELECT v.q, v.ident, f.id FROM vqid v JOIN vfundida f ON f.destino = v.ident`);
  await cliente.query(`CREATE INDEX ON vqraw (q)`);
  // The candidate identities' staged rows (none unless `incluirStaging`), indexed by golden id (carga_staging has no
  // index: COPY and the merge write it faster without): `percorrerPares` looks them up for each slice of query rows.
  await cliente.query(`
    CREATE TEMP TABLE vstg ON COMMIT DROP AS
    SELECT ${COLUNAS_ATRIBUTOS.map((c) => `s.${c}`).join(', ')} FROM carga_staging s
     WHERE ${op.incluirStaging ? `s.carga_id = ${op.cargaId} AND s.identidade_id IN (SELECT bruta FROM vqraw)` : 'false'}`);
  await cliente.query(`CREATE INDEX ON vstg (identidade_id)`);
  await cliente.query(`ANALYZE vstg`);
  await cliente.query(`CREATE INDEX ON vpar (q)`);
  await cliente.query(`ANALYZE vqraw`);
  const contagem: Record<string, number> = {};
  for (const r of porRegra.rows) contagem[REGRAS[r.regra - 1].nome] = Number(r.n);
  const total = await cliente.query<{ n: string }>(`SELECT count(*) AS n FROM vpar`);
  contagem['distintos'] = Number(total.rows[0].n);
  return contagem;
}

interface Candidato {
  readonly linha: LinhaComparavel;
  /** Resolved identity of the candidate row; null for another query row. */
  readonly identidade: string | null;
  /** The other query row's q (origem `q`), else null. */
  readonly q: number | null;
}

export interface GrupoConsulta {
  readonly q: number;
  readonly linha: LinhaComparavel;
  readonly triagem: string;
  readonly candidatos: Candidato[];
}

/**
 * Streams the query rows in q order, each with its candidates (one COPY sorted by q); `faixa` [first, last] limits it
 * to a range of q, so a caller can take the rows in slices and hold one slice's decisions at a time. The candidate
 * identities' rows staged by this load come from `vstg` (`criarPares`).
 *
 * Each slice looks its candidates' rows up by golden id (LATERAL … OFFSET 0 keeps the lookup an index scan per
 * candidate). Left to the planner, the join was a hash join that read the whole base and the whole staging once per
 * slice — a cost of the base's size times the number of slices, growing as the square of the load.
 */
export async function* percorrerPares(cliente: pg.PoolClient, fonteCarga: string, faixa: readonly [number, number]): AsyncGenerator<GrupoConsulta> {
  const em = (col: string) => ` AND ${col} BETWEEN ${Math.trunc(faixa[0])} AND ${Math.trunc(faixa[1])}`;
  const partes = [
    `SELECT q.q, 0 AS t, q.triagem AS ref, ${atributos('q')} FROM vq q WHERE true${em('q.q')}`,
    `SELECT v.q, 1, v.ident::text, a.* FROM vqraw v
       CROSS JOIN LATERAL (SELECT ${atributos('l')} FROM linha_carga l WHERE l.identidade_id = v.bruta OFFSET 0) a WHERE true${em('v.q')}`,
    `SELECT v.q, 1, v.ident::text, a.* FROM vqraw v
       CROSS JOIN LATERAL (SELECT ${atributos('s', literal(fonteCarga))} FROM vstg s WHERE s.identidade_id = v.bruta OFFSET 0) a WHERE true${em('v.q')}`,
    `SELECT p.q, 2, p.ref, a.* FROM vpar p
       CROSS JOIN LATERAL (SELECT ${atributos('o')} FROM vq o WHERE o.q = p.ref::int OFFSET 0) a WHERE p.origem = 'q'${em('p.q')}`,
  ];
  const consulta = `${partes.join('\n    UNION ALL\n    ')}\n    ORDER BY 1, 2`;
  let atual: { q: number; linha: LinhaComparavel; triagem: string; candidatos: Candidato[] } | null = null;
  for await (const c of lerCopia(cliente, consulta)) {
    const q = Number(c[0]);
    const t = c[1];
    if (t === '0') {
      if (atual) yield atual;
      atual = { q, linha: lerLinha(c, 3), triagem: c[2] ?? '', candidatos: [] };
    } else if (atual && atual.q === q) {
      atual.candidatos.push(t === '1' ? { linha: lerLinha(c, 3), identidade: c[2], q: null } : { linha: lerLinha(c, 3), identidade: null, q: Number(c[2]) });
    }
  }
  if (atual) yield atual;
}
