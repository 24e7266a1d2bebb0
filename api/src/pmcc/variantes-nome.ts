/**
 * How a name a source sends relates to the current one, for the survivorship of name fields in batch loads (issue 11).
 *
 * The city's systems write the same name in different forms: upper case without accents ("JOSE" for "José"), with a
 * middle name dropped or reduced to its initial ("MARIA L. SILVA" for "Maria Lopes Silva"). Those forms carry no
 * information the fuller form lacks, so they are not conflicts a steward must look at:
 * - `equivalente`: the same letters once case, accents, punctuation and spacing are ignored;
 * - `mais-completo` / `menos-completo`: one is a reduction of the other — same first and same last name, every other
 *   word of the shorter one present, in order, in the longer one (whole, or as its initial), connectives (da, de, do,
 *   das, dos, e) free; for equivalent names, the form with more accents is the more complete;
 * - `diferente`: anything else (another surname, a typo, a married name) — a real conflict.
 * Two more forms of one name are no conflict either: the agnome (FILHO, JÚNIOR, NETO…) left out or abbreviated (JR) —
 * the form with it written out is the more complete —, and a form of address before the name (`Dr. João Silva`), which
 * is no part of it — the form without it is the one kept, and one that would bring a form of address into the record
 * in place of a shorter name is a conflict a steward decides.
 * Pure: no I/O.
 */

export type RelacaoNomes = 'igual' | 'equivalente' | 'mais-completo' | 'menos-completo' | 'diferente';

const CONECTIVOS = new Set(['DA', 'DE', 'DO', 'DAS', 'DOS', 'E']);

/** Forms of address some systems write before a name (`Dr. João Silva`, `SRA MARIA SOUZA`): no one's given name. */
export const TRATAMENTOS: ReadonlySet<string> = new Set(['DR', 'DRA', 'SR', 'SRA', 'SRTA', 'PROF', 'PROFA']);

/**
 * Agnomes: the last word of a name that tells a son from his father or grandfather (JOSÉ DA SILVA FILHO, JOÃO
 * SOUZA JÚNIOR, PEDRO COSTA NETO). Part of the legal name, yet often left out by systems that cut long names.
 */
export const AGNOMES: ReadonlySet<string> = new Set(['JUNIOR', 'FILHO', 'FILHA', 'NETO', 'NETA', 'SOBRINHO', 'SOBRINHA', 'SEGUNDO', 'TERCEIRO']);

/** The abbreviation of JUNIOR that sources write after a name. */
export const JR = 'JR';

/**
 * A name's words (upper case, no accents) as compared: a form of address before two words or more dropped, JR after
 * the first word written out — in place. Says whether a form of address was dropped and how many JR were written out.
 */
export function semTratamentoNemJr(palavras: string[]): { tratamento: boolean; abreviados: number } {
  const tratamento = palavras.length >= 3 && TRATAMENTOS.has(palavras[0]);
  if (tratamento) palavras.shift();
  let abreviados = 0;
  for (let i = 1; i < palavras.length; i += 1) {
    if (palavras[i] === JR) {
      palavras[i] = 'JUNIOR';
      abreviados += 1;
    }
  }
  return { tratamento, abreviados };
}

const TRATAMENTO_ANTES = new RegExp(`^(?:${[...TRATAMENTOS].join('|')})\\.?\\s+(?=\\S+\\s+\\S)`, 'i');

/** `nome` without a form of address before it, when two words or more follow (`DRA. ROBERTA MENDES` → `ROBERTA MENDES`). */
export function semTratamento(nome: string): string {
  return nome.replace(TRATAMENTO_ANTES, '');
}

const DIACRITICOS = /[\u0300-\u036f]/g;

function semAcento(s: string): string {
  return s.normalize('NFD').replace(DIACRITICOS, '');
}

