/**
 * The Fellegi–Sunter model of the linkage: per field and level, m = P(level | same person) and
 * u = P(level | different persons); a level weighs log2(m/u) and a pair's match weight is the sum over fields.
 * `ausente` (a value missing on either side) weighs 0.
 *
 * Both are estimated from the data at every load (`estimar.ts`), as Splink does:
 * - m from pairs labelled by a shared CPF (two rows carrying the same owned CPF are one person: Splink's
 *   "estimate m from a label column"), with a documented prior when the base holds too few such pairs (the very
 *   first load of an empty base);
 * - u from random pairs of rows (two random rows are almost never one person);
 * - term frequency: agreement on a first name or a municipality weighs log2(m / f(value)), f being the value's share
 *   of the rows (a shared rare name says more than a shared MARIA or SÃO PAULO); agreement on a parent's name weighs
 *   log2(m / f), f the share of parents' names with its given name times, for each surname the child does not carry,
 *   the share of parents' names with that surname, and one half for each it carries (`pesoGenitor`): two mothers named
 *   MARIA SILVA are far commoner than two named FERNANDA XAVIER.
 * Counts are smoothed (+1 per level), so no weight is infinite.
 */
import { AUSENTE, CAMPOS, NIVEIS, type Campo, type Contexto, type Vetor } from './comparar.js';
import { chaveFonetica } from './chaves.js';

export type Contagens = Record<Campo, number[]>;

export function contagensVazias(): Contagens {
  return Object.fromEntries(CAMPOS.map((c) => [c, NIVEIS[c].map(() => 0)])) as Contagens;
}

export function contar(c: Contagens, v: Vetor): void {
  for (let i = 0; i < CAMPOS.length; i++) c[CAMPOS[i]][v[i]] += 1;
}

/** Probabilities over the levels that are not `ausente` (+1 smoothing per level). */
export function probabilidades(c: Contagens): Record<Campo, number[]> {
  return Object.fromEntries(
    CAMPOS.map((campo) => {
      const n = c[campo];
      const a = AUSENTE[campo];
      const niveis = n.filter((_x, i) => i !== a).length;
      const total = n.reduce((s, x, i) => (i === a ? s : s + x), 0) + niveis;
      return [campo, n.map((x, i) => (i === a ? 0 : (x + 1) / total))];
    }),
  ) as Record<Campo, number[]>;
}

/**
 * m when the base has too few CPF-labelled pairs (fewer than `MIN_PARES_ROTULADOS`): conservative values in line with
 * published linkage of Brazilian registers (exact agreement on name and birth date for ~90–95 % of true pairs, mother's
 * name recorded and equal for most, same source rarely). Used only until the data can speak.
 */
export const M_PADRAO: Record<Campo, number[]> = {
  prenome: [0.93, 0.02, 0.03, 0.01, 0.01, 0],
  sobrenomes: [0.75, 0.04, 0.04, 0.1, 0.05, 0.02, 0],
  nascimento: [0.95, 0.02, 0.02, 0.01, 0],
  mae: [0.85, 0.1, 0.02, 0.01, 0.01, 0.01, 0],
  pai: [0.85, 0.1, 0.02, 0.01, 0.01, 0.01, 0],
  sexo: [0.99, 0.01, 0],
  municipio: [0.85, 0.15, 0],
  cpfMae: [0.97, 0.03, 0],
  telefone: [0.6, 0.4, 0],
  email: [0.7, 0.3, 0],
  cpf: [0.7, 0.3, 0],
  fonte: [0.05, 0.95],
};
export const MIN_PARES_ROTULADOS = 2000;

export interface Modelo {
  readonly m: Record<Campo, number[]>;
  readonly u: Record<Campo, number[]>;
  /** log2(m/u) per field and level (0 for `ausente`). */
  readonly pesos: Record<Campo, number[]>;
  /** Share of the rows with each first name / municipality (term frequency). */
  readonly tfPrenome: ReadonlyMap<string, number>;
  readonly tfMunicipio: ReadonlyMap<string, number>;
  /** Smallest share a value is given (values unseen in the sample). */
  readonly tfMinimo: number;
  /**
   * Parents' names' words in the row sample, for the term frequency of a parent's name (`pesoGenitor`); null in a model
   * stored before it existed (the plain weight applies).
   */
  readonly tfGenitores: TfGenitores | null;
  /** Where m came from: `rotulos` (CPF-labelled pairs, how many) or `padrao`. */
  readonly origemM: { readonly fonte: 'rotulos' | 'padrao'; readonly pares: number };
  readonly paresU: number;
}

