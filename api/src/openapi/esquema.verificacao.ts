/**
 * Compile-time proof that `Confere` catches drift (checked by `tsc`, nothing runs): each `@ts-expect-error` line
 * MUST fail to type-check — if `Confere` stopped seeing the difference, the directive itself would be an error.
 */
import type { Confere, Tipo, Verdadeiro } from './esquema.js';
import { anulavel, lista, objeto, opcional, texto } from './esquema.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the value exists only to derive its type (`typeof ITEM`); this file is checked by tsc and never runs
const ITEM = objeto({ nome: texto(), apelido: anulavel(texto()), obs: opcional(texto()) });
type Item = Tipo<typeof ITEM>;

export type ProvasDeConfere = [
  Verdadeiro<Confere<Item, { nome: string; apelido: string | null; obs?: string }>>,
  // The schema may be more precise than the handler's type (a `string` field documented as an enum, `object`).
  Verdadeiro<Confere<{ a: 'x' | 'y'; b: { c: string } }, { a: string; b: object }>>,
  // @ts-expect-error a field the handler returns but the schema does not document
  Verdadeiro<Confere<Item, { nome: string; apelido: string | null; obs?: string; novo: number }>>,
  // @ts-expect-error a documented field the handler no longer returns
  Verdadeiro<Confere<Item, { nome: string; obs?: string }>>,
  // @ts-expect-error incompatible types
  Verdadeiro<Confere<Item, { nome: number; apelido: string | null; obs?: string }>>,
  // @ts-expect-error an extra field inside the items of a nested list
  Verdadeiro<Confere<{ itens: Item[] }, { itens: { nome: string; apelido: null; obs?: string; extra: 1 }[] }>>,
  Verdadeiro<Confere<Tipo<ReturnType<typeof lista<Item>>>, Item[]>>,
];