/** Upper case, no accents, letters only, one space between words. */
function palavras(s: string): string[] {
  return semAcento(s)
    .toUpperCase()
    .replace(/[^A-Z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((p) => p.length > 0);
}

function acentos(s: string): number {
  return (s.normalize('NFD').match(DIACRITICOS) ?? []).length;
}

/** A name's words without a form of address before them (when two words or more follow), JR written out. */
function forma(s: string): { palavras: string[]; tratamento: boolean; abreviados: number } {
  const p = palavras(s);
  return { palavras: p, ...semTratamentoNemJr(p) };
}

/**
 * `curta` is a reduction of `longa`: same first and last word (whole words), every other word of `curta` matches, in
 * order, a word of `longa` whole or as its initial; connectives are ignored; `curta` has fewer words or initials. The
 * last word of `longa` may be an agnome `curta` leaves out (JOSE SILVA / JOSE SILVA FILHO).
 */
function reduz(curta: readonly string[], longa: readonly string[]): boolean {
  const c = curta.filter((p) => !CONECTIVOS.has(p));
  let l = longa.filter((p) => !CONECTIVOS.has(p));
  const semAgnome = l.length > 2 && c.length > 0 && AGNOMES.has(l[l.length - 1]) && !AGNOMES.has(c[c.length - 1]);
  if (semAgnome) l = l.slice(0, -1);
  if (c.length < 2 || l.length < 2 || c.length > l.length) return false;
  if (c[0] !== l[0] || c[c.length - 1] !== l[l.length - 1] || c[0].length < 2 || c[c.length - 1].length < 2) return false;
  let j = 1;
  let iniciais = 0;
  for (let i = 1; i < c.length - 1; i += 1) {
    const p = c[i];
    while (j < l.length - 1 && !(l[j] === p || (p.length === 1 && l[j].startsWith(p)))) j += 1;
    if (j >= l.length - 1) return false;
    if (p.length === 1 && l[j].length > 1) iniciais += 1;
    j += 1;
  }
  return semAgnome || c.length < l.length || iniciais > 0;
}

/** How `novo` relates to `atual` (both non-empty strings). */
export function relacaoNomes(atual: string, novo: string): RelacaoNomes {
  if (atual === novo) return 'igual';
  const fa = forma(atual);
  const fn = forma(novo);
  const relacao = relacaoDasPalavras(fa.palavras, fn.palavras, atual, novo, fn.abreviados - fa.abreviados);
  // A form of address is no part of a name: of two forms of the same words, the one without it is kept; a form that
  // would bring one into the record in place of a shorter name is a steward's call.
  if (fa.tratamento === fn.tratamento || relacao === 'diferente') return relacao;
  const mesmasPalavras = fa.palavras.join(' ') === fn.palavras.join(' ');
  if (fa.tratamento) return mesmasPalavras ? 'mais-completo' : relacao;
  return mesmasPalavras || relacao !== 'mais-completo' ? 'menos-completo' : 'diferente';
}

/** `abreviados`: how many more JR the new form writes than the current one (its words have them written out). */
function relacaoDasPalavras(a: readonly string[], n: readonly string[], atual: string, novo: string, abreviados: number): RelacaoNomes {
  if (a.join(' ') === n.join(' ')) {
    // JR against JUNIOR: the written-out form says more.
    if (abreviados !== 0) return abreviados < 0 ? 'mais-completo' : 'menos-completo';
    // Case, accents, punctuation or spacing only: the form with more accents says more.
    return acentos(novo) > acentos(atual) ? 'mais-completo' : 'equivalente';
  }
  if (reduz(n, a)) return 'menos-completo';
  if (reduz(a, n)) return 'mais-completo';
  // Same words but for connectives ("JOAO LIMA" / "JOAO DE LIMA"): the one with the connectives is the fuller form.
  const semConectivos = (p: readonly string[]) => p.filter((x) => !CONECTIVOS.has(x)).join(' ');
  if (semConectivos(a) === semConectivos(n) && semConectivos(a).length > 0) return n.length === a.length ? 'equivalente' : n.length > a.length ? 'mais-completo' : 'menos-completo';
  return 'diferente';
}
