/**
 * CPF triage of one source row (domain notes, "Batch load"): every row falls in exactly one category —
 * `base-unica` (valid CPF: merged into the golden record), `sem-cpf` (absent or a placeholder meaning unknown:
 * matched by other attributes) or `cpf-invalido` (quarantined, with one reason code).
 *
 * Reasons are checked in this order, the first that applies wins:
 *   caractere            — something other than digits and the mask punctuation (`.`, `-`, `/`, spaces)
 *   tamanho              — not 11 digits (after padding, for sources that stored the CPF as a number)
 *   repetido             — 11 times the same digit (passes the check-digit arithmetic; known fake)
 *   sequencia-conhecida  — a documented fake/test value that passes the check digits (SEQUENCIAS_CONHECIDAS)
 *   digito               — wrong check digits
 */
import { ehCpfValido, normalizarCpf } from '../validation/cpf.js';

/** Every reason code, in the order above. */
export const MOTIVOS_CPF_INVALIDO = ['caractere', 'tamanho', 'repetido', 'sequencia-conhecida', 'digito'] as const;
type MotivoCpfInvalido = (typeof MOTIVOS_CPF_INVALIDO)[number];

export type Triagem =
  | { readonly categoria: 'base-unica'; readonly cpf: string }
  | { readonly categoria: 'sem-cpf' }
  | { readonly categoria: 'cpf-invalido'; readonly motivo: MotivoCpfInvalido };

/**
 * Well-known fake CPFs whose check digits are valid (so only a list catches them). Sources:
 * - 123.456.789-09: the sequential placeholder named in /work/shared/reference/linkage-notes.md §2 ("placeholder ids
 *   (`111.111.111-11`, `123.456.789-09`) passing check digits and merging strangers"); the 111.111.111-11 family is
 *   reason `repetido`.
 * - 012.345.678-90 and 987.654.321-00: the ascending-from-zero and descending sequences; their check digits happen to
 *   be valid (worked by hand in triagem.unit.test.ts), so they are typed as "any CPF" in forms.
 * - 000.000.001-91: the smallest number with valid check digits, typed as filler where a CPF is mandatory.
 * The repeated-digit values are not listed: they are reason `repetido`.
 */
const SEQUENCIAS_CONHECIDAS: ReadonlySet<string> = new Set(['12345678909', '01234567890', '98765432100', '00000000191']);

/**
 * A CPF column's text as the triage compares it: mask punctuation removed and, for a source that stored the CPF as a
 * number, a digit string shorter than 11 left-padded with zeros. Not validated (the staged `cpf_bruto`: distinct
 * invalid values are counted on this form, so `123.456.789-09` and `12345678909` are one value).
 */
export function cpfComoLido(valor: string, numerico: boolean): string {
  const cpf = normalizarCpf(valor);
  return numerico && /^\d+$/.test(cpf) && cpf.length < 11 ? cpf.padStart(11, '0') : cpf;
}

/**
 * Triage of a CPF value already stripped of placeholders: `null` (absent/placeholder) → `sem-cpf`.
 * `numerico`: the column stored the CPF as a number, so a digit string shorter than 11 is left-padded with zeros.
 */
export function triarCpf(valor: string | null, numerico: boolean): Triagem {
  if (valor === null) return { categoria: 'sem-cpf' };
  const cpf = cpfComoLido(valor, numerico);
  if (cpf === '') return { categoria: 'sem-cpf' };
  if (!/^\d+$/.test(cpf)) return { categoria: 'cpf-invalido', motivo: 'caractere' };
  if (cpf.length !== 11) return { categoria: 'cpf-invalido', motivo: 'tamanho' };
  if (/^(\d)\1{10}$/.test(cpf)) return { categoria: 'cpf-invalido', motivo: 'repetido' };
  if (SEQUENCIAS_CONHECIDAS.has(cpf)) return { categoria: 'cpf-invalido', motivo: 'sequencia-conhecida' };
  if (!ehCpfValido(cpf)) return { categoria: 'cpf-invalido', motivo: 'digito' };
  return { categoria: 'base-unica', cpf };
}
