/**
 * Check digits of the complementary data the Sala de Espera asks for.
 *
 * CNS — Cartão Nacional de Saúde (Número SUS), 15 digits (Ministério da Saúde's published routine):
 *   - definitive numbers start with 1 or 2: the first 11 digits are the holder's PIS; its check digit is
 *     dv = 11 − (Σ pis[i]·(15−i) mod 11) (11 → 0); when dv is 10, 2 is added to the sum, dv is recomputed and the
 *     number is PIS + "001" + dv, otherwise PIS + "000" + dv;
 *   - provisional numbers start with 7, 8 or 9 and are valid when Σ d[i]·(15−i) over the 15 digits ≡ 0 (mod 11).
 * NIS — PIS/PASEP/NIT, 11 digits: dv = 11 − (Σ d[i]·w[i] mod 11) with w = 3,2,9,8,7,6,5,4,3,2; a remainder of 0 or 1
 *   gives 0. Eleven equal digits are refused.
 */

const digitos = (s: string): number[] => [...s].map(Number);

/** Removes the usual separators (spaces, dots, dashes); null when anything else is left or the length is wrong. */
export function normalizarNumero(valor: unknown, tamanho: number): string | null {
  if (typeof valor !== 'string' || valor.length > 40) return null;
  const s = valor.replace(/[\s.-]/g, '');
  return new RegExp(`^[0-9]{${tamanho}}$`).test(s) ? s : null;
}

export function ehCnsValido(cns: string): boolean {
  if (!/^[0-9]{15}$/.test(cns)) return false;
  const d = digitos(cns);
  if (d[0] === 1 || d[0] === 2) {
    const pis = d.slice(0, 11);
    let soma = pis.reduce((s, x, i) => s + x * (15 - i), 0);
    let dv = 11 - (soma % 11);
    if (dv === 11) dv = 0;
    let meio = '000';
    if (dv === 10) {
      soma += 2;
      dv = 11 - (soma % 11);
      meio = '001';
    }
    return cns === `${pis.join('')}${meio}${dv}`;
  }
  if (d[0] === 7 || d[0] === 8 || d[0] === 9) return d.reduce((s, x, i) => s + x * (15 - i), 0) % 11 === 0;
  return false;
}

const PESOS_NIS = [3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

export function ehNisValido(nis: string): boolean {
  if (!/^[0-9]{11}$/.test(nis) || /^(\d)\1{10}$/.test(nis)) return false;
  const d = digitos(nis);
  const resto = PESOS_NIS.reduce((s, w, i) => s + w * d[i], 0) % 11;
  return d[10] === (resto < 2 ? 0 : 11 - resto);
}
