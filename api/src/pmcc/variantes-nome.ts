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
 * Pure: no I/O.
 */

export type RelacaoNomes = 'igual' | 'equivalente' | 'mais-completo' | 'menos-completo' | 'diferente';

const CONECTIVOS = new Set(['DA', 'DE', 'DO', 'DAS', 'DOS', 'E']);
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

/**
 * `curta` is a reduction of `longa`: same first and last word (whole words), every other word of `curta` matches, in
 * order, a word of `longa` whole or as its initial; connectives are ignored; `curta` has fewer words or initials.
 */
function reduz(curta: readonly string[], longa: readonly string[]): boolean {
  const c = curta.filter((p) => !CONECTIVOS.has(p));
  const l = longa.filter((p) => !CONECTIVOS.has(p));
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
  return c.length < l.length || iniciais > 0;
}

/** How `novo` relates to `atual` (both non-empty strings). */
export function relacaoNomes(atual: string, novo: string): RelacaoNomes {
  if (atual === novo) return 'igual';
  const a = palavras(atual);
  const n = palavras(novo);
  if (a.join(' ') === n.join(' ')) {
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
