/**
 * The audit trail as a hash chain (tamper evidence).
 *
 *   hash(n) = SHA-256_hex( hash_anterior(n) || conteudoCanonico(linha n) ),   hash_anterior(n) = hash(n-1)
 *
 * The first row links to `GENESE` (64 zeros). Rows are chained in `selo` order, and sealing is asynchronous:
 * `registrarAuditoria` only INSERTs the row inside the caller's transaction, and the read-audit group commit
 * (`gravador-leituras.ts`) INSERTs many rows in one statement; neither takes a lock on the chain head. Then
 * `selarAuditoria` — one sealer at a time, under an advisory lock, run by the worker about once a second — links
 * every committed, unsealed row to the chain head. A row that commits late (a lower id after
 * higher ones were sealed) is simply sealed in the next pass. The append-only trigger stops the application role
 * (it admits only the sealing UPDATE); the chain makes any change made around it (a superuser disabling the
 * trigger, a restored dump, a hand edit) visible to `verificarCadeia`. The window of exposure is the sealing lag:
 * a row altered before it is sealed is not detected, and rows left unsealed too long fail the verification.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { cabecaDaCadeia, type Ancora, type RegistroDeAncoras } from './ancora.js';

export const GENESE = '0'.repeat(64);

/** Key of `pg_advisory_xact_lock` that keeps a single sealer at a time ("LUMAUDIT" as an int64). */
const CHAVE_LOCK_AUDITORIA = '5498434545508845396';

/** What is hashed of a row: every column except the two hash columns. */
export interface ConteudoAuditoria {
  id: string;
  /** UTC, microsecond precision, as `SQL_EM_CANONICO` renders the stored column: `2026-11-23T11:31:08.123456Z`. */
  em: string;
  ator: string;
  acao: string;
  pessoaCpf: string | null;
  campos: readonly string[];
  cliente: string | null;
  finalidade: string | null;
  detalhe: unknown;
}

