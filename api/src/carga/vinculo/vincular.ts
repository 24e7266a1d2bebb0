/**
 * Phase `vinculando` (issue 11, item 4): every row of the load that the CPF did not place — without CPF, with an
 * invalid CPF, or carrying someone else's CPF — is matched (Fellegi–Sunter, `pontuar.ts`) against the rows already
 * loaded and this load's rows placed by CPF:
 * - above the threshold: `vinculo = 'probabilistico'`, the candidate's identity;
 * - grey band, an ambiguous pair of candidates, or a guard (twins, sex, birth date): a new `pendente` identity,
 *   `vinculo = 'revisao'` and a `revisao_vinculo` item naming the candidate — except a row with an invalid CPF, which
 *   stays in quarantine (the candidate in its `comparacoes`) and is matched again by every later load;
 * - below: rows of this load without identity cluster among themselves (pairs above the threshold, connected
 *   components that never join two rows a guard separates); a cluster or a lone row gets a new `pendente` identity
 *   (`vinculo = 'novo'`), except a lone row with an invalid CPF: `identidade_id NULL`, `vinculo = 'quarentena'`.
 * Rows of earlier loads still in quarantine are matched again (a later load may bring their person). Every decision
 * stores `pontuacao` and `comparacoes` (level and weight per field, the thresholds, the runner-up).
 *
 * Then `reabrir.ts`: an earlier load's `pendente` identity that this load's rows with a CPF now corroborate is merged
 * into that CPF's identity.
 *
 * Never: moving a row that already has an identity (a re-loaded row keeps its assignment, a steward's `gestor` one
 * above all) — save a pendente's rows merged as a whole by `reabrir.ts` —, joining two identities with a CPF, or
 * linking a row into an identity a steward separated it from (`decisao_gestor_vinculo` 'pessoas-diferentes', its
 * `linhas` being `[{ "fonte", "chave_fonte" }]`).
 */
import type pg from 'pg';
import type { ExecutarFase } from '../fases.js';
import { CAMPOS, type Contexto, type LinhaComparavel } from './comparar.js';
import { escreverCopia, lerCopia } from './copia.js';
import { modeloDaCarga } from './estimar.js';
import { atributos, compartilhaSinal, lerLinha, literal, sinaisComTroca } from './linhas.js';
import { criarContexto, type Modelo } from './modelo.js';
import { analisarBase, criarConsultas, criarPares, percorrerPares, SEPARACOES_DE_GESTOR } from './motor.js';
import { avaliarIdentidades, avaliarPar, decidir, limiarDoPar, limiares, type Avaliacao, type Limiares } from './pontuar.js';
import { descreverComparacoes, reabrirPendentes } from './reabrir.js';

const TIPO_NENHUM = 0;
/**
 * Query rows decided per slice (see the loop in `vincular`): memory against round trips. `LUM_VINCULO_FATIA` sets it
 * (a positive integer); the decisions do not depend on it (tested).
 */
function tamanhoDaFatia(): number {
  const v = Number(process.env['LUM_VINCULO_FATIA'] ?? 25_000);
  if (!Number.isInteger(v) || v < 1) throw new Error(`LUM_VINCULO_FATIA inválido: ${process.env['LUM_VINCULO_FATIA']}`);
  return v;
}
const TIPO_VINCULO = 1;
const TIPO_REVISAO = 2;

