/**
 * Estimates the linkage model (`modelo.ts`) from the base as it is when the phase runs: `linha_carga` (every earlier
 * load) plus this load's staged rows. Samples are chosen by a hash of the rows' content (CPF or source key), never
 * by physical order or a clock, and read in a total order (ties broken by the row's source and key), so a phase re-run
 * after a crash — or the same files loaded into another base — estimates exactly the same model.
 *
 * - m: every pair of rows sharing an owned CPF (rows with `cpf_de_outra_pessoa` excluded), over a hash sample of
 *   CPFs. The `cpf` field cannot be learnt from CPF labels (they agree by construction): its m comes from rows with
 *   an invalid CPF whose name, birth date and mother's name all equal those of a row with a valid CPF — almost surely
 *   the same person — as the share whose digits are one edit away from that CPF.
 * - u and term frequencies: a hash sample of rows, paired at random (seeded, deterministic); the parents' names of
 *   the same sample give the shares of their given names and surnames (`pesoGenitor`).
 */
import type pg from 'pg';
import { CAMPOS, comparar, umaEdicao, type Campo, type LinhaComparavel } from './comparar.js';
import { lerCopia } from './copia.js';
import { atributos, lerLinha, literal } from './linhas.js';
import { contagensVazias, contar, criarContexto, M_PADRAO, MIN_PARES_ROTULADOS, montarModelo, probabilidades, type Modelo, type TfNomes } from './modelo.js';

const ALVO_LINHAS_M = 200_000;
const ALVO_LINHAS_U = 60_000;
const RODADAS_U = 4;
const MIN_PARES_CPF = 50;
/** Hard cap of each sample, as a multiple of its target. */
const LIMITE_AMOSTRA = 2;

/** Small seeded PRNG (mulberry32): the same seed gives the same pairs. */
function prng(semente: number): () => number {
  let a = semente >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows of the base plus this load's. `linha_carga`'s size is the planner's estimate (`reltuples`, kept current by the
 * linkage phases' ANALYZE); a table never analysed (-1: a server with autovacuum off) is counted, never taken for empty
 * — an empty estimate made the samples below take the whole base, and memory and time grow with it.
 */
async function totalDeLinhas(cliente: pg.PoolClient, cargaId: string): Promise<number> {
  const r = await cliente.query<{ l: string; s: string }>(
    `SELECT (SELECT reltuples FROM pg_class WHERE oid = 'linha_carga'::regclass)::bigint AS l,
            (SELECT count(*) FROM carga_staging WHERE carga_id = $1) AS s`,
    [cargaId],
  );
  let l = Number(r.rows[0].l);
  if (l < 0) l = Number((await cliente.query<{ n: string }>(`SELECT count(*) AS n FROM linha_carga`)).rows[0].n);
  return l + Number(r.rows[0].s);
}

/** Counts the words of a sample's parents' names: given names (first word) and surnames (each later word once per name). */
class ContagemNomes {
  private readonly prenome = new Map<string, number>();
  private readonly sobrenome = new Map<string, number>();
  private nomes = 0;

  contar(nome: readonly string[] | null): void {
    if (nome === null || nome.length === 0) return;
    this.nomes += 1;
    this.prenome.set(nome[0], (this.prenome.get(nome[0]) ?? 0) + 1);
    for (const w of new Set(nome.slice(1))) this.sobrenome.set(w, (this.sobrenome.get(w) ?? 0) + 1);
  }

  /** Shares of the names counted; a word never seen counts as seen once in a sample of at least 1,000 names. */
  shares(): TfNomes {
    const n = Math.max(this.nomes, 1);
    const por = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [k, v / n]));
    return { prenome: por(this.prenome), sobrenome: por(this.sobrenome), minimo: 1 / Math.max(this.nomes, 1000) };
  }
}

const limiarHash = (alvo: number, total: number) => Math.max(1, Math.min(1024, Math.ceil((alvo / Math.max(total, 1)) * 1024)));

