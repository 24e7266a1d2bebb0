/**
 * Pure normalisation of raw source values: spacing, names (display form and comparison key), dates to ISO,
 * placeholders, digits. No I/O; every function is total (returns null instead of throwing).
 */
import { semTratamentoNemJr } from '../pmcc/variantes-nome.js';

/** Already normalised: no whitespace but single inner spaces (the common case; tested without allocating). */
const ESPACOS_A_NORMALIZAR = /[\t-\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}|^ | $/;

/** Trim and collapse internal whitespace (incl. NBSP). */
export function normalizarEspacos(valor: string): string {
  if (!ESPACOS_A_NORMALIZAR.test(valor)) return valor;
  return valor.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Printable ASCII only: nothing for NFD to decompose. */
const SO_ASCII = /^[\x20-\x7e]*$/;

/** Upper-case, accents removed, spacing collapsed: how placeholders and value-map keys are compared. */
export function chaveCodigo(valor: string): string {
  const v = normalizarEspacos(valor);
  return SO_ASCII.test(v) ? v.toUpperCase() : v.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
}

/** Display form of a name: spacing collapsed, upper case; accents kept as the source wrote them. */
export function normalizarNome(valor: string): string | null {
  const n = normalizarEspacos(valor).toUpperCase();
  return n === '' ? null : n;
}

const PARTICULAS = new Set(['DA', 'DE', 'DI', 'DO', 'DU', 'DAS', 'DOS', 'E', 'D']);

/**
 * Comparison key of a name: no accents, letters only (apostrophes, dots and hyphens become spaces), particles
 * (DA, DE, DO, DAS, DOS, E, D') dropped. `Maria José d'Ávila dos Santos` → `MARIA JOSE AVILA SANTOS`. A form of address
 * before a name of two words or more is dropped (`Dr. João Silva` → `JOAO SILVA`), and the agnome's abbreviation JR,
 * after the first word, is written out (`João Souza Jr.` → `JOAO SOUZA JUNIOR`), so that two sources writing one name
 * with and without them compare it word for word.
 */
export function chaveNome(valor: string): string | null {
  const palavras = chaveCodigo(valor)
    .replace(/[^A-Z ]+/g, ' ')
    .split(' ')
    .filter((p) => p !== '' && !PARTICULAS.has(p));
  semTratamentoNemJr(palavras);
  return palavras.length === 0 ? null : palavras.join(' ');
}

/** Keeps digits only. */
export function somenteDigitos(valor: string): string {
  return valor.replace(/\D+/g, '');
}

const TOKEN = /YYYY|MM|DD/g;

/** A date format uses DD, MM and YYYY once each, separated by `/`, `-`, `.`, a space or nothing. */
export function ehFormatoData(formato: string): boolean {
  const tokens = formato.match(TOKEN) ?? [];
  return tokens.length === 3 && new Set(tokens).size === 3 && /^[/\-. ]*$/.test(formato.replace(TOKEN, ''));
}

const regexDeFormato = new Map<string, RegExp>();
function regexDe(formato: string): RegExp {
  let r = regexDeFormato.get(formato);
  if (!r) {
    const corpo = formato
      .split(/(YYYY|MM|DD)/)
      .map((parte) => (parte === 'YYYY' ? '(?<a>\\d{4})' : parte === 'MM' ? '(?<m>\\d{2})' : parte === 'DD' ? '(?<d>\\d{2})' : parte.replace(/[.\-/ ]/g, '\\$&')))
      .join('');
    r = new RegExp(`^${corpo}$`);
    regexDeFormato.set(formato, r);
  }
  return r;
}

function diasNoMes(ano: number, mes: number): number {
  if (mes === 2) return (ano % 4 === 0 && ano % 100 !== 0) || ano % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(mes) ? 30 : 31;
}

/**
 * Parses `valor` with the first of `formatos` that yields a real calendar date (31/02, 29/02 of a non-leap year,
 * month 13 are rejected) with year ≥ `anoMinimo`; returns `YYYY-MM-DD` or null. A time part after a space or `T`
 * (`1985-03-12 00:00:00`, `1985-03-12T03:00:00Z`, `12/03/1985 00:00:00 -0300`) is ignored, with its offset: the date is
 * the one written.
 */
export function converterData(valor: string, formatos: readonly string[], anoMinimo: number): string | null {
  const v = normalizarEspacos(valor).replace(/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?( ?(Z|[+-]\d{2}(:?\d{2})?))?$/, '');
  for (const f of formatos) {
    const g = regexDe(f).exec(v)?.groups;
    if (!g) continue;
    const ano = Number(g['a']);
    const mes = Number(g['m']);
    const dia = Number(g['d']);
    if (ano < anoMinimo || mes < 1 || mes > 12 || dia < 1 || dia > diasNoMes(ano, mes)) continue;
    return `${g['a']}-${g['m']}-${g['d']}`;
  }
  return null;
}

/** Lower-case trimmed e-mail when it has one `@` with text on both sides and a dot in the domain; else null. */
export function normalizarEmail(valor: string): string | null {
  const e = normalizarEspacos(valor).toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : null;
}

/** Digits of a Brazilian phone (10 or 11 digits with area code, optional 55 country code dropped); else null. */
export function normalizarTelefone(valor: string): string | null {
  let d = somenteDigitos(valor);
  if ((d.length === 12 || d.length === 13) && d.startsWith('55')) d = d.slice(2);
  return d.length === 10 || d.length === 11 ? d : null;
}
