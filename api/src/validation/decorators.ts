import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { ehCpfValido, normalizarCpf } from './cpf.js';
import { relogio } from '../relogio.js';

/**
 * Validation decorators defined once, each with its pt-BR message. DTOs only stack them.
 */

/** Strips CPF punctuation before validation, so `529.982.247-25` and `52998224725` are the same value. */
export function NormalizarCpf(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? normalizarCpf(value) : value));
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

const DATA_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Earliest plausible birth date for a living record (PMCC: "plausible age"). */
export const DATA_NASCIMENTO_MINIMA = '1890-01-01';

/** A calendar date `AAAA-MM-DD` that exists, is not in the future and not before 1890. */
export function DataPassada(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'dataPassada',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const m = DATA_ISO.exec(value);
          if (!m) return false;
          const data = new Date(`${value}T00:00:00Z`);
          if (Number.isNaN(data.getTime()) || data.toISOString().slice(0, 10) !== value) return false;
          const hoje = relogio().hoje();
          return value <= hoje && value >= DATA_NASCIMENTO_MINIMA;
        },
        defaultMessage: (args) => `${args?.property ?? 'data'} deve ser uma data válida no formato AAAA-MM-DD, não futura e não anterior a 1890`,
      },
    },
    options,
  );
}

/** Trims strings (leaves other types for the type validators to reject). */
export function Aparar(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
}
