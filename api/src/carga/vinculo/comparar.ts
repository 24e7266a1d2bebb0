/**
 * Field comparisons of the record linkage (Fellegi–Sunter): a pair of rows → one comparison level per field. Pure;
 * the levels' m and u probabilities, and so their weights, are estimated from the data (`modelo.ts`).
 *
 * Levels, best first; `ausente` (a value missing on either side) always weighs 0:
 *   prenome     igual · fonetico (same phonetic code, e.g. LUIZ/LUIS) · parecido (typo: Jaro-Winkler ≥ 0.88) ·
 *               inicial (one side is an initial of the other) · diferente (incl. the other gender's form: PAULO/PAULA)
 *   sobrenomes  every word after the first: igual · quase (same words, typos) · contido (the shorter list is found in
 *               order in the longer: dropped or abbreviated middle names, a married name appended) · parcial (at least
 *               one whole word in common: a married name replacing the last one) · diferente
 *   nascimento  igual · trocado (day and month swapped) · um-campo (only one of day, month, year differs) · diferente
 *   mae         mother's name: igual · quase (first and last words match, typos allowed) · prenome (first word only:
 *               married name) · sobrenome (a surname only — relatives and homonyms share these) · diferente
 *   sexo, municipio, cpfMae (mother's CPF, or the guardian's CPF a row carries), telefone, email: igual · diferente
 *   cpf         the row's CPF digits (a CPF with wrong check digits or length) against the other's: quase (at most one
 *               digit inserted, deleted or changed) · diferente
 *   fonte       mesma (both rows from one source) · outra
 */

export const NIVEIS = {
  prenome: ['igual', 'fonetico', 'parecido', 'inicial', 'diferente', 'ausente'],
  sobrenomes: ['igual', 'quase', 'contido', 'parcial', 'diferente', 'ausente'],
  nascimento: ['igual', 'trocado', 'um-campo', 'diferente', 'ausente'],
  mae: ['igual', 'quase', 'prenome', 'sobrenome', 'diferente', 'ausente'],
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
export type Nivel<C extends Campo = Campo> = (typeof NIVEIS)[C][number];

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

// ── string similarity ──

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
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
export function outroGenero(a: string, b: string): boolean {
  const [curto, longo] = a.length <= b.length ? [a, b] : [b, a];
  if (longo.length === curto.length) {
    const fa = a[a.length - 1];
    const fb = b[b.length - 1];
    return a.slice(0, -1) === b.slice(0, -1) && ((fa === 'A' && fb === 'O') || (fa === 'O' && fb === 'A'));
  }
  return longo.length === curto.length + 1 && longo.endsWith('A') && longo.startsWith(curto) && !/[AEIOU]$/.test(curto);
}

// ── fields ──

function nivelPrenome(a: string, b: string, fonetica: (p: string) => string): number {
  if (a === b) return 0;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 3 : 4;
  if (outroGenero(a, b)) return 4;
  if (fonetica(a) === fonetica(b) && jaroWinkler(a, b) >= 0.8) return 1;
  if (umaEdicao(a, b) || transposicao(a, b) || jaroWinkler(a, b) >= LIMIAR_PARECIDO) return 2;
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

function nivelSobrenomes(a: readonly string[], b: readonly string[], fonetica: (p: string) => string): number {
  if (a.length === 0 || b.length === 0) return 5;
  if (a.length === b.length && a.every((x, i) => x === b[i])) return 0;
  if (a.length === b.length && a.every((x, i) => {
    const c = casam(x, b[i], fonetica);
    return c === 'igual' || c === 'parecida';
  })) return 1;
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
  if (todas && curta.some((x) => x.length > 1)) return 2;
  const inteiras = curta.filter((x) => x.length > 1 && longa.some((y) => y.length > 1 && casam(x, y, fonetica) !== null)).length;
  return inteiras > 0 ? 3 : 4;
}

function nivelNascimento(a: string, b: string): number {
  if (a === b) return 0;
  const [ya, ma, da] = [a.slice(0, 4), a.slice(5, 7), a.slice(8, 10)];
  const [yb, mb, db] = [b.slice(0, 4), b.slice(5, 7), b.slice(8, 10)];
  if (ya === yb && ma === db && da === mb) return 1;
  const iguais = (ya === yb ? 1 : 0) + (ma === mb ? 1 : 0) + (da === db ? 1 : 0);
  return iguais === 2 ? 2 : 3;
}

function nivelMae(a: readonly string[], b: readonly string[], fonetica: (p: string) => string): number {
  const sa = a.join(' ');
  const sb = b.join(' ');
  if (sa === sb) return 0;
  const primeiro = casam(a[0], b[0], fonetica);
  const primeiroCasa = primeiro === 'igual' || primeiro === 'parecida';
  const ultimoCasa = a.length > 1 && b.length > 1 && casam(a[a.length - 1], b[b.length - 1], fonetica) !== null;
  if (primeiroCasa && (ultimoCasa || nivelSobrenomes(a.slice(1), b.slice(1), fonetica) <= 2)) return 1;
  if (primeiroCasa) return 2;
  const sobrenome = a.slice(1).some((x) => x.length > 1 && b.slice(1).includes(x));
  return sobrenome ? 3 : 4;
}

const igualdade = (a: string | null, b: string | null): number => (a === null || b === null ? 2 : a === b ? 0 : 1);

/**
 * Compares two rows field by field into `saida` (levels as indices of NIVEIS, in CAMPOS order). `fonetica` is the
 * phonetic code function (passed in so callers can memoise it).
 */
export function comparar(a: LinhaComparavel, b: LinhaComparavel, fonetica: (p: string) => string, saida: Vetor = new Uint8Array(CAMPOS.length)): Vetor {
  const na = a.nome;
  const nb = b.nome;
  saida[0] = na === null || nb === null ? 5 : nivelPrenome(na[0], nb[0], fonetica);
  saida[1] = na === null || nb === null ? 5 : nivelSobrenomes(na.slice(1), nb.slice(1), fonetica);
  saida[2] = a.nascimento === null || b.nascimento === null ? 4 : nivelNascimento(a.nascimento, b.nascimento);
  saida[3] = a.mae === null || b.mae === null ? 5 : nivelMae(a.mae, b.mae, fonetica);
  saida[4] = igualdade(a.sexo, b.sexo);
  saida[5] = igualdade(a.municipio, b.municipio);
  saida[6] = igualdade(a.cpfMae, b.cpfMae);
  saida[7] = igualdade(a.telefone, b.telefone);
  saida[8] = igualdade(a.email, b.email);
  saida[9] = a.cpf === null || b.cpf === null ? 2 : umaEdicao(a.cpf, b.cpf) ? 0 : 1;
  saida[10] = a.fonte === b.fonte ? 0 : 1;
  return saida;
}

/** `{ campo: nivel }` of a vector, for people and logs. */
export function niveisPorNome(v: Vetor): Record<Campo, string> {
  return Object.fromEntries(CAMPOS.map((c, i) => [c, NIVEIS[c][v[i]]])) as Record<Campo, string>;
}