/** Decisions per query row in typed arrays (constant size per row, no object per row). */
class Decisoes {
  readonly tipo: Uint8Array;
  readonly identidade: (string | null)[];
  readonly pontuacao: Float32Array;
  readonly niveis: Uint8Array;
  readonly pesos: Float32Array;
  readonly segunda: (string | null)[];
  readonly pontuacaoSegunda: Float32Array;
  readonly motivo: (string | null)[];
  readonly invalida: Uint8Array;
  /** The runner-up an open linkage review links with the identity linked to (`decidir`, `emRevisao`). */
  readonly emRevisao = new Map<number, { identidade: string; pontuacao: number }>();
  constructor(n: number) {
    this.tipo = new Uint8Array(n + 1);
    this.identidade = new Array<string | null>(n + 1).fill(null);
    this.pontuacao = new Float32Array(n + 1);
    this.niveis = new Uint8Array((n + 1) * CAMPOS.length);
    this.pesos = new Float32Array((n + 1) * CAMPOS.length);
    this.segunda = new Array<string | null>(n + 1).fill(null);
    this.pontuacaoSegunda = new Float32Array(n + 1);
    this.motivo = new Array<string | null>(n + 1).fill(null);
    this.invalida = new Uint8Array(n + 1);
  }
  guardarAvaliacao(q: number, av: Avaliacao): void {
    this.pontuacao[q] = av.pontuacao;
    for (let i = 0; i < CAMPOS.length; i++) {
      this.niveis[q * CAMPOS.length + i] = av.niveis[i];
      this.pesos[q * CAMPOS.length + i] = av.pesos[i];
    }
  }
  comparacoes(q: number, lim: Limiares, extra: Record<string, unknown>): string {
    const k = CAMPOS.length;
    const av = { pontuacao: this.pontuacao[q], niveis: this.niveis.subarray(q * k, (q + 1) * k), pesos: Float64Array.from(this.pesos.subarray(q * k, (q + 1) * k)), impedimento: null };
    const segunda = this.segunda[q] === null ? null : { identidade: this.segunda[q], pontuacao: this.pontuacaoSegunda[q] };
    return descreverComparacoes(av, this.identidade[q], this.motivo[q], lim, segunda, extra);
  }
}

/** Union-find over query rows without identity; a union only when no guard separates any two rows of the two sets. */
class Agrupamento {
  private readonly pai = new Map<number, number>();
  private readonly membros = new Map<number, number[]>();
  raiz(x: number): number {
    let r = x;
    while (this.pai.has(r) && this.pai.get(r) !== r) r = this.pai.get(r)!;
    return r;
  }
  unir(a: number, b: number, compativeis: (x: number, y: number) => boolean): boolean {
    const ra = this.raiz(a);
    const rb = this.raiz(b);
    if (ra === rb) return true;
    const ma = this.membros.get(ra) ?? [ra];
    const mb = this.membros.get(rb) ?? [rb];
    for (const x of ma) for (const y of mb) if (!compativeis(x, y)) return false;
    const [nova, velha] = ra < rb ? [ra, rb] : [rb, ra];
    this.pai.set(velha, nova);
    this.pai.set(nova, nova);
    this.membros.set(nova, [...ma, ...mb]);
    this.membros.delete(velha);
    return true;
  }
  grupos(): Map<number, number[]> {
    return this.membros;
  }
}

