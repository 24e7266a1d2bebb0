/**
 * COPY … FROM STDIN (text format) of rows built in memory, on the caller's connection (inside its transaction).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type ValorCopia = string | number | boolean | null;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const PRECISA_ESCAPE = /[\\\t\n\r]/;

/** One field in COPY text format: `\N` for null, backslash escapes for `\`, tab, newline, carriage return. */
function campo(v: ValorCopia): string {
  if (v === null) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return PRECISA_ESCAPE.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : s;
}

/** One row in COPY text format, newline included. */
export function linhaCopia(valores: readonly ValorCopia[]): string {
  let s = campo(valores[0]);
  for (let i = 1; i < valores.length; i++) s += `\t${campo(valores[i])}`;
  return `${s}\n`;
}

/** COPYs `linhas` (already in text format, see `linhaCopia`) into `tabela (colunas)`. */
export async function copiar(cliente: pg.PoolClient, tabela: string, colunas: readonly string[], linhas: readonly string[]): Promise<void> {
  if (linhas.length === 0) return;
  const destino = cliente.query(copyFrom(`COPY ${tabela} (${colunas.join(', ')}) FROM STDIN`));
  // Chunks of ~1 MB, so the stream's buffer never holds the whole batch twice.
  function* pedacos() {
    let atual = '';
    for (const l of linhas) {
      atual += l;
      if (atual.length >= 1 << 20) {
        yield atual;
        atual = '';
      }
    }
    if (atual !== '') yield atual;
  }
  await pipeline(Readable.from(pedacos()), destino);
}