export async function estimarModelo(cliente: pg.PoolClient, cargaId: string, fonte: string): Promise<Modelo> {
  if (!/^\d+$/.test(cargaId)) throw new Error(`carga inválida: ${cargaId}`);
  const fonteSql = literal(fonte);
  const total = await totalDeLinhas(cliente, cargaId);

  // ── u and term frequencies: random pairs of a row sample ──
  const ku = limiarHash(ALVO_LINHAS_U, total);
  const amostra: LinhaComparavel[] = [];
  const tfP = new Map<string, number>();
  const tfM = new Map<string, number>();
  const maes = new ContagemNomes();
  const pais = new ContagemNomes();
  // Never more than LIMITE_AMOSTRA × the target, whatever the estimate said (memory stays bounded).
  for await (const c of lerCopia(cliente, `
      SELECT ${atributos('x')}, hashtext(x.fonte || ':' || x.chave_fonte), x.fonte || ':' || x.chave_fonte FROM linha_carga x WHERE (hashtext(x.fonte || ':' || x.chave_fonte) & 1023) < ${ku}
      UNION ALL
      SELECT ${atributos('x', fonteSql)}, hashtext(${fonteSql} || ':' || x.chave_fonte), ${fonteSql} || ':' || x.chave_fonte FROM carga_staging x WHERE x.carga_id = ${cargaId} AND (hashtext(${fonteSql} || ':' || x.chave_fonte) & 1023) < ${ku}
      ORDER BY 12, 13 LIMIT ${ALVO_LINHAS_U * LIMITE_AMOSTRA}`)) {
    const l = lerLinha(c, 0);
    amostra.push(l);
    if (l.nome) tfP.set(l.nome[0], (tfP.get(l.nome[0]) ?? 0) + 1);
    if (l.municipio) tfM.set(l.municipio, (tfM.get(l.municipio) ?? 0) + 1);
    maes.contar(l.mae);
    pais.contar(l.pai);
  }
  const contU = contagensVazias();
  let paresU = 0;
  const aleatorio = prng(0x5eed);
  const n = amostra.length;
  const nP = [...tfP.values()].reduce((s, x) => s + x, 0);
  const nM = [...tfM.values()].reduce((s, x) => s + x, 0);
  const tfPrenome = new Map([...tfP].map(([k, v]) => [k, v / nP]));
  const tfMunicipio = new Map([...tfM].map(([k, v]) => [k, v / nM]));
  const ctx = criarContexto(tfPrenome);
  for (let rodada = 0; rodada < RODADAS_U && n > 1; rodada++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(aleatorio() * n);
      if (j === i) continue;
      const a = amostra[i];
      const b = amostra[j];
      if (a.cpf !== null && a.cpf === b.cpf) continue;
      contar(contU, comparar(a, b, ctx));
      paresU += 1;
    }
  }

  // ── m: pairs of rows sharing an owned CPF ──
  const km = limiarHash(ALVO_LINHAS_M, total);
  const contM = contagensVazias();
  let paresM = 0;
  let grupo: LinhaComparavel[] = [];
  let cpfAtual: string | null = null;
  const fecharGrupo = () => {
    for (let i = 0; i < grupo.length; i++) for (let j = i + 1; j < grupo.length; j++) {
      contar(contM, comparar(grupo[i], grupo[j], ctx));
      paresM += 1;
    }
    grupo = [];
  };
  for await (const c of lerCopia(cliente, `
      SELECT x.cpf, ${atributos('x')}, x.fonte || ':' || x.chave_fonte FROM linha_carga x
       WHERE x.vinculo = 'cpf' AND NOT x.cpf_de_outra_pessoa AND x.cpf IS NOT NULL AND (hashtext(x.cpf) & 1023) < ${km}
      UNION ALL
      SELECT x.cpf, ${atributos('x', fonteSql)}, ${fonteSql} || ':' || x.chave_fonte FROM carga_staging x
       WHERE x.carga_id = ${cargaId} AND x.triagem = 'base-unica' AND NOT x.cpf_de_outra_pessoa AND (hashtext(x.cpf) & 1023) < ${km}
      ORDER BY 1, 13 LIMIT ${ALVO_LINHAS_M * LIMITE_AMOSTRA}`)) {
    if (c[0] !== cpfAtual) {
      fecharGrupo();
      cpfAtual = c[0];
    }
    grupo.push(lerLinha(c, 1));
  }
  fecharGrupo();

  // ── m of the approximate CPF comparison ──
  let perto = 0;
  let longe = 0;
  for await (const c of lerCopia(cliente, `
      WITH inv AS (
        SELECT regexp_replace(x.cpf_bruto, '[^0-9]', '', 'g') AS d, x.nome_chave, x.data_nascimento, x.nome_mae_chave FROM linha_carga x
         WHERE x.triagem = 'cpf-invalido' AND x.motivo IN ('digito', 'tamanho', 'caractere') AND x.nome_mae_chave IS NOT NULL
        UNION ALL
        SELECT regexp_replace(x.cpf_bruto, '[^0-9]', '', 'g'), x.nome_chave, x.data_nascimento, x.nome_mae_chave FROM carga_staging x
         WHERE x.carga_id = ${cargaId} AND x.triagem = 'cpf-invalido' AND x.motivo IN ('digito', 'tamanho', 'caractere') AND x.nome_mae_chave IS NOT NULL
      ), dono AS (
        SELECT x.cpf, x.nome_chave, x.data_nascimento, x.nome_mae_chave FROM linha_carga x WHERE x.vinculo = 'cpf' AND NOT x.cpf_de_outra_pessoa
        UNION ALL
        SELECT x.cpf, x.nome_chave, x.data_nascimento, x.nome_mae_chave FROM carga_staging x
         WHERE x.carga_id = ${cargaId} AND x.triagem = 'base-unica' AND NOT x.cpf_de_outra_pessoa
      )
      SELECT DISTINCT inv.d, dono.cpf FROM inv JOIN dono USING (nome_chave, data_nascimento, nome_mae_chave) ORDER BY 1, 2 LIMIT 20000`)) {
    if (umaEdicao(c[0] ?? '', c[1] ?? '')) perto += 1;
    else longe += 1;
  }

  const rotulado = paresM >= MIN_PARES_ROTULADOS;
  const m: Record<Campo, number[]> = rotulado ? probabilidades(contM) : { ...M_PADRAO };
  m.cpf = perto + longe >= MIN_PARES_CPF ? [(perto + 1) / (perto + longe + 2), (longe + 1) / (perto + longe + 2), 0] : M_PADRAO.cpf;
  const u = probabilidades(contU);
  for (const campo of CAMPOS) if (m[campo].length !== u[campo].length) throw new Error(`modelo: níveis de ${campo} divergentes`);
  return montarModelo({
    m, u, tfPrenome, tfMunicipio, tfMinimo: 1 / Math.max(nP, 1000), tfGenitores: { mae: maes.shares(), pai: pais.shares() }, origemM: { fonte: rotulado ? 'rotulos' : 'padrao', pares: paresM }, paresU,
  });
}