async function contarPessoas(cliente: pg.PoolClient, cargaId: string): Promise<number> {
  const r = await cliente.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM identidade WHERE situacao <> 'fundida')
          + (SELECT count(DISTINCT cpf) FROM carga_staging WHERE carga_id = $1 AND triagem = 'base-unica' AND identidade_id IS NULL)
          + (SELECT count(*) FROM vq) AS n`,
    [cargaId],
  );
  return Number(r.rows[0].n);
}

export const vincular: ExecutarFase = async (cliente, carga, aoProgresso) => {
  const t0 = Date.now();
  const tempos: Record<string, number> = {};
  const marcar = (nome: string, desde: number) => {
    tempos[`ms_${nome}`] = Date.now() - desde;
    return Date.now();
  };
  const cargaId = carga.id;
  if (!/^\d+$/.test(cargaId)) throw new Error(`carga inválida: ${cargaId}`);
  const fonte = carga.mapa.fonte;
  await cliente.query(`SET LOCAL work_mem = '64MB'`);
  // linha_carga is not analysed again: particionando did, in this load, and only registrando writes it.
  await analisarBase(cliente, ['carga_staging', 'identidade']);

  // A re-loaded row that already has an identity keeps it (stable ids; a steward's assignment above all).
  const mantidas = await cliente.query(
    `UPDATE carga_staging s SET identidade_id = l.identidade_id, vinculo = l.vinculo, pontuacao = l.pontuacao, comparacoes = l.comparacoes
       FROM linha_carga l
      WHERE s.carga_id = $1 AND s.identidade_id IS NULL AND (s.triagem <> 'base-unica' OR s.cpf_de_outra_pessoa)
        AND l.fonte = $2 AND l.chave_fonte = s.chave_fonte AND l.identidade_id IS NOT NULL`,
    [cargaId, fonte],
  );

  let t = Date.now();
  const nConsultas = await criarConsultas(cliente, fonte, [
    { origem: 's', de: `FROM carga_staging x WHERE x.carga_id = ${cargaId} AND x.identidade_id IS NULL AND (x.triagem <> 'base-unica' OR x.cpf_de_outra_pessoa)` },
    {
      origem: 'l',
      de: `FROM linha_carga x WHERE x.vinculo = 'quarentena' AND x.identidade_id IS NULL
             AND NOT (x.fonte = ${literal(fonte)} AND EXISTS (SELECT 1 FROM carga_staging s WHERE s.carga_id = ${cargaId} AND s.chave_fonte = x.chave_fonte))
             AND NOT EXISTS (SELECT 1 FROM revisao_vinculo r WHERE r.fonte = x.fonte AND r.chave_fonte = x.chave_fonte AND r.situacao = 'aberta')`,
    },
  ]);
  t = marcar('consultas', t);
  if (nConsultas === 0) {
    // Nothing to match; this load's rows placed by CPF may still be the person of an earlier load's pendente.
    const modelo = await modeloDaCarga(cliente, cargaId, fonte);
    const lim = limiares(await contarPessoas(cliente, cargaId), modelo.origemM.fonte === 'rotulos');
    const reaberta = await reabrirPendentes(cliente, carga, modelo, criarContexto(modelo.tfPrenome), lim);
    return { consultas: 0, mantidas: mantidas.rowCount ?? 0, vinculados: 0, revisao: 0, novos: 0, quarentena: 0, ...reaberta, ms_reabertura: Date.now() - t };
  }

  const modelo = await modeloDaCarga(cliente, cargaId, fonte);
  t = marcar('modelo', t);
  const lim = limiares(await contarPessoas(cliente, cargaId), modelo.origemM.fonte === 'rotulos');
  // Rows of the base and of the load are keyed only when they share a key with a query row (`compartilhaSinal`: one of
  // their signals on their day is a query row's, then one of the keys of the rules sharing that signal); the scan of
  // the base computes keys for few rows.
  await cliente.query(`DROP TABLE IF EXISTS vsinal`);
  await cliente.query(`
    CREATE TEMP TABLE vsinal ON COMMIT DROP AS
    SELECT DISTINCT v.sinal, v.valor, v.data FROM vq q CROSS JOIN LATERAL (${sinaisComTroca('q')}) v(sinal, valor, data)
     WHERE v.valor IS NOT NULL AND v.data IS NOT NULL`);
  await cliente.query(`ANALYZE vsinal`);
  const pares = await criarPares(cliente, {
    cargaId, incluirStaging: true, entreConsultas: true, filtroLinhaCarga: compartilhaSinal('l', 'vsinal'), filtroStaging: compartilhaSinal('s', 'vsinal'),
  });
  t = marcar('pares', t);

  // Identities a steward separated each row from.
  const proibidas = new Map<number, Set<string>>();
  const rp = await cliente.query<{ q: number; id: string }>(`
    SELECT vq.q, d.id::text AS id FROM vq JOIN (${SEPARACOES_DE_GESTOR}) d ON d.fonte = vq.fonte AND d.chave = vq.chave_fonte`);
  for (const r of rp.rows) (proibidas.get(r.q) ?? proibidas.set(r.q, new Set()).get(r.q)!).add(r.id);

  // Pairs of identities an open linkage review item already asks about (the row of one held for review with the other
  // as its candidate): not each other's competitor in `decidir`. Merged identities answer as their target. Every open
  // item's pair, as many as the review queue holds; each slice keeps those among its candidates (below). (Filtered here
  // by the load's candidate identities — `IN (SELECT bruta FROM vqraw)`, no index there — this statement ran for about
  // 11 minutes in the EOL load and more than 17 in the outros load of the 10 M-row benchmark of commit 9ad2912.)
  await cliente.query(`
    CREATE TEMP TABLE vliga ON COMMIT DROP AS
    SELECT DISTINCT COALESCE(fa.destino, l.identidade_id) AS a, COALESCE(fb.destino, r.identidade_candidata) AS b
      FROM revisao_vinculo r JOIN linha_carga l ON l.fonte = r.fonte AND l.chave_fonte = r.chave_fonte
      LEFT JOIN vfundida fa ON fa.id = l.identidade_id LEFT JOIN vfundida fb ON fb.id = r.identidade_candidata
     WHERE r.situacao = 'aberta' AND r.comparacoes->>'motivo' IN ('faixa-cinza', 'ambiguo') AND l.identidade_id IS NOT NULL`);
  await cliente.query(`ANALYZE vliga`);
  let comRevisaoAberta = 0;

  const ctx = criarContexto(modelo.tfPrenome);
  // Decisions in slices of query rows (`tamanhoDaFatia`): each slice's decisions go to vdecisao (COPY) before the next is read,
  // so memory does not grow with the load. Rows no candidate identity takes are written as new (`novo`, their own
  // group) or quarantined; their pairs above the threshold go to varesta, clustered once every slice is decided.
  await cliente.query(`CREATE TEMP TABLE vdecisao (q int PRIMARY KEY, identidade bigint, grupo int, vinculo text NOT NULL, pontuacao real, comparacoes jsonb, candidata bigint, livre boolean NOT NULL) ON COMMIT DROP`);
  await cliente.query(`CREATE TEMP TABLE varesta (a int NOT NULL, b int NOT NULL, s real NOT NULL) ON COMMIT DROP`);
  let feitas = 0;
  const fatia = tamanhoDaFatia();
  for (let q0 = 1; q0 <= nConsultas; q0 += fatia) {
    const q1 = Math.min(nConsultas, q0 + fatia - 1);
    const dec = new Decisoes(q1 - q0 + 1);
    const arestas: (readonly [number, number, number])[] = [];
    // The pairs among this slice's candidate identities: the slice's identities by the index on q, then vliga hashed
    // against them.
    const ligas = new Set<string>();
    const rl = await cliente.query<{ a: string; b: string }>(`
      WITH ids AS MATERIALIZED (SELECT DISTINCT ident FROM vqraw WHERE q BETWEEN $1 AND $2)
      SELECT g.a::text AS a, g.b::text AS b FROM vliga g WHERE g.a IN (SELECT ident FROM ids) AND g.b IN (SELECT ident FROM ids)`, [q0, q1]);
    for (const r of rl.rows) ligas.add(`${r.a}|${r.b}`);
    const emRevisao = ligas.size > 0 ? (a: string, b: string) => ligas.has(`${a}|${b}`) || ligas.has(`${b}|${a}`) : undefined;
    for await (const g of percorrerPares(cliente, fonte, [q0, q1])) {
      const i = g.q - q0 + 1;
      dec.invalida[i] = g.triagem === 'cpf-invalido' ? 1 : 0;
      for (const c of g.candidatos) {
        if (c.identidade !== null || c.q === null) continue;
        const av = avaliarPar(modelo, ctx, g.linha, c.linha);
        if (av.impedimento === null && av.pontuacao >= limiarDoPar(av, lim)) arestas.push([g.q, c.q, av.pontuacao]);
      }
      const d = decidir(avaliarIdentidades(modelo, ctx, g.linha, g.candidatos), lim, proibidas.get(g.q), emRevisao);
      if (d.tipo === 'vinculo' && d.emRevisao) {
        dec.emRevisao.set(i, d.emRevisao);
        comRevisaoAberta += 1;
      }
      if (d.tipo === 'nenhum') {
        dec.tipo[i] = TIPO_NENHUM;
        if (d.melhor) {
          dec.guardarAvaliacao(i, d.melhor.av);
          dec.identidade[i] = d.melhor.identidade;
        }
      } else {
        dec.tipo[i] = d.tipo === 'vinculo' ? TIPO_VINCULO : TIPO_REVISAO;
        dec.identidade[i] = d.identidade;
        dec.guardarAvaliacao(i, d.av);
        dec.motivo[i] = d.tipo === 'revisao' ? d.motivo : null;
        if (d.segunda) {
          dec.segunda[i] = d.segunda.identidade;
          dec.pontuacaoSegunda[i] = d.segunda.pontuacao;
        }
      }
      feitas += 1;
      if (aoProgresso && feitas % 10_000 === 0) aoProgresso('vinculando', feitas, nConsultas);
    }
    await escreverCopia(cliente, 'vdecisao', ['q', 'identidade', 'grupo', 'vinculo', 'pontuacao', 'comparacoes', 'candidata', 'livre'], linhasDecisao(dec, q0, q1, lim));
    await escreverCopia(cliente, 'varesta', ['a', 'b', 's'], arestas);
  }
  t = marcar('decisoes', t);

  // Rows left without identity cluster among themselves: edges by score, a union only when no guard separates any two
  // rows of the two sets. Only rows with an edge are held (with their attributes), not the load.
  const agrupados = await agrupar(cliente, modelo, ctx);

  // Two rows of one source linked into one identity in this run never met each other: they must also be one person
  // as a pair (a source rarely holds a person twice); else the weaker goes to review.
  const revistas = await revisarMesmaFonte(cliente, modelo, ctx, lim);
  const porVinculo = await cliente.query<{ vinculo: string; n: string }>(`SELECT vinculo, count(*) AS n FROM vdecisao GROUP BY 1`);
  const nDe = (v: string) => Number(porVinculo.rows.find((r) => r.vinculo === v)?.n ?? 0);

  // New pendente identities, one per group, in group order.
  await cliente.query(`
    CREATE TEMP TABLE vnova ON COMMIT DROP AS
    SELECT grupo, nextval(pg_get_serial_sequence('identidade', 'id')) AS id FROM (SELECT DISTINCT grupo FROM vdecisao WHERE grupo IS NOT NULL ORDER BY grupo) g`);
  await cliente.query(`INSERT INTO identidade (id, situacao, carga_id) SELECT id, 'pendente', $1 FROM vnova ORDER BY id`, [cargaId]);
  await cliente.query(`
    UPDATE carga_staging s SET identidade_id = COALESCE(d.identidade, n.id), vinculo = d.vinculo, pontuacao = d.pontuacao, comparacoes = d.comparacoes
      FROM vdecisao d JOIN vq ON vq.q = d.q LEFT JOIN vnova n ON n.grupo = d.grupo
     WHERE vq.origem = 's' AND s.carga_id = $1 AND s.linha = vq.linha`, [cargaId]);
  await cliente.query(`
    UPDATE linha_carga l SET identidade_id = COALESCE(d.identidade, n.id), vinculo = d.vinculo, pontuacao = d.pontuacao, comparacoes = d.comparacoes
      FROM vdecisao d JOIN vq ON vq.q = d.q LEFT JOIN vnova n ON n.grupo = d.grupo
     WHERE vq.origem = 'l' AND l.fonte = vq.fonte AND l.chave_fonte = vq.chave_fonte AND d.vinculo <> 'quarentena'`);
  await cliente.query(`
    INSERT INTO revisao_vinculo (fonte, chave_fonte, carga_id, identidade_candidata, pontuacao, comparacoes)
    SELECT vq.fonte, vq.chave_fonte, $1, d.candidata, d.pontuacao, d.comparacoes FROM vdecisao d JOIN vq ON vq.q = d.q
     WHERE d.vinculo = 'revisao' ORDER BY vq.q
    ON CONFLICT (fonte, chave_fonte) WHERE situacao = 'aberta' DO NOTHING`, [cargaId]);
  t = marcar('gravacao', t);
  const reaberta = await reabrirPendentes(cliente, carga, modelo, ctx, lim);
  marcar('reabertura', t);
  marcar('total', t0);

  const saida: Record<string, number> = {
    consultas: nConsultas,
    mantidas: mantidas.rowCount ?? 0,
    vinculados: nDe('probabilistico') - (agrupados.linhas - agrupados.grupos),
    revisao: nDe('revisao'),
    novos: nDe('novo'),
    agrupados: agrupados.linhas,
    quarentena: nDe('quarentena'),
    desfeitosMesmaFonte: revistas,
    vinculadosComRevisaoAberta: comRevisaoAberta,
    limiarVinculo: Math.round(lim.vinculo * 100) / 100,
    limiarRevisao: Math.round(lim.revisao * 100) / 100,
    paresRotuladosM: modelo.origemM.pares,
    ...reaberta,
    ...Object.fromEntries(Object.entries(pares).map(([k, v]) => [`pares_${k}`, v])),
    ...tempos,
  };
  return saida;
};

type Valor = string | number | boolean | null;

/**
 * The slice [q0, q1]'s rows of vdecisao (`livre`: no candidate identity took the row; it is new, or quarantined for
 * an invalid CPF, until `agrupar` puts it in a group with other free rows).
 */
function* linhasDecisao(dec: Decisoes, q0: number, q1: number, lim: Limiares): Generator<Valor[]> {
  for (let q = q0; q <= q1; q++) {
    const i = q - q0 + 1;
    const tipo = dec.tipo[i];
    const emRevisao = dec.emRevisao.get(i);
    const comparacoes = dec.comparacoes(i, lim, emRevisao ? { segundaEmRevisao: { identidade: emRevisao.identidade, pontuacao: Math.round(emRevisao.pontuacao * 100) / 100 } } : {});
    if (tipo === TIPO_VINCULO) yield [q, dec.identidade[i], null, 'probabilistico', dec.pontuacao[i], comparacoes, null, false];
    // An invalid CPF that is not a clear match stays in quarantine (its best candidate recorded), to be matched
    // again by the next loads, which may bring the rest of its person.
    else if (tipo === TIPO_REVISAO && dec.invalida[i]) yield [q, null, null, 'quarentena', dec.pontuacao[i], comparacoes, null, false];
    else if (tipo === TIPO_REVISAO) yield [q, null, q, 'revisao', dec.pontuacao[i], comparacoes, dec.identidade[i], false];
    else if (dec.invalida[i]) yield [q, null, null, 'quarentena', dec.pontuacao[i], comparacoes, null, true];
    else yield [q, null, q, 'novo', dec.pontuacao[i], comparacoes, null, true];
  }
}

/**
 * Clusters the free rows of vdecisao along the edges of varesta (pairs above the threshold between query rows), best
 * edge first, never joining two sets a guard separates; a group's rows get the group of its smallest q (`novo` for
 * that row, `probabilistico` for the others). Holds only the rows that have an edge. Returns rows grouped and groups.
 */
async function agrupar(cliente: pg.PoolClient, modelo: Modelo, ctx: Contexto): Promise<{ linhas: number; grupos: number }> {
  const arestas: [number, number, number][] = [];
  for await (const c of lerCopia(cliente, `
      SELECT e.a, e.b, e.s FROM varesta e JOIN vdecisao da ON da.q = e.a AND da.livre JOIN vdecisao db ON db.q = e.b AND db.livre
       ORDER BY e.s DESC, e.a, e.b`)) arestas.push([Number(c[0]), Number(c[1]), Number(c[2])]);
  if (arestas.length === 0) return { linhas: 0, grupos: 0 };
  const linhas = new Map<number, LinhaComparavel>();
  for await (const c of lerCopia(cliente, `
      SELECT vq.q, ${atributos('vq')} FROM vq WHERE vq.q IN (SELECT a FROM varesta UNION SELECT b FROM varesta)`)) linhas.set(Number(c[0]), lerLinha(c, 1));
  const grupo = new Agrupamento();
  const compativeis = (x: number, y: number) => {
    const a = linhas.get(x);
    const b = linhas.get(y);
    return a !== undefined && b !== undefined && avaliarPar(modelo, ctx, a, b).impedimento === null;
  };
  const pontuacaoAresta = new Map<number, number>();
  for (const [a, b, s] of arestas) {
    if (grupo.unir(a, b, compativeis)) {
      if (!pontuacaoAresta.has(b)) pontuacaoAresta.set(b, s);
      if (!pontuacaoAresta.has(a)) pontuacaoAresta.set(a, s);
    }
  }
  const membros: Valor[][] = [];
  for (const [raiz, ms] of grupo.grupos()) {
    for (const m of ms) {
      const s = pontuacaoAresta.get(m) ?? 0;
      membros.push([m, raiz, m === raiz ? 'novo' : 'probabilistico', s, JSON.stringify({ agrupada: true, grupo: raiz, pontuacao: Math.round(s * 100) / 100 })]);
    }
  }
  await cliente.query(`CREATE TEMP TABLE vgrupo (q int PRIMARY KEY, grupo int NOT NULL, vinculo text NOT NULL, pontuacao real, comparacoes jsonb) ON COMMIT DROP`);
  await escreverCopia(cliente, 'vgrupo', ['q', 'grupo', 'vinculo', 'pontuacao', 'comparacoes'], membros);
  await cliente.query(`
    UPDATE vdecisao d SET identidade = NULL, grupo = g.grupo, vinculo = g.vinculo, pontuacao = g.pontuacao, comparacoes = g.comparacoes
      FROM vgrupo g WHERE g.q = d.q`);
  return { linhas: membros.length, grupos: grupo.grupos().size };
}

/** See the call: links of this run into one identity from one source, checked pairwise; returns how many were undone. */
async function revisarMesmaFonte(cliente: pg.PoolClient, modelo: Modelo, ctx: Contexto, lim: Limiares): Promise<number> {
  const grupos = new Map<string, { q: number; linha: LinhaComparavel }[]>();
  for await (const c of lerCopia(cliente, `
      SELECT d.identidade, d.q, ${atributos('vq')} FROM vdecisao d JOIN vq ON vq.q = d.q
       WHERE d.vinculo = 'probabilistico'
         AND (d.identidade, vq.fonte) IN (SELECT d2.identidade, v2.fonte FROM vdecisao d2 JOIN vq v2 ON v2.q = d2.q WHERE d2.vinculo = 'probabilistico' GROUP BY 1, 2 HAVING count(*) > 1)
       ORDER BY d.identidade, d.pontuacao DESC, d.q`)) {
    const chave = `${c[0]}|${c[2]}`;
    (grupos.get(chave) ?? grupos.set(chave, []).get(chave)!).push({ q: Number(c[1]), linha: lerLinha(c, 2) });
  }
  const desfazer: number[] = [];
  for (const membros of grupos.values()) {
    const aceitos = [membros[0]];
    for (const m of membros.slice(1)) {
      const ok = aceitos.every((a) => {
        const av = avaliarPar(modelo, ctx, a.linha, m.linha);
        return av.impedimento === null && av.pontuacao >= limiarDoPar(av, lim);
      });
      if (ok) aceitos.push(m);
      else desfazer.push(m.q);
    }
  }
  if (desfazer.length > 0) {
    await cliente.query(
      `UPDATE vdecisao d SET
              candidata = CASE WHEN vq.triagem = 'cpf-invalido' THEN NULL ELSE d.identidade END, identidade = NULL,
              grupo = CASE WHEN vq.triagem = 'cpf-invalido' THEN NULL ELSE d.q END,
              vinculo = CASE WHEN vq.triagem = 'cpf-invalido' THEN 'quarentena' ELSE 'revisao' END,
              comparacoes = jsonb_set(d.comparacoes, '{motivo}', '"mesma-fonte"')
         FROM vq WHERE vq.q = d.q AND d.q = ANY($1::int[])`,
      [desfazer],
    );
  }
  return desfazer.length;
}
