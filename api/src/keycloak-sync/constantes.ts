/** Names shared by the producer (API) and the consumer (worker). */
export const FILA_KEYCLOAK_SYNC = 'keycloak-sync';
export const JOB_SINCRONIZAR_NIVEL = 'sincronizar-nivel';
/** Custom backoff type, resolved by the worker's `settings.backoffStrategy`. */
export const TIPO_BACKOFF = 'exponencial-limitado';

export interface DadosSyncNivel {
  /** The outbox row (`sincronizacao_saida.id`) this job delivers; the job is done when that row is `concluida`. */
  saidaId: string;
  contaId: string;
  /** The `nivel_versao` that caused the row. For tracing only: the processor reads the current level. */
  versao: number;
}

/** Job id = the outbox row: BullMQ keeps one job per id, so the relay and the API adding it again add nothing. */
export function jobIdSaida(saidaId: string): string {
  return `saida-${saidaId}`;
}
