/** Valid CPFs for tests, never real people's on purpose. Check digits come from the product's own `completarCpf`. */
import { completarCpf, ehCpfValido } from '../../src/validation/cpf.js';

/** Builds a valid CPF from 9 digits. */
function cpfDe(nove: string): string {
  const cpf = completarCpf(nove);
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
