/**
 * Field comparisons of the record linkage (Fellegi–Sunter): a pair of rows → one comparison level per field. Pure;
 * the levels' m and u probabilities, and so their weights, are estimated from the data (`modelo.ts`).
 *
 * Levels, best first; `ausente` (a value missing on either side) always weighs 0:
 *   prenome     igual · fonetico (same phonetic code, e.g. LUIZ/LUIS) · parecido (typo: one edit, a transposition or
 *               Jaro-Winkler ≥ 0.88) · inicial (one side is an initial of the other) · diferente (incl. the other
 *               gender's form: PAULO/PAULA)
 *   sobrenomes  every word after the first: igual · quase (same words, typos) · abreviado (same words, some as
 *               initials) · contido (the shorter list is found in order in the longer: a dropped middle name, a married
 *               name appended) · parcial (at least one whole word in common: a married name replacing the last one)
 *               · diferente — an agnome (FILHO, JUNIOR, NETO…) ending one list only is left out: systems that cut long
 *               names drop it first, and the birth date tells a father from his son
 *   nascimento  igual · trocado (day and month swapped) · um-campo (only one of day, month, year differs) · diferente
 *   mae, pai    parent's name, without the surnames the child carries: igual · quase (first word and the rest match, typos, initials and dropped words
 *               allowed — but two established names a letter apart, MARIA/MARCIA, are two first words) · parcial (first
 *               word and a surname) · prenome (first word only) · sobrenome (a surname only: relatives and homonyms
 *               share these) · diferente
 *   sexo, municipio, cpfMae (mother's CPF, or the guardian's CPF a row carries), telefone, email: igual · diferente
 *   cpf         the row's CPF digits (a CPF with wrong check digits or length) against the other's: quase (at most one
 *               digit inserted, deleted or changed) · diferente
 *   fonte       mesma (both rows from one source) · outra */

import { AGNOMES } from '../../pmcc/variantes-nome.js';
import { chaveFonetica } from './chaves.js';

export const NIVEIS = {
  prenome: ['igual', 'fonetico', 'parecido', 'inicial', 'diferente', 'ausente'],
  sobrenomes: ['igual', 'quase', 'abreviado', 'contido', 'parcial', 'diferente', 'ausente'],
  nascimento: ['igual', 'trocado', 'um-campo', 'diferente', 'ausente'],
  mae: ['igual', 'quase', 'parcial', 'prenome', 'sobrenome', 'diferente', 'ausente'],
  pai: ['igual', 'quase', 'parcial', 'prenome', 'sobrenome', 'diferente', 'ausente'],
  sexo: ['igual', 'diferente', 'ausente'],
  municipio: ['igual', 'diferente', 'ausente'],
  cpfMae: ['igual', 'diferente', 'ausente'],
  telefone: ['igual', 'diferente', 'ausente'],
  email: ['igual', 'diferente', 'ausente'],
  cpf: ['quase', 'diferente', 'ausente'],
  fonte: ['mesma', 'outra'],
} as const;

export type Campo = keyof typeof NIVEIS;
export const CAMPOS = Object.keys(NIVEIS) as Campo[];

/** Index of each field's levels, and of `ausente` (the level that weighs 0). */
export const AUSENTE: Readonly<Record<Campo, number>> = Object.fromEntries(
  CAMPOS.map((c) => [c, (NIVEIS[c] as readonly string[]).indexOf('ausente')]),
) as Record<Campo, number>;

/** A row as the linkage compares it (values normalised; null when unknown). */
export interface LinhaComparavel {
  readonly fonte: string;
  /** Words of the name's comparison key (`nome_chave`), at least one. */
  readonly nome: readonly string[] | null;
  readonly mae: readonly string[] | null;
  readonly pai: readonly string[] | null;
  /** `YYYY-MM-DD`. */
  readonly nascimento: string | null;
  readonly sexo: string | null;
  readonly municipio: string | null;
  readonly cpfMae: string | null;
  readonly telefone: string | null;
  readonly email: string | null;
  /** Digits of the row's own CPF (valid, or the digits of an invalid one worth comparing); null otherwise. */
  readonly cpf: string | null;
}

