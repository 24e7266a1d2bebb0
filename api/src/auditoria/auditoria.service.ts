import type { EntityManager } from 'typeorm';
import { Auditoria } from './auditoria.entity.js';

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
 */
export async function registrarAuditoria(manager: EntityManager, registro: RegistroAuditoria): Promise<void> {
  const linha = manager.create(Auditoria, {
    ator: registro.ator,
    acao: registro.acao,
    pessoaCpf: registro.pessoaCpf ?? null,
    campos: [...(registro.campos ?? [])],
    cliente: registro.cliente ?? null,
    finalidade: registro.finalidade ?? null,
    detalhe: registro.detalhe ?? {},
  });
  await manager.insert(Auditoria, linha);
}
