import type { EntityManager } from 'typeorm';

export interface RegistroAuditoria {
  ator: string;
  acao: string;
  pessoaCpf?: string | null;
  campos?: readonly string[];
  cliente?: string | null;
  finalidade?: string | null;
  detalhe?: Record<string, unknown>;
  /** Data-sharing view of the reader (steward/citizen requests): recorded as `detalhe.compartilhamento`, i.e. the
   *  fields the response was filtered to and the rules' version. */
  visao?: { campos: readonly string[]; versaoRegras: string } | null;
  /** The reader's organs and steward roles (steward requests): recorded as `detalhe.leitor`, so the citizen's page
   *  "Quem acessou meus dados" names the organ and role without the servant's personal data. */
  leitor?: Leitor | null;
}

/** Organ(s) and role(s) a steward request was made under (never the servant's name or CPF). */
interface Leitor {
  orgaos: readonly string[];
  papeis: readonly string[];
}

/** Who is acting and through which client: filled from the bearer token or the event source. */
export interface ContextoAuditoria {
  ator: string;
  cliente: string | null;
  finalidade: string | null;
  /** See `RegistroAuditoria.visao`. */
  visao?: { campos: readonly string[]; versaoRegras: string } | null;
  /** See `RegistroAuditoria.leitor`. */
  leitor?: Leitor | null;
}

/** The columns and the 7 parameters of one audit row's INSERT, in this order, for callers that build their own
 *  INSERT (the read-audit group commit, `gravador-leituras.ts`, writes many rows in one statement). */
export const COLUNAS_INSERT_AUDITORIA = 'ator, acao, pessoa_cpf, campos, cliente, finalidade, detalhe';

export function valoresAuditoria(registro: RegistroAuditoria): unknown[] {
  const detalhe = {
    ...registro.detalhe,
    ...(registro.visao ? { compartilhamento: { versao: registro.visao.versaoRegras, camposVisiveis: [...registro.visao.campos] } } : {}),
    ...(registro.leitor ? { leitor: { orgaos: [...registro.leitor.orgaos], papeis: [...registro.leitor.papeis] } } : {}),
  };
  return [registro.ator, registro.acao, registro.pessoaCpf ?? null, [...(registro.campos ?? [])], registro.cliente ?? null,
    registro.finalidade ?? null, JSON.stringify(detalhe)];
}

/**
 * Appends one audit row using the caller's transaction manager, so the audit record commits (or rolls back)
 * together with the read or write it describes. A plain INSERT: no lock, so audited requests never queue behind
 * each other; the row joins the hash chain when the sealer next runs (`selarAuditoria`, see `cadeia.ts`).
 */
export async function registrarAuditoria(manager: EntityManager, registro: RegistroAuditoria): Promise<void> {
  await manager.query(
    `INSERT INTO auditoria (${COLUNAS_INSERT_AUDITORIA}) VALUES ($1, $2, $3, $4::text[], $5, $6, $7::jsonb)`,
    valoresAuditoria(registro),
  );
}