/** Levels of one pair, one index per field in CAMPOS order. */
export type Vetor = Uint8Array;

/** What a comparison needs besides the two rows. */
export interface Contexto {
  /** Phonetic code of a word (memoised by the caller). */
  readonly fonetica: (palavra: string) => string;
  /**
   * A first name common enough in the base to be a name of its own (term frequency): two such names one letter apart
   * (MARIA/MARIANA, JOAO/JOANA) are two names, not a typo.
   */
  readonly nomeEstabelecido: (palavra: string) => boolean;
}

// ── string similarity ──

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters). */
function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const janela = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const casadoA = new Uint8Array(la);
  const casadoB = new Uint8Array(lb);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const ini = Math.max(0, i - janela);
    const fim = Math.min(lb, i + janela + 1);
    for (let j = ini; j < fim; j++) {
      if (casadoB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      casadoA[i] = 1;
      casadoB[j] = 1;
      m += 1;
      break;
    }
  }
  if (m === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!casadoA[i]) continue;
    while (!casadoB[k]) k += 1;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t += 1;
    k += 1;
  }
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let prefixo = 0;
  while (prefixo < 4 && prefixo < la && prefixo < lb && a.charCodeAt(prefixo) === b.charCodeAt(prefixo)) prefixo += 1;
  return jaro + prefixo * 0.1 * (1 - jaro);
}

