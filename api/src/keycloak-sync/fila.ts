import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { FILA_KEYCLOAK_SYNC, JOB_SINCRONIZAR_NIVEL, TIPO_BACKOFF, jobIdSaida, type DadosSyncNivel } from './constantes.js';
import { opcoesRedis } from './redis.js';

export type FilaSyncNivel = Queue<DadosSyncNivel, unknown, typeof JOB_SINCRONIZAR_NIVEL>;

export interface OpcoesFila {
  /** Queue name (tests use a fresh one per file). Default `keycloak-sync`. */
  nome?: string;
  /** BullMQ key prefix. Default `lum`. */
  prefixo?: string;
}

/** Producer side: the queue plus the Redis connection it uses (also pinged by /health/ready). */
export interface ProdutorSync {
  readonly fila: FilaSyncNivel;
  readonly redis: Redis;
  fechar(): Promise<void>;
}

/** Retry policy of every sync job, from config (the curve itself lives in the worker's backoff strategy). */
function opcoesJobSync(config: Pick<Config, 'syncAttempts' | 'syncBackoffMs'>): JobsOptions {
  return {
    attempts: config.syncAttempts,
    backoff: { type: TIPO_BACKOFF, delay: config.syncBackoffMs },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/**
 * Producer for HTTP handlers: fails fast when Redis is down (no offline queue, one retry per command) instead of
 * holding a request open.
 */
export function criarProdutorSync(config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'syncAttempts' | 'syncBackoffMs'>, opcoes: OpcoesFila = {}): ProdutorSync {
  const redis = new Redis({ ...opcoesRedis(config.redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000, disconnectTimeout: 500 });
  // Errors are reported through the commands that fail and /health/ready; without a listener ioredis prints them.
  redis.on('error', () => undefined);
  const fila: FilaSyncNivel = new Queue(opcoes.nome ?? FILA_KEYCLOAK_SYNC, {
    connection: redis,
    prefix: opcoes.prefixo ?? config.queuePrefix,
    defaultJobOptions: opcoesJobSync(config),
  });
  fila.on('error', () => undefined);
  return {
    fila,
    redis,
    async fechar() {
      await fila.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** A committed outbox row to hand to the queue now (the relay hands it over anyway). */
export interface SaidaParaEnfileirar {
  saidaId: string;
  keycloakUserId: string;
  nivelVersao: number;
}

async function enfileirarSaida(fila: FilaSyncNivel, s: SaidaParaEnfileirar): Promise<string> {
  const jobId = jobIdSaida(s.saidaId);
  await fila.add(JOB_SINCRONIZAR_NIVEL, { saidaId: s.saidaId, contaId: s.keycloakUserId, versao: s.nivelVersao }, { jobId });
  return jobId;
}

/**
 * For HTTP handlers, after their transaction committed: hand the outbox row to the queue at once (lower latency).
 * If Redis refuses or does not answer within `timeoutMs`, log it and go on — the outbox row is durable and the
 * worker's relay hands it over when Redis is back. Returns the job id (the same either way), or null when it could
 * not be enqueued now.
 */
export async function tentarEnfileirarSyncNivel(
  fila: FilaSyncNivel,
  saida: SaidaParaEnfileirar,
  logger: { error(obj: object, msg: string): void },
  timeoutMs = 3000,
): Promise<string | null> {
  let relogio: NodeJS.Timeout | undefined;
  const limite = new Promise<never>((_, rejeitar) => {
    relogio = setTimeout(() => rejeitar(new Error(`Redis não respondeu em ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([enfileirarSaida(fila, saida), limite]);
  } catch (err) {
    logger.error({ err, contaId: saida.keycloakUserId, saidaId: saida.saidaId }, 'não foi possível enfileirar agora; o relay entrega a saída depois');
    return null;
  } finally {
    clearTimeout(relogio);
  }
}
