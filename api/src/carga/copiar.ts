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

const PEDACO = 1 << 20;

/**
 * Rows in COPY text format, encoded at once into 1 MB buffers. The buffers live outside the JavaScript heap, so a
 * batch waiting to be written costs the garbage collector nothing (as strings, every young-generation collection
 * would copy them again).
 */
export class TextoCopia {
  private readonly pedacos: Buffer[] = [];
  private atual: Buffer | null = null;
  private usado = 0;
  linhas = 0;

  adicionar(valores: readonly ValorCopia[]): void {
    const linha = linhaCopia(valores);
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    if (this.atual === null || this.usado + linha.length * 3 > this.atual.length) {
      if (this.atual !== null) this.pedacos.push(this.atual.subarray(0, this.usado));
      this.atual = Buffer.allocUnsafe(Math.max(PEDACO, linha.length * 3));
      this.usado = 0;
    }
    this.usado += this.atual.write(linha, this.usado, 'utf8');
    this.linhas += 1;
  }

  buffers(): Buffer[] {
    return this.atual === null ? [...this.pedacos] : [...this.pedacos, this.atual.subarray(0, this.usado)];
  }
}

/** COPYs the rows of `texto` into `tabela (colunas)`. */
export async function copiar(cliente: pg.PoolClient, tabela: string, colunas: readonly string[], texto: TextoCopia): Promise<void> {
  if (texto.linhas === 0) return;
  const destino = cliente.query(copyFrom(`COPY ${tabela} (${colunas.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(texto.buffers()), destino);
}
