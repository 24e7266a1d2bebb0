/**
 * The batch load's phases and what each one hands to the next (issue 11). A load (`carga` row) moves through
 *
 *   lendo → particionando → fundindo → vinculando → registrando → concluida
 *
 * and records the phase it is in, so a load killed at any point and started again resumes where it stopped:
 * - `lendo` streams the file (parse → normalise → triage) into `carga_staging` with COPY, committing a checkpoint
 *   (`carga.linhas_confirmadas`) in the same transaction as each chunk; resuming skips the committed rows.
 * - every later phase runs in one transaction that also advances `carga.fase`: killed midway it rolls back and runs
 *   again from the start of the phase.
 *
 * Staging rows (`carga_staging`, one per source row with a key) carry the normalised attributes and, as the phases
 * fill them, `cpf_de_outra_pessoa`, `identidade_id`, `vinculo`, `pontuacao` and `comparacoes`.
 */
import type pg from 'pg';
import type { FonteId } from '../pmcc/politicas.js';
import type { MapeamentoFonte } from './mapeamento.js';

/**
 * The advisory lock a batch load holds (session level, exclusive) from start to end: one load at a time per database.
 * Stewards' linkage decisions take it shared for their transaction, so they never interleave with a running load.
 */
export const TRAVA_CARGA = 0x4c554d43; // "LUMC"

export const FASES = ['lendo', 'particionando', 'fundindo', 'vinculando', 'registrando', 'concluida'] as const;
export type Fase = (typeof FASES)[number];

/** What every phase receives. */
export interface CargaEmCurso {
  /** `carga.id`. */
  readonly id: string;
  readonly mapa: MapeamentoFonte;
  /** The PMCC source the rows write as (`mapa.pmcc`). */
  readonly fontePmcc: FonteId;
  /** When the source observed the values (ISO 8601): provenance `observado_em` of every value of this load. */
  readonly observadoEm: string;
  /** Who started the load (steward username or `cli:<os user>`), for the audit rows. */
  readonly iniciadaPor: string;
}

/** Progress callback: `feitas` of `total` units of the current phase (rows, or groups). */
export type AoProgresso = (fase: Fase, feitas: number, total: number | null) => void;

/**
 * A phase after `lendo`. `cliente` is a connection inside the transaction the orchestrator opened (BEGIN done; the
 * orchestrator moves `carga.fase` to the next phase and COMMITs after the phase returns; on error it rolls back).
 * The phase may use COPY, temporary tables (ON COMMIT DROP) and set-based SQL on it; it must not COMMIT.
 * Returns counts for the diagnosis (merged into `carga.diagnostico.fases.<fase>`).
 */
export type ExecutarFase = (cliente: pg.PoolClient, carga: CargaEmCurso, aoProgresso?: AoProgresso) => Promise<Record<string, number>>;
