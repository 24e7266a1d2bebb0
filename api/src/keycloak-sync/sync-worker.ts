import { Worker } from 'bullmq';
import type { Config } from '../config.js';
import { criarBackoffStrategy } from './backoff.js';
import { FILA_KEYCLOAK_SYNC, type DadosSyncNivel } from './constantes.js';
import type { OpcoesFila } from './fila.js';
import { opcoesRedis } from './redis.js';
import { criarProcessadorSyncNivel, type DepsSyncNivel, type ResultadoSync } from './sincronizar-nivel.js';

export interface OpcoesWorkerSync extends OpcoesFila {
  concurrency?: number;
  /** Start consuming immediately (default true). */
  autorun?: boolean;
}

/**
 * Consumer side. Unlike the HTTP producer, the worker waits for Redis (maxRetriesPerRequest: null, the BullMQ
 * requirement for blocking connections) and owns its connections: `worker.close()` releases them.
 */
export function criarWorkerSync(
  config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'syncBackoffMs' | 'syncBackoffMaxMs'>,
  deps: DepsSyncNivel,
  opcoes: OpcoesWorkerSync = {},
): Worker<DadosSyncNivel, ResultadoSync> {
  const worker = new Worker<DadosSyncNivel, ResultadoSync>(opcoes.nome ?? FILA_KEYCLOAK_SYNC, criarProcessadorSyncNivel(deps), {
    connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null },
    prefix: opcoes.prefixo ?? config.queuePrefix,
    concurrency: opcoes.concurrency ?? 4,
    autorun: opcoes.autorun ?? true,
    settings: { backoffStrategy: criarBackoffStrategy({ baseMs: config.syncBackoffMs, maxMs: config.syncBackoffMaxMs }) },
  });
  worker.on('failed', (job, err) => {
    deps.logger.warn({ jobId: job?.id, tentativas: job?.attemptsMade, err: err.message }, 'job de sincronização falhou');
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'erro no worker de sincronização'));
  return worker;
}
