/**
 * Structural check of a parsed JSON body, done BEFORE any transformation (class-transformer, class-validator, the
 * CMBD validators), so no input can make them recurse out of the stack, write through a prototype or send
 * PostgreSQL a text it refuses:
 * - at most `PROFUNDIDADE_MAXIMA_JSON` nested objects/lists (a 30 KB body can nest 5,000 levels, and
 *   class-transformer recurses once per level: `RangeError: Maximum call stack size exceeded`, a 500);
 * - at most `ITENS_MAXIMOS_JSON` items in a list or fields in an object;
 * - no U+0000 and no lone surrogate in any text or key (PostgreSQL refuses both: each reached it as a 500);
 * - no key named after a member of `Object.prototype` (`__proto__`, `constructor`, `toString`…): class-transformer
 *   silently drops such keys (so an unknown field would pass unnoticed) or assigns `__proto__` (replacing the
 *   instance's prototype).
 * Each is a 400 `DadosInvalidos` with a pt-BR message naming the place. The walk is iterative (no recursion).
 */
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';

/** Nesting levels of objects/lists a body may have: far above the deepest body a DTO accepts (3, e.g. `emails[].x`). */
const PROFUNDIDADE_MAXIMA_JSON = 32;

/**
 * Items a list, or fields an object, may have: far above what any DTO accepts (lists of at most 10, a few dozen
 * fields); a longer one is refused before class-transformer and class-validator walk it item by item (and before a
 * 400 lists one message per unknown field).
 */
const ITENS_MAXIMOS_JSON = 1000;

/** Keys that name a member of every object: never a field of this API. */
const CHAVES_PROIBIDAS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A path for a message, bounded (a key may be long): `rg.__proto__`, `emails.0.x`. */
function caminho(partes: readonly string[]): string {
  const c = partes.join('.');
  return c.length > 200 ? `${c.slice(0, 200)}…` : c;
}

/** Half of a UTF-16 surrogate pair without its other half (JSON allows the escape `"\udc00"`). */
const SURROGATE_ISOLADO = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/**
 * Text no field of this API accepts, because PostgreSQL refuses it (each reached it as a 500): U+0000 (text cannot
 * hold it) and a lone surrogate (a jsonb column refuses its `\udc00` escape).
 */
function textoRecusado(texto: string, partes: readonly string[]): DadosInvalidos | null {
  const nulo = texto.includes('\u0000');
  if (!nulo && !SURROGATE_ISOLADO.test(texto)) return null;
  const path = caminho(partes);
  const onde = path ? `O campo ${path}` : 'O corpo JSON';
  return DadosInvalidos.campo(path, nulo
    ? `${onde} contém o caractere nulo (U+0000), que não é aceito em texto`
    : `${onde} contém um caractere Unicode inválido (metade de um par substituto, \\uD800–\\uDFFF, sem a outra metade)`);
}

/**
 * The first structural problem of a parsed JSON value, or null: too deep, a list too long, a forbidden key, or
 * a NUL character or a lone surrogate in a text or a key. Never recurses.
 */
export function problemaDeEstruturaJson(valor: unknown, profundidadeMaxima = PROFUNDIDADE_MAXIMA_JSON): DadosInvalidos | null {
  const pilha: { v: unknown; nivel: number; partes: string[] }[] = [{ v: valor, nivel: 0, partes: [] }];
  while (pilha.length > 0) {
    const { v, nivel, partes } = pilha.pop()!;
    if (typeof v === 'string') {
      const problema = textoRecusado(v, partes);
      if (problema) return problema;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (nivel + 1 > profundidadeMaxima) {
      return DadosInvalidos.campo(caminho(partes), `O corpo JSON passa de ${profundidadeMaxima} níveis de objetos ou listas aninhados`);
    }
    if (Array.isArray(v)) {
      if (v.length > ITENS_MAXIMOS_JSON) {
        return DadosInvalidos.campo(caminho(partes), `${partes.length ? `A lista ${caminho(partes)}` : 'O corpo JSON'} passa de ${ITENS_MAXIMOS_JSON} itens`);
      }
      for (let i = v.length - 1; i >= 0; i--) pilha.push({ v: v[i], nivel: nivel + 1, partes: [...partes, String(i)] });
      continue;
    }
    const chaves = Object.keys(v);
    if (chaves.length > ITENS_MAXIMOS_JSON) {
      return DadosInvalidos.campo(caminho(partes), `${partes.length ? `O objeto ${caminho(partes)}` : 'O corpo JSON'} passa de ${ITENS_MAXIMOS_JSON} campos`);
    }
    for (const k of chaves) {
      const problemaDaChave = textoRecusado(k, [...partes, k]);
      if (problemaDaChave) return problemaDaChave;
      if (CHAVES_PROIBIDAS.has(k)) {
        const path = caminho([...partes, k]);
        return DadosInvalidos.campo(path, `Campo não permitido: ${path}`);
      }
    }
    for (let i = chaves.length - 1; i >= 0; i--) {
      const k = chaves[i];
      pilha.push({ v: (v as Record<string, unknown>)[k], nivel: nivel + 1, partes: [...partes, k] });
    }
  }
  return null;
}

/** Throws the structural problem of a parsed JSON value (see `problemaDeEstruturaJson`). */
export function verificarEstruturaJson(valor: unknown): void {
  const problema = problemaDeEstruturaJson(valor);
  if (problema) throw problema;
}

