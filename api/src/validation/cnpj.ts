/**
 * CNPJ (Cadastro Nacional da Pessoa Jurídica): 12 base characters + 2 numeric check digits (mod 11).
 * From July 2026 the 12 base characters may be letters A–Z as well as digits (IN RFB 2.229/2024): each character
 * is worth its ASCII code − 48 (`0`…`9` → 0…9, `A` → 17 … `Z` → 42); weights and the modulus are unchanged.
 * Pure functions; no I/O.
 */

/** Strips `.`, `/`, `-` and spaces, upper-cases letters. Anything else is left, so `ehCnpjValido` rejects it. */
export function normalizarCnpj(valor: string): string {
  return valor.replace(/[.\-/\s]/g, '').toUpperCase();
}

const PESOS_DV1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const PESOS_DV2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

function digito(base: string, pesos: readonly number[]): number {
  let soma = 0;
  for (let i = 0; i < base.length; i++) soma += (base.charCodeAt(i) - 48) * pesos[i];
  const resto = soma % 11;
  return resto < 2 ? 0 : 11 - resto;
}

/** The two check digits of a 12-character base (digits or A–Z). */
export function digitosVerificadoresCnpj(base: string): string {
  const d1 = digito(base, PESOS_DV1);
  const d2 = digito(base + String(d1), PESOS_DV2);
  return `${d1}${d2}`;
}

/** True for a normalised CNPJ: 12 chars [0-9A-Z] + 2 digits, check digits valid, not 14 repeated digits. */
export function ehCnpjValido(cnpj: string): boolean {
  if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(cnpj)) return false;
  if (/^(\d)\1{13}$/.test(cnpj)) return false;
  return digitosVerificadoresCnpj(cnpj.slice(0, 12)) === cnpj.slice(12);
}

