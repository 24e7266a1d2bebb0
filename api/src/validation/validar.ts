import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import { verificarEstruturaJson } from './estrutura-json.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { detalhesDeValidacao } from './detalhes.js';

/** Strict by default: unknown fields are a 400 naming the field. */
export const OPCOES_ESTRITAS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  /** One message per field: the first rule it breaks. */
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

function ehObjetoSimples(valor: unknown): valor is Record<string, unknown> {
  return typeof valor === 'object' && valor !== null && !Array.isArray(valor);
}

/**
 * Turns a parsed JSON body into a validated DTO instance, or throws DadosInvalidos (400) with pt-BR details.
 */
export async function validarCorpo<T extends object>(
  dto: ClassConstructor<T>,
  corpo: unknown,
  opcoes: ValidatorOptions = OPCOES_ESTRITAS,
): Promise<T> {
  if (!ehObjetoSimples(corpo)) {
    throw new DadosInvalidos([{ path: '', message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  }
  // Already done by the JSON body parser (http/corpo-json.ts) for HTTP bodies; here for any other caller.
  verificarEstruturaJson(corpo);
  const instancia = plainToInstance(dto, corpo, { enableImplicitConversion: false });
  const erros = await validate(instancia, opcoes);
  if (erros.length > 0) throw new DadosInvalidos(detalhesDeValidacao(erros));
  return instancia;
}
