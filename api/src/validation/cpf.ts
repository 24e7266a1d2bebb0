/**
 * CPF (Cadastro de Pessoas Físicas): 9 digits + 2 check digits (mod 11).
 * Pure functions; no I/O. The 11 repeated-digit sequences pass the check-digit arithmetic but are known fakes.
 */

/** Strips the usual punctuation (`.`, `-`, `/`, spaces). Anything else is left, so `ehCpfValido` rejects it. */
export function normalizarCpf(valor: string): string {
  return valor.replace(/[.\-/\s]/g, '');
}

function digitoVerificador(digitos: string): number {
  let soma = 0;
  const peso = digitos.length + 1;
  for (let i = 0; i < digitos.length; i++) soma += Number(digitos[i]) * (peso - i);
  const resto = (soma * 10) % 11;
  return resto === 10 ? 0 : resto;
}

/**
 * The CPF whose first nine digits are `nove`: `nove` followed by its two check digits. The one place test data and
 * benchmarks get valid CPFs from. Does not exclude the repeated-digit fakes: check with `ehCpfValido` when it matters.
 */
export function completarCpf(nove: string): string {
  if (!/^\d{9}$/.test(nove)) throw new RangeError(`completarCpf: esperava 9 dígitos, recebeu "${nove}"`);
  const d1 = digitoVerificador(nove);
  return `${nove}${d1}${digitoVerificador(`${nove}${d1}`)}`;
}

/** True for a normalised, 11-digit CPF with valid check digits that is not one of the repeated-digit fakes. */
export function ehCpfValido(cpf: string): boolean {
  if (!/^\d{11}$/.test(cpf)) return false;
  if (/^(\d)\1{10}$/.test(cpf)) return false;
  const d1 = digitoVerificador(cpf.slice(0, 9));
  const d2 = digitoVerificador(cpf.slice(0, 10));
  return d1 === Number(cpf[9]) && d2 === Number(cpf[10]);
}

/** Normalises and validates in one go: the 11-digit CPF, or null when invalid. */
export function cpfValidoOuNulo(valor: unknown): string | null {
  if (typeof valor !== 'string') return null;
  const cpf = normalizarCpf(valor);
  return ehCpfValido(cpf) ? cpf : null;
}

/** For logs and messages: `529.***.***-25`. */
export function mascararCpf(cpf: string): string {
  return /^\d{11}$/.test(cpf) ? `${cpf.slice(0, 3)}.***.***-${cpf.slice(9)}` : '***';
}
