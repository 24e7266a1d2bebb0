/**
 * The portal's two languages. pt-BR is the default and the source of truth: every catalogue is written in pt-BR
 * first, and its English twin must have exactly the same keys with values of the same kind (`Catalogo<T>`), so a key
 * missing in `en` (or one `en` has and pt-BR does not) is a compile error. Values are text, or functions of the
 * dynamic parts (counts, names, dates) returning text; page code never holds the text of either language.
 *
 * Text that exists only in pt-BR (the PMCC's notes, the data-sharing rules' purposes, a steward's justification, a
 * validation message of the API) is shown as is in English mode, wrapped in an element with `lang="pt-BR"` (`ptBR`).
 */

export type Idioma = 'pt-BR' | 'en';

/** HTML-escapes text for element content and double-quoted attributes. */
export function esc(valor: string | number | null | undefined): string {
  return String(valor ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// `never[]` parameters: any function type is assignable to it, whatever its own parameters are.
type Valor = string | ((...args: never[]) => string);

/** The English twin of the pt-BR catalogue `T`: the same keys; text for text, the same function type for functions. */
export type Catalogo<T extends Record<string, Valor>> = { readonly [K in keyof T]: T[K] extends string ? string : T[K] };

/** Both languages of one catalogue (pt-BR written first, English checked against it by the compiler). */
export function catalogo<T extends Record<string, Valor>>(pt: T, en: Catalogo<T>): Readonly<Record<Idioma, Catalogo<T>>> {
  // T's values are text or the very function types Catalogo<T> keeps: T is a Catalogo<T> (the compiler cannot see it).
  return { 'pt-BR': pt as unknown as Catalogo<T>, en };
}

/** A fragment of a notice line in a given language (free pt-BR text inside an English line, for instance). */
export interface Trecho {
  texto: string;
  lang: Idioma;
}

/** A notice line: text in the notice's language, or fragments each in its own language. */
export type Linha = string | readonly (string | Trecho)[];

/** Free pt-BR text (no translation exists) inside a page in `idioma`: escaped, with its own `lang` in English mode. */
export function ptBR(texto: string, idioma: Idioma, elemento: 'span' | 'p' = 'span'): string {
  if (idioma === 'pt-BR') return elemento === 'p' ? `<p>${esc(texto)}</p>` : esc(texto);
  return `<${elemento} lang="pt-BR">${esc(texto)}</${elemento}>`;
}

/** A notice line as HTML inside an element whose language is `idioma`. */
export function linhaHtml(linha: Linha, idioma: Idioma): string {
  if (typeof linha === 'string') return esc(linha);
  return linha.map((x) => (typeof x === 'string' ? esc(x) : x.lang === idioma ? esc(x.texto) : `<span lang="${x.lang}">${esc(x.texto)}</span>`)).join('');
}
