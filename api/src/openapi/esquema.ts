/**
 * A small typed JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) builder for the RESPONSE bodies: each
 * builder returns the JSON Schema AND carries the TypeScript type of the values it accepts, so a schema constant can
 * be checked by the compiler against the type the handler really returns (`Confere`, below) — the document cannot
 * silently drift from the code — and the integration test validates real responses against the same constants.
 *
 * Objects are closed (`additionalProperties: false`) unless declared `aberto`: an undocumented field is an error.
 */

export type JsonSchema = Record<string, unknown>;

export interface Esquema<T> {
  readonly json: JsonSchema;
  /** Phantom: the TypeScript type of the values this schema accepts (never set at run time). */
  readonly __tipo?: T;
  /** Property that may be absent (inside `objeto`). */
  readonly opcional?: boolean;
}

/** The TypeScript type a schema accepts. */
export type Tipo<E> = E extends Esquema<infer T> ? T : never;

const comDescricao = (json: JsonSchema, descricao?: string): JsonSchema => (descricao ? { ...json, description: descricao } : json);

export const texto = (extra: JsonSchema = {}): Esquema<string> => ({ json: { type: 'string', ...extra } });
export const dataHora = (descricao?: string): Esquema<string> => ({ json: comDescricao({ type: 'string', format: 'date-time' }, descricao) });
export const data = (descricao?: string): Esquema<string> => ({ json: comDescricao({ type: 'string', format: 'date' }, descricao) });
export const uuid = (descricao?: string): Esquema<string> => ({ json: comDescricao({ type: 'string', format: 'uuid' }, descricao) });
export const inteiro = (extra: JsonSchema = {}): Esquema<number> => ({ json: { type: 'integer', ...extra } });
export const booleano = (descricao?: string): Esquema<boolean> => ({ json: comDescricao({ type: 'boolean' }, descricao) });

/** Exactly this value. */
export const constante = <const V extends string | number | boolean>(v: V): Esquema<V> => ({ json: { const: v } });

/** One of the strings of a code constant (`SITUACOES_PESSOA`, `CODIGOS_PMCC`, …). */
export const umDe = <const V extends string | number>(valores: readonly V[], descricao?: string): Esquema<V> => ({
  json: comDescricao({ type: typeof valores[0] === 'number' ? 'integer' : 'string', enum: [...valores] }, descricao),
});

/** Any JSON value (a field's value in the history, a decision's before/after). */
export const qualquer = (descricao?: string): Esquema<unknown> => ({ json: comDescricao({}, descricao) });

export function anulavel<T>(e: Esquema<T>): Esquema<T | null> {
  const { json } = e;
  if (typeof json['type'] === 'string' && !('$ref' in json)) return { json: { ...json, type: [json['type'], 'null'], ...('enum' in json ? { enum: [...(json['enum'] as unknown[]), null] } : {}) } };
  return { json: { anyOf: [json, { type: 'null' }] } };
}

export const lista = <T>(e: Esquema<T>, extra: JsonSchema = {}): Esquema<T[]> => ({ json: { type: 'array', items: e.json, ...extra } });

/** An object used as a map (keys are data: field names, organ names). */
export const mapa = <T>(e: Esquema<T>, extra: JsonSchema = {}): Esquema<Record<string, T>> => ({ json: { type: 'object', additionalProperties: e.json, ...extra } });

/** A property that may be absent. */
export const opcional = <T>(e: Esquema<T>): Esquema<T> & { readonly opcional: true } => ({ ...e, opcional: true });

type Props = Record<string, Esquema<unknown>>;
type Simplificar<T> = { [K in keyof T]: T[K] } & {};
type Obrigatorias<P extends Props> = { [K in keyof P as P[K] extends { readonly opcional: true } ? never : K]: Tipo<P[K]> };
type Opcionais<P extends Props> = { [K in keyof P as P[K] extends { readonly opcional: true } ? K : never]?: Tipo<P[K]> };
export type TipoObjeto<P extends Props> = Simplificar<Obrigatorias<P> & Opcionais<P>>;

