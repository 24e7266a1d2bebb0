import type { EntityManager } from 'typeorm';
import { calcularHash, CHAVE_LOCK_AUDITORIA, emCanonico, GENESE, type ConteudoAuditoria } from './cadeia.js';

export interface RegistroAuditoria {
  ator: string;
  acao: string;
  pessoaCpf?: string | null;
  campos?: readonly string[];
  cliente?: string | null;
  finalidade?: string | null;
  detalhe?: Record<string, unknown>;
}

/** Who is acting and through which client: filled from the bearer token or the event source. */
export interface ContextoAuditoria {
  ator: string;
  cliente: string | null;
  finalidade: string | null;
}

/**
 * Appends one audit row using the caller's transaction manager, so the audit record commits (or rolls back)
 * together with the read or write it describes.
 *
 * The row is chained (see `cadeia.ts`): a transaction-scoped advisory lock serialises appends until the caller's
 * transaction ends, then the next id is drawn and the previous row's hash read — in that order, in separate
 * statements, so the read sees every chain row committed before the lock was granted. Call it as the LAST
 * statement of a transaction that also locks rows (the lock is held until commit), so no lock-order cycle forms.
 */
export async function registrarAuditoria(manager: EntityManager, registro: RegistroAuditoria): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [CHAVE_LOCK_AUDITORIA]);
  const [proximo] = (await manager.query(
    `SELECT nextval(pg_get_serial_sequence('auditoria', 'id'))::text AS id,
            (SELECT hash FROM auditoria ORDER BY id DESC LIMIT 1) AS anterior`,
  )) as { id: string; anterior: string | null }[];
  const em = new Date();
  const conteudo: ConteudoAuditoria = {
    id: proximo!.id,
    em: emCanonico(em),
    ator: registro.ator,
    acao: registro.acao,
    pessoaCpf: registro.pessoaCpf ?? null,
    campos: [...(registro.campos ?? [])],
    cliente: registro.cliente ?? null,
    finalidade: registro.finalidade ?? null,
    // What jsonb will give back when the row is read (undefined dropped, dates as strings).
    detalhe: JSON.parse(JSON.stringify(registro.detalhe ?? {})) as unknown,
  };
  const anterior = proximo!.anterior ?? GENESE;
  const hash = calcularHash(anterior, conteudo);
  await manager.query(
    `INSERT INTO auditoria (id, em, ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe, hash_anterior, hash)
     VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6::text[], $7, $8, $9::jsonb, $10, $11)`,
    [conteudo.id, em.toISOString(), conteudo.ator, conteudo.acao, conteudo.pessoaCpf, conteudo.campos, conteudo.cliente, conteudo.finalidade, JSON.stringify(conteudo.detalhe), anterior, hash],
  );
}
