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
function linhaCopia(valores: readonly ValorCopia[]): string {
  let s = campo(valores[0]);
  for (let i = 1; i < valores.length; i++) s += `\t${campo(valores[i])}`;
  return `${s}\n`;
}

/** Text accumulated before it is encoded: one Buffer.from per ~64 KB, not one Buffer.write per row. */
const PEDACO = 1 << 16;

/**
 * Rows in COPY text format, encoded into buffers of about 64 KB as they accumulate. The buffers live outside the
 * JavaScript heap, so a batch waiting to be written costs the garbage collector nothing (as strings, every
 * young-generation collection would copy them again); only the last, unencoded ~64 KB is a string.
 */
export class TextoCopia {
  private readonly pedacos: Buffer[] = [];
  private pendente = '';
  linhas = 0;

  adicionar(valores: readonly ValorCopia[]): void {
    this.pendente += linhaCopia(valores);
    this.linhas += 1;
    if (this.pendente.length >= PEDACO) this.codificar();
  }

  private codificar(): void {
    if (this.pendente === '') return;
    this.pedacos.push(Buffer.from(this.pendente, 'utf8'));
    this.pendente = '';
  }

  buffers(): Buffer[] {
    this.codificar();
    return [...this.pedacos];
  }
}

/** COPYs the rows of `texto` into `tabela (colunas)`. */
export async function copiar(cliente: pg.PoolClient, tabela: string, colunas: readonly string[], texto: TextoCopia): Promise<void> {
  if (texto.linhas === 0) return;
  const destino = cliente.query(copyFrom(`COPY ${tabela} (${colunas.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(texto.buffers()), destino);
}
