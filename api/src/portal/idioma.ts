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
interface Trecho {
  texto: string;
  lang: Idioma;
}

/** The text of `chave` in a catalogue of plain labels, in `idioma`; the key itself when the catalogue has none. */
export function rotuloOuChave(cat: Readonly<Record<Idioma, Readonly<Record<string, string>>>>, idioma: Idioma, chave: string): string {
  const r = cat[idioma];
  return Object.hasOwn(r, chave) ? r[chave] : chave;
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

/**
 * The Portuguese terms English text keeps as glosses ("social name (nome social)", "waiting room (Sala de Espera)").
 * Longest first, so "Cadastro Base de Pessoas" wins over "Cadastro Base".
 */
const GLOSAS_PT = ['Cadastro Base de Pessoas', 'Cadastro Base', 'Portal do Cidadão', 'Sala de Espera', 'título de eleitor', 'nome social', 'união estável', 'bairro'] as const;
const RE_GLOSAS = new RegExp(`(?<![\\p{L}])(${GLOSAS_PT.join('|')})(?![\\p{L}])`, 'gu');
/** Elements whose content is text only (no element may mark a fragment's language inside them). */
const SO_TEXTO = /^<(option|title|textarea)[\s>]/i;

/**
 * An English page's HTML with each Portuguese gloss in element content wrapped in `<span lang="pt-BR">`; attribute
 * values and the text-only elements (`option`, `title`, `textarea`) are left as they are, and so is anything already
 * inside an element marked `lang="pt-BR"` (its gloss is already in its language).
 */
export function marcarGlosas(html: string): string {
  const partes = html.split(/(<[^>]*>)/);
  let soTexto: string | null = null;
  const pilhaPt: string[] = [];
  const abertos: string[] = [];
  return partes.map((parte) => {
    if (parte.startsWith('<')) {
      const abre = /^<([a-zA-Z][a-zA-Z0-9]*)/.exec(parte);
      const fecha = /^<\/([a-zA-Z][a-zA-Z0-9]*)/.exec(parte);
      if (abre && SO_TEXTO.test(parte)) soTexto = abre[1].toLowerCase();
      else if (fecha && fecha[1].toLowerCase() === soTexto) soTexto = null;
      // Elements marked pt-BR: count the open elements of that name until the matching close.
      if (abre && !parte.endsWith('/>')) {
        const nome = abre[1].toLowerCase();
        if (pilhaPt.length > 0 && nome === pilhaPt[pilhaPt.length - 1]) abertos[abertos.length - 1] = `${abertos[abertos.length - 1]}+`;
        if (/\slang="pt-BR"/.test(parte)) {
          pilhaPt.push(nome);
          abertos.push('');
        }
      } else if (fecha && pilhaPt.length > 0 && fecha[1].toLowerCase() === pilhaPt[pilhaPt.length - 1]) {
        if (abertos[abertos.length - 1] === '') {
          pilhaPt.pop();
          abertos.pop();
        } else abertos[abertos.length - 1] = abertos[abertos.length - 1].slice(1);
      }
      return parte;
    }
    if (soTexto !== null || pilhaPt.length > 0) return parte;
    return parte.replace(RE_GLOSAS, '<span lang="pt-BR">$1</span>');
  }).join('');
}
