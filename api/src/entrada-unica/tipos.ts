import type { EntityManager } from 'typeorm';
import type { ContextoAuditoria } from '../auditoria/auditoria.service.js';
import type { Ator, Decisao } from '../pmcc/decidir.js';
import type { Entidade, Operacao } from '../pmcc/politicas.js';

/** A write request, whoever sends it (steward route, citizen's /me, Keycloak event; a batch row once a loader exists). */
export interface PedidoEscrita {
  entidade: Entidade;
  /** `criar` a new record or `alterar` an existing one (inactivation is `alterar` of `situacao`). */
  tipo: 'criar' | 'alterar';
  /** CPF or CNPJ, normalised (taken from the path for `alterar`, from the body for `criar`). */
  chave?: string;
  /** Raw body: field values by API name (null = delete), plus an optional `evidencia`. Validated by the pipeline. */
  corpo: unknown;
  ator: Ator;
  /** The record's key in the source system (batch row id, Keycloak event id). */
  chaveFonte?: string | null;
  /** When the source observed the values (ISO 8601); default: now. */
  observadoEm?: string;
  /** Optimistic concurrency: the `versao` the client read (If-Match). Refused with 409 when stale. */
  versaoEsperada?: number | null;
  /** Who/which client/purpose, for the audit row. */
  contexto: ContextoAuditoria;
  /**
   * `estrito` (interactive: steward, citizen): any refusal aborts the whole write with 422.
   * `tolerante` (batch rows, events): refused fields are skipped (losing values kept as alternatives), the rest applies.
   */
  modo?: 'estrito' | 'tolerante';
  /** Decide and compute the diff; write no data (one audit row records the simulation's read). */
  dryRun?: boolean;
  /**
   * Provenance recorded in `valor_campo` when the actor's kind alone does not say it: `ator` (default: derived from
   * `ator`, e.g. `keycloak:keycloak`) — for a Keycloak event, the Keycloak user id; `evidencia` (default: the body's
   * documentary `evidencia`) — e.g. the event's facts (e-mail verified). Never counts as documentary evidence for the PMCC.
   */
  proveniencia?: { ator?: string; evidencia?: Record<string, unknown> };
  /** Runs inside the write's transaction after the audit step (e.g. closing the review item being resolved). */
  dentroDaTransacao?: (manager: EntityManager) => Promise<void>;
}

export interface MudancaCampo {
  campo: string;
  operacao: Operacao;
  de: unknown;
  para: unknown;
  decisao: Decisao;
}

export interface ResultadoEscrita {
  entidade: Entidade;
  chave: string;
  criado: boolean;
  dryRun: boolean;
  /** Record JSON after the write (for a dry run: as it would be). */
  registro: Record<string, unknown>;
  versao: number;
  mudancas: MudancaCampo[];
  revisoesAbertas: string[];
  /** Keycloak sync jobs enqueued after commit. */
  sincronizacoes: string[];
}