/** At most one character inserted, deleted or substituted between a and b. */
export function umaEdicao(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i += 1;
  if (la === lb) return a.slice(i + 1) === b.slice(i + 1);
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Transposition of two neighbouring characters (the commonest typo after one-character edits). */
function transposicao(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

const LIMIAR_PARECIDO = 0.88;

/** Two words written differently that are the same word with a typo (long enough for that to be told apart). */
function parecidas(a: string, b: string): boolean {
  if (a.length < 4 || b.length < 4) return false;
  return umaEdicao(a, b) || transposicao(a, b) || jaroWinkler(a, b) >= LIMIAR_PARECIDO + 0.04;
}

/**
 * The same given name in its other gender's form (PAULO/PAULA, DANIEL/DANIELA, FRANCISCO/FRANCISCA): in Portuguese
 * the ending carries the gender, so these are different names even though they differ by one letter.
 */
function outroGenero(a: string, b: string): boolean {
  const [curto, longo] = a.length <= b.length ? [a, b] : [b, a];
  if (longo.length === curto.length) {
    const fa = a[a.length - 1];
    const fb = b[b.length - 1];
    return a.slice(0, -1) === b.slice(0, -1) && ((fa === 'A' && fb === 'O') || (fa === 'O' && fb === 'A'));
  }
  return longo.length === curto.length + 1 && longo.endsWith('A') && longo.startsWith(curto) && !/[AEIOU]$/.test(curto);
}

// ── fields ──

function nivelPrenome(a: string, b: string, ctx: Contexto): number {
  if (a === b) return 0;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 3 : 4;
  if (outroGenero(a, b)) return 4;
  if (ctx.fonetica(a) === ctx.fonetica(b) && jaroWinkler(a, b) >= 0.8) return 1;
  if ((umaEdicao(a, b) || transposicao(a, b) || jaroWinkler(a, b) >= LIMIAR_PARECIDO) && !(ctx.nomeEstabelecido(a) && ctx.nomeEstabelecido(b))) return 2;
  return 4;
}

/** A word of one list stands for a word of the other: the same, a typo, an initial, or a cut-off (fixed-width) prefix. */
function casam(a: string, b: string, fonetica: (p: string) => string): 'igual' | 'parecida' | 'inicial' | null {
  if (a === b) return 'igual';
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 'inicial' : null;
  if (parecidas(a, b) || (a.length >= 4 && b.length >= 4 && a[0] === b[0] && fonetica(a) === fonetica(b))) return 'parecida';
  if ((a.length >= 3 && b.startsWith(a)) || (b.length >= 3 && a.startsWith(b))) return 'parecida';
  return null;
}

/**
 * The words without the agnome that ends them when the other list has none (JOSE SILVA FILHO written JOSE SILVA); two
 * different agnomes (NETO, SOBRINHO) are compared as written.
 */
function semAgnomeDeUmLado(a: readonly string[], b: readonly string[]): readonly string[] {
  const ultima = a[a.length - 1];
  return a.length > 1 && AGNOMES.has(ultima) && !b.includes(ultima) && !AGNOMES.has(b[b.length - 1]) ? a.slice(0, -1) : a;
}

function nivelSobrenomes(brutoA: readonly string[], brutoB: readonly string[], fonetica: (p: string) => string): number {
  const a = semAgnomeDeUmLado(brutoA, brutoB);
  const b = semAgnomeDeUmLado(brutoB, brutoA);
  if (a.length === 0 || b.length === 0) return 6;
  if (a.length === b.length && a.every((x, i) => x === b[i])) return 0;
  if (a.length === b.length) {
    const c = a.map((x, i) => casam(x, b[i], fonetica));
    if (c.every((x) => x === 'igual' || x === 'parecida')) return 1;
    if (c.every((x) => x !== null) && a.some((x) => x.length > 1)) return 2;
  }
  const [curta, longa] = a.length <= b.length ? [a, b] : [b, a];
  // Ordered subsequence: every word of the shorter list matches a later word of the longer one.
  let j = 0;
  let todas = true;
  for (const x of curta) {
    while (j < longa.length && casam(x, longa[j], fonetica) === null) j += 1;
    if (j === longa.length) {
      todas = false;
      break;
    }
    j += 1;
  }
  if (todas && curta.some((x) => x.length > 1)) return 3;
  const inteiras = curta.filter((x) => x.length > 1 && longa.some((y) => y.length > 1 && casam(x, y, fonetica) !== null)).length;
  return inteiras > 0 ? 4 : 5;
}

function nivelNascimento(a: string, b: string): number {
  if (a === b) return 0;
  const [ya, ma, da] = [a.slice(0, 4), a.slice(5, 7), a.slice(8, 10)];
  const [yb, mb, db] = [b.slice(0, 4), b.slice(5, 7), b.slice(8, 10)];
  if (ya === yb && ma === db && da === mb) return 1;
  const iguais = (ya === yb ? 1 : 0) + (ma === mb ? 1 : 0) + (da === db ? 1 : 0);
  return iguais === 2 ? 2 : 3;
}

/**
 * Two given names a letter or an ending apart that are each a name of the base (`Contexto.nomeEstabelecido`) and do
 * not sound alike: two names, not a typo — the rule of the person's own given name (`nivelPrenome`), applied to a
 * parent's. MARIA ANA SILVA OLIVEIRA and MARCIA SILVA OLIVEIRA, the mothers of two JULIA CARLA OLIVEIRA BARBOSA born
 * the same day (1,000,000 generated persons, seed 83), are two women; read as a typo, MARIA/MARCIA corroborated the
 * link of one's rows into the other's record.
 */
function doisNomes(a: string, b: string, ctx: Contexto): boolean {
  return a !== b && ctx.nomeEstabelecido(a) && ctx.nomeEstabelecido(b) && ctx.fonetica(a) !== ctx.fonetica(b);
}

/** A parent's name without the surnames the child carries (the given name always stays). */
function semHerdados(nome: readonly string[], herdados: ReadonlySet<string>): readonly string[] {
  if (herdados.size === 0 || nome.length < 2) return nome;
  return [nome[0], ...nome.slice(1).filter((w) => !herdados.has(w))];
}

/**
 * A parent's name (see NIVEIS.mae): the first word is the given name, the rest surnames, compared without the
 * surnames the child carries (`herdados`: they say nothing about which parent). When that leaves a side with its given
 * name alone (every surname it wrote is one the child carries, or it wrote none), the surnames tell nothing apart: the
 * two names share a given name and no more (`prenome`) — unless the names as written are the same but for typos or
 * initials (`quase`), or identical (`igual`). MARIA SANTOS SANTOS and MARIA DE ANDRADE SANTOS, the mothers of two LUIZ
 * SANTOS MOREIRA born the same day, are two women: once SANTOS is set aside, all they share is MARIA.
 */
function nivelGenitor(brutoA: readonly string[], brutoB: readonly string[], herdados: ReadonlySet<string>, ctx: Contexto): number {
  if (brutoA.length === brutoB.length && brutoA.every((x, i) => x === brutoB[i])) return 0;
  const fonetica = ctx.fonetica;
  const a = semHerdados(brutoA, herdados);
  const b = semHerdados(brutoB, herdados);
  const primeiro = casam(a[0], b[0], fonetica);
  const primeiroCasa = primeiro === 'igual' || (primeiro === 'parecida' && !doisNomes(a[0], b[0], ctx));
  const restoA = a.slice(1);
  const restoB = b.slice(1);
  if (restoA.length === 0 || restoB.length === 0) {
    if (!primeiroCasa) return 5;
    return nivelSobrenomes(brutoA.slice(1), brutoB.slice(1), fonetica) <= 2 ? 1 : 3;
  }
  if (a.length === b.length && a.every((x, i) => x === b[i])) return 0;
  const resto = nivelSobrenomes(restoA, restoB, fonetica);
  if (primeiroCasa && resto <= 3) return 1;
  if (primeiroCasa && resto === 4) return 2;
  if (primeiroCasa) return 3;
  return resto <= 4 ? 4 : 5;
}

const igualdade = (a: string | null, b: string | null): number => (a === null || b === null ? 2 : a === b ? 0 : 1);

/** The surnames (every word after the first) of two rows' names: what their parents' names are compared without. */
export function sobrenomesDosDois(a: LinhaComparavel, b: LinhaComparavel): Set<string> {
  return new Set([...(a.nome ?? []).slice(1), ...(b.nome ?? []).slice(1)]);
}

/** Compares two rows field by field into `saida` (levels as indices of NIVEIS, in CAMPOS order). */
export function comparar(a: LinhaComparavel, b: LinhaComparavel, ctx: Contexto, saida: Vetor = new Uint8Array(CAMPOS.length)): Vetor {
  const fonetica = ctx.fonetica;
  const na = a.nome;
  const nb = b.nome;
  saida[0] = na === null || nb === null ? 5 : nivelPrenome(na[0], nb[0], ctx);
  saida[1] = na === null || nb === null ? 6 : nivelSobrenomes(na.slice(1), nb.slice(1), fonetica);
  saida[2] = a.nascimento === null || b.nascimento === null ? 4 : nivelNascimento(a.nascimento, b.nascimento);
  // A child's surnames come from its parents: compared, they say nothing about which parent, so they are left out
  // of the parents' names (homonyms' mothers share them: MARIA COSTA ALMEIDA / MARIA SOUZA ALMEIDA of two VITOR
  // ALMEIDA CARVALHO are two women).
  const herdados = sobrenomesDosDois(a, b);
  saida[3] = a.mae === null || b.mae === null ? 6 : nivelGenitor(a.mae, b.mae, herdados, ctx);
  saida[4] = a.pai === null || b.pai === null ? 6 : nivelGenitor(a.pai, b.pai, herdados, ctx);
  saida[5] = igualdade(a.sexo, b.sexo);
  saida[6] = igualdade(a.municipio, b.municipio);
  saida[7] = igualdade(a.cpfMae, b.cpfMae);
  saida[8] = igualdade(a.telefone, b.telefone);
  saida[9] = igualdade(a.email, b.email);
  saida[10] = a.cpf === null || b.cpf === null ? 2 : umaEdicao(a.cpf, b.cpf) ? 0 : 1;
  saida[11] = a.fonte === b.fonte ? 0 : 1;
  return saida;
}

/**
 * Two names of one family that may be two people: given the same mother and birthday (twins), the names differ in a
 * given name — the first words are not the same name (a one-letter difference included: twins are given names that
 * rhyme or differ by a letter, KAUA/KAUE, so between two rows of one mother and birthday a typo cannot be told from a
 * twin's name; only another spelling of the same sounds, LUIS/LUIZ, is the same name), or a word present in one name
 * only is a given name (a first name
 * established in the base, `Contexto.nomeEstabelecido`) that is neither a parent's surname nor the last word (a
 * married name replacing or appended to the surnames). MARIA ALICE SILVA SOUZA / MARIA SILVA SOUZA are such names, and
 * so are LUCAS JOSE COSTA FERNANDES / LUCAS COSTA FERNANDES with a father PAULO JOSE MIRANDA FERNANDES (JOSE: a given
 * name, the father's second, not a surname — see `pais` in `pontuar.ts`);
 * TIAGO MACHADO GONCALVES / TIAGO GONCALVES (MACHADO: a surname, the mother's), LUCIANA MARIA MOREIRA COSTA SANTOS /
 * LUCIANA MARIA MOREIRA SANTOS (COSTA: a surname) and ANA SOUZA LIMA / ANA SOUZA COSTA are not.
 */
export function nomesDeIrmaos(
  a: readonly string[], b: readonly string[], pais: ReadonlySet<string>, ctx: Contexto,
  semPar: readonly [boolean, boolean] = prenomesSemPar(a, b, pais, ctx),
): boolean {
  const p = nivelPrenome(a[0], b[0], ctx);
  if (p >= 2 || (p === 1 && chaveFonetica(a[0], true) !== chaveFonetica(b[0], true))) return true;
  return semPar[0] || semPar[1];
}

/**
 * Whether a (first) and b (second) hold a given name the other lacks, past the first word (see `nomesDeIrmaos`): a
 * word left unmatched that is an established first name, neither a parent's surname nor the last word — or an initial
 * right after the first word (MARIA V ALVES ALMEIDA: the initial of a second given name, VERA) that is no parent's
 * surname's initial.
 */
export function prenomesSemPar(a: readonly string[], b: readonly string[], pais: ReadonlySet<string>, ctx: Contexto): [boolean, boolean] {
  const ra = a.slice(1);
  const rb = b.slice(1);
  // Longest common subsequence of words (a word matches another as in the surnames comparison).
  const n = ra.length;
  const m = rb.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) t[i][j] = casam(ra[i], rb[j], ctx.fonetica) !== null ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  }
  const casadaA = new Uint8Array(n);
  const casadaB = new Uint8Array(m);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (casam(ra[i], rb[j], ctx.fonetica) !== null && t[i][j] === t[i + 1][j + 1] + 1) {
      casadaA[i] = 1;
      casadaB[j] = 1;
      i += 1;
      j += 1;
    } else if (t[i + 1][j] >= t[i][j + 1]) i += 1;
    else j += 1;
  }
  const iniciaisDosPais = new Set([...pais].map((w) => w[0]));
  const deIrmao = (lista: readonly string[], casada: Uint8Array) =>
    lista.some((w, i) => !casada[i] && i !== lista.length - 1 && (w.length > 1 ? !pais.has(w) && ctx.nomeEstabelecido(w) : i === 0 && !iniciaisDosPais.has(w)));
  return [deIrmao(ra, casadaA), deIrmao(rb, casadaB)];
}
