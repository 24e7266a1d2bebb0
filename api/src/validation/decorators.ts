import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { ehCpfValido, normalizarCpf } from './cpf.js';

/**
 * Validation decorators defined once, each with its pt-BR message. DTOs only stack them.
 */

/** Strips CPF punctuation before validation, so `529.982.247-25` and `52998224725` are the same value. */
export function NormalizarCpf(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizarCpf(value) : value));
}

/** A valid CPF (check digits, not a repeated-digit fake). Combine with `@NormalizarCpf()` to accept punctuation. */
export function IsCpf(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCpf',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && ehCpfValido(value),
        defaultMessage: () => 'CPF inválido',
      },
    },
    { message: 'CPF inválido', ...options },
  );
}

/** Trims strings (leaves other types for the type validators to reject). */
export function Aparar(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}
