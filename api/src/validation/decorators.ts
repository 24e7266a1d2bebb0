import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
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

/**
 * An optional LIST field: absent is fine, `null` is not — it reaches `@IsArray` ("<campo> deve ser uma lista"):
 * the column is a NOT NULL list, and to remove every item the client sends `[]`. Replaces `@IsOptional()`, which let
 * `null` through to the database (a 500). Still optional in the generated schema (a conditional validation too).
 */
export function ListaOpcional(): PropertyDecorator {
  return ValidateIf((_o: object, v: unknown) => v !== undefined);
}
