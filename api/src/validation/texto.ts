/**
 * Free text from people and batch files: NFC-normalised, and refused when it hides characters a reader cannot see
 * (controls, zero-width, bidirectional overrides) or piles combining marks (a "Zalgo" string). Pure functions.
 */

// C0/C1 controls (tab and newline included: names and addresses are single-line), zero-width and joiners,
// bidi marks/embeddings/overrides/isolates, BOM, interlinear annotation, Hangul fillers used as invisible letters.
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching control characters and the zero-width joiner (U+200D, inside U+200B–U+200F) is this pattern's purpose
const INVISIVEIS = /[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\uFFF9-\uFFFB\u3164\uFFA0]/u;
/** More than 2 combining marks on one base character. */
const MARCAS_EMPILHADAS = /\p{M}{3,}/u;

/** Why this text is refused (pt-BR), or null. Run on the NFC form. */
export function motivoTextoInvalido(valor: string): string | null {
  if (INVISIVEIS.test(valor)) return 'contém caracteres de controle ou invisíveis (ex.: marcas de direção, espaço de largura zero)';
  if (MARCAS_EMPILHADAS.test(valor)) return 'contém sinais diacríticos empilhados';
  if (valor.trim() === '') return 'não pode ser vazio';
  return null;
}

/** NFC + trim + inner runs of spaces collapsed. */
export function normalizarTexto(valor: string): string {
  return valor.normalize('NFC').trim().replace(/ {2,}/g, ' ');
}

/** Lower case without accents: the search key (must agree with the SQL function `lum_chave_busca`). */
export function chaveDeBusca(valor: string): string {
  return valor.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ');
}
