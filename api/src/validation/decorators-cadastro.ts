import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { ehCnpjValido, normalizarCnpj } from './cnpj.js';
import { motivoTextoInvalido, normalizarTexto } from './texto.js';
import { motivoTituloInvalido, normalizarTituloEleitor } from './titulo-eleitor.js';
import { ehUf, UFS } from './uf.js';
import { relogio } from '../relogio.js';

/** Decorators of the person/company record (Cadastro Base). Each carries its pt-BR message. */

export function NormalizarCnpj(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizarCnpj(value) : value));
}

/** A valid CNPJ, numeric or alphanumeric (check digits, not 14 repeated digits). */
export function IsCnpj(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isCnpj', validator: { validate: (v: unknown) => typeof v === 'string' && ehCnpjValido(v), defaultMessage: () => 'CNPJ inválido' } },
    { message: 'CNPJ inválido', ...options },
  );
}

export function NormalizarTitulo(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizarTituloEleitor(value) : value));
}

/** Título de eleitor with valid UF code and check digits; the message says which rule failed. */
export function IsTituloEleitor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTituloEleitor',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && motivoTituloInvalido(v) === null,
        defaultMessage: (args) => (typeof args?.value === 'string' ? (motivoTituloInvalido(args.value) ?? '') : 'título de eleitor deve ser texto com 12 dígitos'),
      },
    },
    options,
  );
}

export function IsUf(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUf',
      validator: { validate: (v: unknown) => ehUf(v), defaultMessage: (args) => `${args?.property ?? 'uf'} deve ser uma UF (${UFS.join(', ')})` },
    },
    options,
  );
}

/** NFC + trim for strings; other types are left for the type validators. */
export function NormalizarTexto(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizarTexto(value) : value));
}

/** Text a person can read: no control/invisible/bidi characters, no stacked combining marks, not blank. */
export function TextoLegivel(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'textoLegivel',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && motivoTextoInvalido(v) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'campo'} ${typeof args?.value === 'string' ? (motivoTextoInvalido(args.value) ?? '') : 'deve ser texto'}`,
      },
    },
    options,
  );
}

const DATA_ISO = /^\d{4}-\d{2}-\d{2}$/;

/** `AAAA-MM-DD` that exists on the calendar. */
export function ehDataIso(valor: unknown): valor is string {
  if (typeof valor !== 'string' || !DATA_ISO.test(valor)) return false;
  const d = new Date(`${valor}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === valor;
}

const IDADE_MAXIMA = 130;

/** Why a birth date is refused, or null: calendar date, not in the future, age ≤ 130 years. */
export function motivoDataNascimento(valor: unknown, hoje = relogio().hoje()): string | null {
  if (!ehDataIso(valor)) return 'deve ser uma data válida no formato AAAA-MM-DD';
  if (valor > hoje) return 'não pode ser futura';
  const limite = `${Number(hoje.slice(0, 4)) - IDADE_MAXIMA}${hoje.slice(4)}`;
  if (valor < limite) return `indica idade acima de ${IDADE_MAXIMA} anos`;
  return null;
}

export function DataNascimento(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'dataNascimento',
      validator: {
        validate: (v: unknown) => motivoDataNascimento(v) === null,
        defaultMessage: (args) => `${args?.property ?? 'data'} ${motivoDataNascimento(args?.value) ?? ''}`,
      },
    },
    options,
  );
}

/** A calendar date `AAAA-MM-DD`, not in the future. */
export function DataNaoFutura(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'dataNaoFutura',
      validator: {
        validate: (v: unknown) => ehDataIso(v) && v <= relogio().hoje(),
        defaultMessage: (args) => `${args?.property ?? 'data'} deve ser uma data válida no formato AAAA-MM-DD, não futura`,
      },
    },
    options,
  );
}
