import { Worker } from 'bullmq';
import type { Config } from '../config.js';
import type { MetricasSync } from '../metricas/metricas.js';
import { criarBackoffStrategy } from './backoff.js';
import { FILA_KEYCLOAK_SYNC, type DadosSyncNivel } from './constantes.js';
import type { OpcoesFila } from './fila.js';
import { opcoesRedis } from './redis.js';
import { criarProcessadorSyncNivel, type DepsSyncNivel, type ResultadoSync } from './sincronizar-nivel.js';

export interface OpcoesWorkerSync extends OpcoesFila {
  concurrency?: number;
  /** Start consuming immediately (default true). */
  autorun?: boolean;
  /** BullMQ lock of an active job (ms): a worker killed mid-job gives its job back after about this long. */
  lockDurationMs?: number;
  metricas?: MetricasSync;
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
  const lock = opcoes.lockDurationMs ?? 30_000;
  const worker = new Worker<DadosSyncNivel, ResultadoSync>(opcoes.nome ?? FILA_KEYCLOAK_SYNC, criarProcessadorSyncNivel(deps), {
    connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null },
    prefix: opcoes.prefixo ?? config.queuePrefix,
    concurrency: opcoes.concurrency ?? 4,
    autorun: opcoes.autorun ?? true,
    lockDuration: lock,
    stalledInterval: lock,
    // a job given back after a kill is run again, not failed (the outbox row keeps it owed anyway)
    maxStalledCount: 10,
    settings: { backoffStrategy: criarBackoffStrategy({ baseMs: config.syncBackoffMs, maxMs: config.syncBackoffMaxMs }) },
  });
  worker.on('completed', (_job, r) => opcoes.metricas?.entregas.inc({ resultado: r.resultado }));
  worker.on('failed', (job, err) => {
    const definitiva = job ? job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError' : false;
    opcoes.metricas?.falhas.inc({ tipo: definitiva ? 'definitiva' : 'tentativa' });
    deps.logger.warn({ jobId: job?.id, tentativas: job?.attemptsMade, err: err.message }, 'job de sincronização falhou');
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'erro no worker de sincronização'));
  return worker;
}
