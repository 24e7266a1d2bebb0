/** Valid CPFs for tests, never real people's on purpose. Check digits come from the product's own `completarCpf`. */
import { completarCpf, ehCpfValido } from '../../src/validation/cpf.js';

/** Builds a valid CPF from 9 digits. */
function cpfDe(nove: string): string {
  const cpf = completarCpf(nove);
  if (!ehCpfValido(cpf)) throw new Error(`base ${nove} dá um CPF inválido`);
  return cpf;
}

// A random start anywhere in the range: test files (each with its own counter) and earlier runs against a reused
// Keycloak (LUM_TEST_REUSE_KEYCLOAK=1) would otherwise collide often — 1 in 1,000 per pair with a start below 1,000.
let contador = Math.floor(Math.random() * 800_000_000);
/** A different valid CPF each call (and, in practice, across test files and runs). */
export function cpfAleatorio(): string {
  contador = (contador + 7919) % 1_000_000_000;
  const base = String(100_000_000 + (contador % 800_000_000)).padStart(9, '0');
  return cpfDe(base);
}
