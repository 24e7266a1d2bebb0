/** Names shared by the producer (API) and the consumer (worker). */
export const FILA_KEYCLOAK_SYNC = 'keycloak-sync';
export const JOB_SINCRONIZAR_NIVEL = 'sincronizar-nivel';
/** Custom backoff type, resolved by the worker's `settings.backoffStrategy`. */
export const TIPO_BACKOFF = 'exponencial-limitado';

export interface DadosSyncNivel {
  contaId: string;
  /** The `nivel_versao` that caused the job. For tracing only: the processor reads the current level. */
  versao: number;
}

/** Business-key job id: one job per (account, level version). No ':' and never digits only. */
export function jobIdSyncNivel(contaId: string, versao: number): string {
  return `nivel-${contaId}-v${versao}`;
}