/** The model as stored in `carga.modelo_vinculo` (the maps as [value, share] pairs). */
interface ModeloGuardado {
  m: Modelo['m'];
  u: Modelo['u'];
  tfPrenome: [string, number][];
  tfMunicipio: [string, number][];
  tfMinimo: number;
  /** Absent from models stored before parents' names were frequency-adjusted. */
  tfGenitores?: Record<'mae' | 'pai', { prenome: [string, number][]; sobrenome: [string, number][]; minimo: number }>;
  origemM: Modelo['origemM'];
  paresU: number;
}

const guardarNomes = (t: TfNomes) => ({ prenome: [...t.prenome], sobrenome: [...t.sobrenome], minimo: t.minimo });
const lerNomes = (t: { prenome: [string, number][]; sobrenome: [string, number][]; minimo: number }): TfNomes => ({
  prenome: new Map(t.prenome), sobrenome: new Map(t.sobrenome), minimo: t.minimo,
});

/**
 * The load's model: estimated once per load (the first linkage phase that needs it) and stored in `carga.modelo_vinculo`
 * inside that phase's transaction; a later phase — or the same phase re-run after a crash — reads it back. Sound
 * because nothing between the two phases changes what `estimarModelo` reads (the attributes, triage and
 * `cpf_de_outra_pessoa` of staging and `linha_carga`; `fundindo` and adoption only set `identidade_id`/`vinculo`).
 */
export async function modeloDaCarga(cliente: pg.PoolClient, cargaId: string, fonte: string): Promise<Modelo> {
  const r = await cliente.query<{ g: ModeloGuardado | null }>(`SELECT modelo_vinculo AS g FROM carga WHERE id = $1`, [cargaId]);
  const g = r.rows[0]?.g;
  if (g) {
    return montarModelo({
      ...g, tfPrenome: new Map(g.tfPrenome), tfMunicipio: new Map(g.tfMunicipio),
      tfGenitores: g.tfGenitores ? { mae: lerNomes(g.tfGenitores.mae), pai: lerNomes(g.tfGenitores.pai) } : null,
    });
  }
  const modelo = await estimarModelo(cliente, cargaId, fonte);
  const guardar: ModeloGuardado = {
    m: modelo.m, u: modelo.u, tfPrenome: [...modelo.tfPrenome], tfMunicipio: [...modelo.tfMunicipio],
    tfMinimo: modelo.tfMinimo, origemM: modelo.origemM, paresU: modelo.paresU,
    ...(modelo.tfGenitores && { tfGenitores: { mae: guardarNomes(modelo.tfGenitores.mae), pai: guardarNomes(modelo.tfGenitores.pai) } }),
  };
  await cliente.query(`UPDATE carga SET modelo_vinculo = $2::jsonb WHERE id = $1`, [cargaId, JSON.stringify(guardar)]);
  return modelo;
}