/** Share of the parents' names in a sample with each given name (first word) and with each surname (a later word). */
export interface TfNomes {
  readonly prenome: ReadonlyMap<string, number>;
  readonly sobrenome: ReadonlyMap<string, number>;
  /** Share given a word unseen in the sample. */
  readonly minimo: number;
}
export interface TfGenitores {
  readonly mae: TfNomes;
  readonly pai: TfNomes;
}

const IDX = Object.fromEntries(CAMPOS.map((c, i) => [c, i])) as Record<Campo, number>;
export const INDICE_CAMPO: Readonly<Record<Campo, number>> = IDX;

export function montarModelo(op: {
  m: Record<Campo, number[]>;
  u: Record<Campo, number[]>;
  tfPrenome: ReadonlyMap<string, number>;
  tfMunicipio: ReadonlyMap<string, number>;
  tfMinimo: number;
  tfGenitores?: TfGenitores | null;
  origemM: Modelo['origemM'];
  paresU: number;
}): Modelo {
  const pesos = Object.fromEntries(
    CAMPOS.map((c) => [c, op.m[c].map((m, i) => (i === AUSENTE[c] ? 0 : Math.log2(Math.max(m, 1e-6) / Math.max(op.u[c][i], 1e-6))))]),
  ) as Record<Campo, number[]>;
  return { ...op, tfGenitores: op.tfGenitores ?? null, pesos };
}

/** Weight of one field's level for a pair, term-frequency adjusted where it applies. */
export function pesoCampo(mod: Modelo, campo: Campo, nivel: number, valorA: string | null): number {
  if (nivel === 0 && valorA !== null && (campo === 'prenome' || campo === 'municipio')) {
    const tf = (campo === 'prenome' ? mod.tfPrenome : mod.tfMunicipio).get(valorA) ?? mod.tfMinimo;
    // Never weigh a frequent value below the field's plain 'different' weight, nor a rare one above the
    // plain agreement weight by more than 10 bits.
    const bruto = Math.log2(Math.max(mod.m[campo][0], 1e-6) / Math.max(tf, mod.tfMinimo));
    return Math.min(Math.max(bruto, 0), mod.pesos[campo][0] + 10);
  }
  return mod.pesos[campo][nivel];
}

/**
 * The chance that another person of the child's name has a parent carrying a given surname of the child's: a child
 * takes one surname from each parent, so about one half — not that surname's share among all parents.
 */
const PARTE_HERDADA = 0.5;

/**
 * Weight of a parent's name agreeing (level `igual`), term-frequency adjusted: log2(m / f), f the chance that a random
 * parent's name agrees — its given name's share times, for each surname the child does not carry (`herdados`), that
 * surname's share (a surname written twice counted once, as the shares count names carrying it), and for each surname
 * the child carries, one half (`PARTE_HERDADA`: a homonym's parent carries it that often). Bounded as the first
 * name's: never below 0, never more than 10 bits above the plain agreement weight.
 */
export function pesoGenitor(mod: Modelo, campo: 'mae' | 'pai', nome: readonly string[], herdados: ReadonlySet<string>): number {
  const tf = mod.tfGenitores?.[campo];
  if (!tf) return mod.pesos[campo][0];
  let f = tf.prenome.get(nome[0]) ?? tf.minimo;
  for (let i = 1; i < nome.length; i++) {
    const w = nome[i];
    // Each surname once, as the shares were counted (the share of names carrying SILVA already holds MARIA SILVA
    // SILVA); looked up in the name itself, not a new Set: this runs for every pair whose parents' names agree.
    if (nome.indexOf(w, 1) < i) continue;
    f *= herdados.has(w) ? PARTE_HERDADA : (tf.sobrenome.get(w) ?? tf.minimo);
  }
  const bruto = Math.log2(Math.max(mod.m[campo][0], 1e-6) / Math.max(f, 1e-12));
  return Math.min(Math.max(bruto, 0), mod.pesos[campo][0] + 10);
}

/** Share of the rows from which a first name counts as a name of its own, not a typo of another (`Contexto`). */
const FREQUENCIA_NOME_ESTABELECIDO = 5e-4;

/** Memoised phonetic code (names repeat a lot). */
export function criarFonetica(): (p: string) => string {
  const cache = new Map<string, string>();
  return (p) => {
    let c = cache.get(p);
    if (c === undefined) {
      c = chaveFonetica(p);
      if (cache.size < 200_000) cache.set(p, c);
    }
    return c;
  };
}

/** The comparison context of a set of first-name frequencies. */
export function criarContexto(tfPrenome: ReadonlyMap<string, number>): Contexto {
  return { fonetica: criarFonetica(), nomeEstabelecido: (p) => (tfPrenome.get(p) ?? 0) >= FREQUENCIA_NOME_ESTABELECIDO };
}
