/**
 * External anchoring of the audit chain head.
 *
 * The hash chain (cadeia.ts) shows a row altered, inserted or removed in the MIDDLE of the chain, but removing the
 * LAST rows leaves a shorter chain that is still valid. The cure is to keep, outside the database, a record of the
 * heads the chain has had: the sealer appends `{banco, selo, hash, em}` to an append-only file after every pass that
 * sealed rows, and `verificarCadeia({ ancoras })` demands that every anchored head is still in the chain with the
 * same hash. A tail cut (or a tail rewritten and re-sealed) is then found, up to the last anchor (about a second).
 *
 * The file must live where whoever can edit the database cannot edit it (another host, WORM/object-lock storage,
 * or a log pipeline that ships each line off the machine); locally it sits in `.run/`. Each line names its database,
 * so one file can serve several databases (tests, dev) without mixing their chains.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Consultavel } from './cadeia.js';
import { relogio } from '../relogio.js';

export interface Ancora {
  /** `current_database()` of the chain it anchors. */
  banco: string;
  /** Position of the head in the chain (`auditoria.selo`). */
  selo: string;
  /** Hash of that row. */
  hash: string;
  /** When it was anchored (ISO-8601, UTC). */
  em: string;
}

export interface RegistroDeAncoras {
  registrar(ancora: Ancora): Promise<void>;
}

function linhasDe(r: unknown): Record<string, unknown>[] {
  if (Array.isArray(r)) return r as Record<string, unknown>[];
  return ((r as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[];
}

/** The current sealed head of the chain, or null while nothing is sealed. */
export async function cabecaDaCadeia(db: Consultavel): Promise<Ancora | null> {
  const [l] = linhasDe(
    await db.query(
      `SELECT current_database() AS banco, selo::text AS selo, hash FROM auditoria
        WHERE selo IS NOT NULL ORDER BY selo DESC LIMIT 1`,
    ),
  );
  if (!l) return null;
  return { banco: String(l.banco), selo: String(l.selo), hash: String(l.hash), em: relogio().agora().toISOString() };
}

/** Append-only JSON-lines file; every line is flushed to disk (fdatasync) before `registrar` resolves. */
export class AncorasEmArquivo implements RegistroDeAncoras {
  constructor(readonly caminho: string) {}

  async registrar(ancora: Ancora): Promise<void> {
    await mkdir(path.dirname(path.resolve(this.caminho)), { recursive: true });
    const arquivo = await open(this.caminho, 'a', 0o640);
    try {
      await arquivo.write(`${JSON.stringify(ancora)}\n`);
      await arquivo.datasync();
    } finally {
      await arquivo.close();
    }
  }

  /** Anchors of one database (all when `banco` is omitted); a missing file is an empty list. */
  async ler(banco?: string): Promise<Ancora[]> {
    let texto: string;
    try {
      texto = await readFile(this.caminho, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const ancoras: Ancora[] = [];
    texto.split('\n').forEach((linha, i) => {
      if (linha.trim() === '') return;
      let a: Partial<Ancora>;
      try {
        a = JSON.parse(linha) as Partial<Ancora>;
      } catch {
        throw new Error(`${this.caminho}:${i + 1}: linha de âncora ilegível`);
      }
      if (typeof a.banco !== 'string' || typeof a.selo !== 'string' || !/^\d+$/.test(a.selo) || typeof a.hash !== 'string') {
        throw new Error(`${this.caminho}:${i + 1}: âncora sem banco/selo/hash`);
      }
      if (banco === undefined || a.banco === banco) ancoras.push(a as Ancora);
    });
    return ancoras;
  }
}
