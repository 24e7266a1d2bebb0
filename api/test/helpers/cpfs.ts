/** Valid CPFs for tests (check digits computed), never real people's on purpose. */
import { ehCpfValido } from '../../src/validation/cpf.js';

function dv(base: string): number {
  let soma = 0;
  for (let i = 0; i < base.length; i++) soma += Number(base[i]) * (base.length + 1 - i);
  const r = (soma * 10) % 11;
  return r === 10 ? 0 : r;
}

/** Builds a valid CPF from 9 digits. */
function cpfDe(nove: string): string {
  const d1 = dv(nove);
  const d2 = dv(nove + d1);
  const cpf = `${nove}${d1}${d2}`;
  if (!ehCpfValido(cpf)) throw new Error(`base ${nove} dá um CPF inválido`);
  return cpf;
}

let contador = Math.floor(Math.random() * 1000);
/** A different valid CPF each call. */
export function cpfAleatorio(): string {
  contador = (contador + 7919) % 1_000_000_000;
  const base = String(100_000_000 + (contador % 800_000_000)).padStart(9, '0');
  return cpfDe(base);
}