/** The stored `em` as canonical text (UTC, microseconds): what is hashed. */
export const SQL_EM_CANONICO = `to_char(em AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** JSON with object keys sorted (recursively), no whitespace: one text for one value. */
function jsonCanonico(valor: unknown): string {
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

interface QuebraDaCadeia {
  /** id of the first row whose link does not hold (for a deleted row: the row after the gap). */
  id: string;
  /** `hash_anterior` — the row does not point at the previous row's hash (a row before it was removed or altered);
   *  `hash` — the row's content no longer matches its own hash (the row itself was altered);
   *  `ancora` — a head anchored outside the database is gone or differs (rows cut from, or rewritten at, the end). */
  tipo: 'hash_anterior' | 'hash' | 'ancora';
  esperado: string;
  encontrado: string;
  mensagem: string;
}

export interface ResultadoVerificacao {
  ok: boolean;
  linhasVerificadas: number;
  /** Rows not sealed yet, and the age of the oldest one (ms). Too old a backlog fails the verification. */
  pendentes: number;
  pendenteMaisAntigoMs: number | null;
  /** Hash of the last verified row (the chain head), GENESE when empty. */
  ultimoHash: string;
  ultimoId: string | null;
  quebra: QuebraDaCadeia | null;
}

/**
 * Walks the whole chain in id order (keyset pages of `lote` rows) and stops at the FIRST broken link.
 * Recomputes each row's hash from its stored content, so a change made with the trigger disabled is found.
 */
export async function verificarCadeia(
  db: Consultavel,
  opcoes: { lote?: number; toleranciaPendentesMs?: number; ancoras?: readonly Ancora[] } = {},
): Promise<ResultadoVerificacao> {
  const lote = opcoes.lote ?? 5000;
  /** Anchored heads (selo → hash): each must still be in the chain, with the same hash. */
  const ancoras = new Map<string, string>();
  let ancoraMaisAlta: Ancora | null = null;
  for (const a of opcoes.ancoras ?? []) {
    ancoras.set(a.selo, a.hash);
    if (!ancoraMaisAlta || BigInt(a.selo) > BigInt(ancoraMaisAlta.selo)) ancoraMaisAlta = a;
  }
  const tolerancia = opcoes.toleranciaPendentesMs ?? 5 * 60_000;
  let anterior = GENESE;
  let ultimoId: string | null = null;
  let cursor = '0';
  let n = 0;
  for (;;) {
    const linhas = linhasDe(
      await db.query(
        `SELECT id::text AS id, selo::text AS selo, ${SQL_EM_CANONICO} AS em, ator, acao, pessoa_cpf, campos, cliente,
                finalidade, detalhe, hash_anterior, hash
           FROM auditoria WHERE auditoria.selo > $1::bigint ORDER BY auditoria.selo LIMIT $2`,
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
      const ancorado = ancoras.get(String(l.selo));
      if (ancorado !== undefined && ancorado !== encontrado) {
        return falha(n, anterior, ultimoId, {
          id,
          tipo: 'ancora',
          esperado: ancorado,
          encontrado,
          mensagem: `auditoria id ${id}: a posição ${String(l.selo)} da cadeia tinha outro hash quando foi ancorada fora do banco — o fim da cadeia foi removido e reescrito`,
        });
      }
      anterior = encontrado;
      ultimoId = id;
      cursor = String(l.selo);
      n++;
    }
  }
  if (ancoraMaisAlta && BigInt(ancoraMaisAlta.selo) > BigInt(cursor)) {
    return falha(n, anterior, ultimoId, {
      id: `(selo ${ancoraMaisAlta.selo})`,
      tipo: 'ancora',
      esperado: ancoraMaisAlta.hash,
      encontrado: `cadeia termina no selo ${cursor}`,
      mensagem: `a cadeia termina no selo ${cursor}, mas a âncora externa de ${ancoraMaisAlta.em} registrou o selo ${ancoraMaisAlta.selo} — linhas removidas do fim da cadeia`,
    });
  }
  const [p] = linhasDe(
    await db.query(
      `SELECT count(*)::int AS n, (extract(epoch FROM now() - min(em)) * 1000)::bigint::text AS idade
         FROM auditoria WHERE selo IS NULL`,
    ),
  );
  const pendentes = Number(p?.n ?? 0);
  const idade = p?.idade == null ? null : Number(p.idade);
  if (idade !== null && idade > tolerancia) {
    return {
      ok: false, linhasVerificadas: n, pendentes, pendenteMaisAntigoMs: idade, ultimoHash: anterior, ultimoId,
      quebra: {
        id: '(não selada)', tipo: 'hash', esperado: 'selada', encontrado: 'não selada',
        mensagem: `${pendentes} linha(s) de auditoria sem selo, a mais antiga há ${Math.round(idade / 1000)} s — o selador parou?`,
      },
    };
  }
  return { ok: true, linhasVerificadas: n, pendentes, pendenteMaisAntigoMs: idade, ultimoHash: anterior, ultimoId, quebra: null };
}

function falha(n: number, ultimoHash: string, ultimoId: string | null, quebra: QuebraDaCadeia): ResultadoVerificacao {
  return { ok: false, linhasVerificadas: n, pendentes: 0, pendenteMaisAntigoMs: null, ultimoHash, ultimoId, quebra };
}

/**
 * Seals every committed, unsealed row (oldest id first, `lote` at a time) onto the chain head. One sealer at a
 * time (transaction-scoped advisory lock); safe to call from several processes and as often as wanted.
 * Returns how many rows it sealed.
 */
export async function selarAuditoria(dataSource: DataSource, opcoes: { lote?: number } = {}): Promise<number> {
  const lote = opcoes.lote ?? 5000;
  let total = 0;
  for (;;) {
    const selados = await dataSource.transaction((m) => selarLote(m, lote));
    total += selados;
    if (selados < lote) return total;
  }
}

async function selarLote(db: Consultavel, lote: number): Promise<number> {
  {
    await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [CHAVE_LOCK_AUDITORIA]);
    const [cabeca] = linhasDe(await db.query(`SELECT selo::text AS selo, hash FROM auditoria WHERE auditoria.selo IS NOT NULL ORDER BY auditoria.selo DESC LIMIT 1`));
    const linhas = linhasDe(
      await db.query(
        `SELECT id::text AS id, ${SQL_EM_CANONICO} AS em, ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe
           FROM auditoria WHERE auditoria.selo IS NULL ORDER BY auditoria.id LIMIT $1`,
        [lote],
      ),
    );
    let anterior = (cabeca?.hash as string | undefined) ?? GENESE;
    let selo = BigInt((cabeca?.selo as string | undefined) ?? '0');
    const ids: string[] = [], selos: string[] = [], anteriores: string[] = [], hashes: string[] = [];
    for (const l of linhas) {
      const hash = calcularHash(anterior, {
        id: String(l.id), em: l.em as string, ator: l.ator as string, acao: l.acao as string,
        pessoaCpf: (l.pessoa_cpf as string | null) ?? null, campos: (l.campos as string[]) ?? [],
        cliente: (l.cliente as string | null) ?? null, finalidade: (l.finalidade as string | null) ?? null, detalhe: l.detalhe,
      });
      selo += 1n;
      ids.push(String(l.id)); selos.push(selo.toString()); anteriores.push(anterior); hashes.push(hash);
      anterior = hash;
    }
    if (ids.length > 0) {
      await db.query(
        `UPDATE auditoria AS a SET selo = v.selo, hash_anterior = v.anterior, hash = v.hash
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, selo, anterior, hash)
          WHERE a.id = v.id`,
        [ids, selos, anteriores, hashes],
      );
    }
    return ids.length;
  }
}

/**
 * Runs the sealer every `intervaloMs` (the worker does this) until `parar()`; a pass never overlaps the previous
 * one, and a failed pass is logged and retried at the next tick. With `ancoras`, the chain head is anchored outside
 * the database at start-up and after every pass that sealed rows (see ancora.ts).
 */
export function iniciarSelador(
  dataSource: DataSource,
  opcoes: { intervaloMs?: number; aoFalhar?: (err: unknown) => void; ancoras?: RegistroDeAncoras } = {},
): { parar(): Promise<void> } {
  const ancorar = async () => {
    const cabeca = await cabecaDaCadeia(dataSource);
    if (cabeca) await opcoes.ancoras!.registrar(cabeca);
  };
  // The head at start-up is anchored too, so a new anchor file covers the chain as it already is.
  let ativo: Promise<unknown> = (opcoes.ancoras ? ancorar() : Promise.resolve()).catch((err: unknown) => opcoes.aoFalhar?.(err));
  const passo = async () => {
    const selados = await selarAuditoria(dataSource);
    if (selados > 0 && opcoes.ancoras) await ancorar();
  };
  const timer = setInterval(() => {
    ativo = ativo.then(passo).catch((err: unknown) => opcoes.aoFalhar?.(err));
  }, opcoes.intervaloMs ?? 1000);
  return {
    async parar() {
      clearInterval(timer);
      await ativo;
    },
  };
}
