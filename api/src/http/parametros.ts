import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { ehCpfValido, normalizarCpf } from '../validation/cpf.js';

/** Path parameters, validated like bodies (400 pt-BR, never a 500 from the database). */

export function cpfDoParametro(valor: string | undefined, nome = 'cpf'): string {
  const cpf = normalizarCpf(valor ?? '');
  if (!ehCpfValido(cpf)) throw DadosInvalidos.campo(nome, 'CPF inválido');
  return cpf;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidDoParametro(valor: string | undefined, nome: string): string {
  if (!valor || !UUID.test(valor)) throw DadosInvalidos.campo(nome, `${nome} deve ser um UUID`);
  return valor.toLowerCase();
}
