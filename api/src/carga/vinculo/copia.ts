/**
 * COPY in and out of PostgreSQL (text format) for the linkage phases: rows stream through without being held in
 * memory, and the stream's pace drives the query (back-pressure).
 */
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

function desescapar(campo: string): string | null {
  if (campo === '\\N') return null;
  if (!campo.includes('\\')) return campo;
  return campo.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'b' ? '\b' : c === 'f' ? '\f' : c === 'v' ? '\v' : c));
}

/** Rows of `COPY (<consulta>) TO STDOUT` (text format), each an array of fields (null for SQL NULL). */
export async function* lerCopia(cliente: pg.PoolClient, consulta: string): AsyncGenerator<(string | null)[]> {
  const fluxo = cliente.query(copyTo(`COPY (${consulta}) TO STDOUT`));
  const decodificador = new StringDecoder('utf8');
  let resto = '';
  for await (const pedaco of fluxo as AsyncIterable<Buffer>) {
    const texto = resto + decodificador.write(pedaco);
    const linhas = texto.split('\n');
    resto = linhas.pop() ?? '';
    for (const l of linhas) yield l.split('\t').map(desescapar);
  }
  resto += decodificador.end();
  if (resto !== '') yield resto.split('\t').map(desescapar);
}

function escapar(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** `COPY <tabela> (<colunas>) FROM STDIN` from an (async) iterable of rows. */
export async function escreverCopia(
  cliente: pg.PoolClient,
  tabela: string,
  colunas: readonly string[],
  linhas: Iterable<readonly (string | number | boolean | null)[]> | AsyncIterable<readonly (string | number | boolean | null)[]>,
): Promise<void> {
  const fluxo = cliente.query(copyFrom(`COPY ${tabela} (${colunas.join(', ')}) FROM STDIN`));
  const fim = new Promise<void>((resolve, reject) => {
    fluxo.on('finish', resolve);
    fluxo.on('error', reject);
  });
  let lote: string[] = [];
  const despejar = async () => {
    if (lote.length === 0) return;
    const ok = fluxo.write(lote.join(''));
    lote = [];
    if (!ok) await Promise.race([once(fluxo, 'drain'), fim]);
  };
  for await (const l of linhas) {
    lote.push(`${l.map(escapar).join('\t')}\n`);
    if (lote.length >= 2000) await despejar();
  }
  await despejar();
  fluxo.end();
  await fim;
}