export interface OpcoesObjeto {
  descricao?: string;
  /** Allow properties not listed (default: closed, `additionalProperties: false`). */
  aberto?: boolean;
  /** Properties listed but never required (e.g. a record filtered by the data-sharing rules). */
  semObrigatorias?: boolean;
}

export function objeto<P extends Props>(props: P, opcoes: OpcoesObjeto = {}): Esquema<TipoObjeto<P>> {
  const required = opcoes.semObrigatorias ? [] : Object.entries(props).filter(([, e]) => !e.opcional).map(([k]) => k);
  return {
    json: comDescricao({
      type: 'object',
      properties: Object.fromEntries(Object.entries(props).map(([k, e]) => [k, e.json])),
      ...(required.length ? { required } : {}),
      ...(opcoes.aberto ? {} : { additionalProperties: false }),
    }, opcoes.descricao),
  };
}

/** Every property of an object schema optional (same properties, still closed). */
export function parcial<T>(e: Esquema<T>, descricao?: string): Esquema<Partial<T>> {
  const { required: _r, ...resto } = e.json;
  return { json: comDescricao(resto, descricao) };
}

/** Components: a schema registered under a name and referenced by `$ref`. */
const NOMEADOS = new Map<string, JsonSchema>();
export function nomeado<T>(nome: string, e: Esquema<T>): Esquema<T> {
  if (NOMEADOS.has(nome) && JSON.stringify(NOMEADOS.get(nome)) !== JSON.stringify(e.json)) throw new Error(`esquema ${nome} registrado duas vezes com conteúdos diferentes`);
  NOMEADOS.set(nome, e.json);
  return { json: { $ref: `#/components/schemas/${nome}` } };
}
export function esquemasNomeados(): Record<string, JsonSchema> {
  return Object.fromEntries(NOMEADOS);
}

/** A component generated elsewhere (the request DTOs from class-validator-jsonschema), with the type of its class. */
export const componente = <T>(nome: string): Esquema<T> => ({ json: { $ref: `#/components/schemas/${nome}` } });

// ---------- compile-time check: schema type S vs the type H the handler returns ----------

type ChavesDe<T> = T extends readonly unknown[] ? never : T extends object ? keyof T : never;
type Sobra<A, B> = Exclude<ChavesDe<A>, ChavesDe<B>>;
type Def<T> = Exclude<T, undefined>;
/** Compatible: one assignable to the other (optionality aside), or both objects/arrays that `Confere` recursively. */
/** A type that says nothing about the fields (`object`, a map, `Record<string, unknown>`): compared no deeper. */
type Vago<T> = [keyof T] extends [never] ? true : string extends keyof T ? true : false;
/**
 * Nested objects and arrays are compared recursively (same fields all the way down, unless the handler's type is
 * vague); other values are compatible when one is assignable to the other, optionality aside (the schema may be more
 * precise than a handler's `string`).
 */
type Compativeis<S, H> = [NonNullable<S>, NonNullable<H>] extends [object, object]
  ? Confere<NonNullable<S>, NonNullable<H>> extends true ? true : false
  : [Def<H>] extends [Def<S>] ? true : [Def<S>] extends [Def<H>] ? true : false;
type Incompativeis<S, H> = {
  [K in ChavesDe<H> & ChavesDe<S>]: Compativeis<S[K & keyof S], H[K & keyof H]> extends true ? never : K;
}[ChavesDe<H> & ChavesDe<S>];

/**
 * `true` when the schema's type S and the handler's type H have the same properties and each property's types are
 * compatible (`Compativeis`); otherwise an object type naming the differences, which fails
 * `Verdadeiro<…>` with a readable message.
 */
export type Confere<S, H> = [S, H] extends [readonly (infer SI)[], readonly (infer HI)[]]
  ? Confere<SI, HI>
  : [Vago<S>, Vago<H>] extends [false, false] ? ConfereCampos<S, H> : true;
type ConfereCampos<S, H> = [S] extends [never] ? true
  : [Sobra<S, H>, Sobra<H, S>, Incompativeis<S, H>] extends [never, never, never]
    ? true
    : { soNoEsquema: Sobra<S, H>; soNoHandler: Sobra<H, S>; incompativeis: Incompativeis<S, H> };

export type Verdadeiro<T extends true> = T;
