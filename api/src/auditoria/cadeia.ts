/**
 * The audit trail as a hash chain (tamper evidence).
 *
 *   hash(n) = SHA-256_hex( hash_anterior(n) || conteudoCanonico(linha n) ),   hash_anterior(n) = hash(n-1)
 *
 * The first row links to `GENESE` (64 zeros). Rows are chained in `id` order: `registrarAuditoria` takes a
 * transaction-scoped advisory lock before it draws the id and reads the previous hash, so appends are serialised
 * and the chain never forks. The append-only trigger stops the application role; this chain makes any change made
 * around it (a superuser disabling the trigger, a restored dump, a hand edit) visible to `verificarCadeia`.
 */
import { createHash } from 'node:crypto';

export const GENESE = '0'.repeat(64);

/** Key of `pg_advisory_xact_lock` that serialises appends ("LUMAUDIT" as an int64). */
export const CHAVE_LOCK_AUDITORIA = '5498434545508845396';

/** What is hashed of a row: every column except the two hash columns. */
export interface ConteudoAuditoria {
  id: string;
  /** UTC, microsecond precision: `2026-11-23T11:31:08.123000Z` (see `emCanonico`). */
  em: string;
  ator: string;
  acao: string;
  pessoaCpf: string | null;
  campos: readonly string[];
  cliente: string | null;
  finalidade: string | null;
  detalhe: unknown;
}

/** Same text PostgreSQL gives for `to_char(em AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`. */
export function emCanonico(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000Z`;
}

/** SQL expression producing `emCanonico` from the stored column (used when reading rows back). */
export const SQL_EM_CANONICO = `to_char(em AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** JSON with object keys sorted (recursively), no whitespace: one text for one value. */
export function jsonCanonico(valor: unknown): string {
  if (valor === null || typeof valor !== 'object') return JSON.stringify(valor) ?? 'null';
  if (Array.isArray(valor)) return `[${valor.map((v) => (v === undefined ? 'null' : jsonCanonico(v))).join(',')}]`;
  const obj = valor as Record<string, unknown>;
  const chaves = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${chaves.map((k) => `${JSON.stringify(k)}:${jsonCanonico(obj[k])}`).join(',')}}`;
}

export function conteudoCanonico(c: ConteudoAuditoria): string {
  return jsonCanonico({
    id: String(c.id),
    em: c.em,
    ator: c.ator,
    acao: c.acao,
    pessoaCpf: c.pessoaCpf,
    campos: [...c.campos],
    cliente: c.cliente,
    finalidade: c.finalidade,
    detalhe: c.detalhe,
  });
}

export function calcularHash(hashAnterior: string, c: ConteudoAuditoria): string {
  return createHash('sha256').update(hashAnterior, 'utf8').update(conteudoCanonico(c), 'utf8').digest('hex');
}

/** Minimal query interface: a pg Client/Pool, or a TypeORM DataSource/EntityManager (`query` returns rows). */
export interface Consultavel {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

function linhasDe(r: unknown): Record<string, unknown>[] {
  if (Array.isArray(r)) return r as Record<string, unknown>[];
  return ((r as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[];
}

export interface QuebraDaCadeia {
  /** id of the first row whose link does not hold (for a deleted row: the row after the gap). */
  id: string;
  /** `hash_anterior` — the row does not point at the previous row's hash (a row before it was removed or altered);
   *  `hash` — the row's content no longer matches its own hash (the row itself was altered). */
  tipo: 'hash_anterior' | 'hash';
  esperado: string;
  encontrado: string;
  mensagem: string;
}

export interface ResultadoVerificacao {
  ok: boolean;
  linhasVerificadas: number;
  /** Hash of the last verified row (the chain head), GENESE when empty. */
  ultimoHash: string;
  ultimoId: string | null;
  quebra: QuebraDaCadeia | null;
}

/**
 * Walks the whole chain in id order (keyset pages of `lote` rows) and stops at the FIRST broken link.
 * Recomputes each row's hash from its stored content, so a change made with the trigger disabled is found.
 */
export async function verificarCadeia(db: Consultavel, opcoes: { lote?: number } = {}): Promise<ResultadoVerificacao> {
  const lote = opcoes.lote ?? 5000;
  let anterior = GENESE;
  let ultimoId: string | null = null;
  let cursor = '0';
  let n = 0;
  for (;;) {
    const linhas = linhasDe(
      await db.query(
        `SELECT id::text AS id, ${SQL_EM_CANONICO} AS em, ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe,
                hash_anterior, hash
           FROM auditoria WHERE auditoria.id > $1::bigint ORDER BY auditoria.id LIMIT $2`,
        [cursor, lote],
      ),
    );
    if (linhas.length === 0) break;
    for (const l of linhas) {
      const id = String(l.id);
      const encontradoAnterior = (l.hash_anterior as string | null) ?? '(nulo)';
      if (encontradoAnterior !== anterior) {
        return falha(n, anterior, ultimoId, {
          id,
          tipo: 'hash_anterior',
          esperado: anterior,
          encontrado: encontradoAnterior,
          mensagem: `auditoria id ${id}: hash_anterior não confere com o hash da linha anterior${ultimoId ? ` (id ${ultimoId})` : ' (gênese)'} — linha anterior removida, inserida ou alterada`,
        });
      }
      const esperado = calcularHash(anterior, {
        id,
        em: l.em as string,
        ator: l.ator as string,
        acao: l.acao as string,
        pessoaCpf: (l.pessoa_cpf as string | null) ?? null,
        campos: (l.campos as string[]) ?? [],
        cliente: (l.cliente as string | null) ?? null,
        finalidade: (l.finalidade as string | null) ?? null,
        detalhe: l.detalhe,
      });
      const encontrado = (l.hash as string | null) ?? '(nulo)';
      if (encontrado !== esperado) {
        return falha(n, anterior, ultimoId, {
          id,
          tipo: 'hash',
          esperado,
          encontrado,
          mensagem: `auditoria id ${id}: o conteúdo da linha não confere com o seu hash — linha alterada`,
        });
      }
      anterior = encontrado;
      ultimoId = id;
      n++;
    }
    cursor = ultimoId!;
  }
  return { ok: true, linhasVerificadas: n, ultimoHash: anterior, ultimoId, quebra: null };
}

function falha(n: number, ultimoHash: string, ultimoId: string | null, quebra: QuebraDaCadeia): ResultadoVerificacao {
  return { ok: false, linhasVerificadas: n, ultimoHash, ultimoId, quebra };
}
