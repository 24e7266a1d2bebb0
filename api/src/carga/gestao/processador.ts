/**
 * Consumer side of the batch-load queue: the worker process runs one load at a time (concurrency 1 here, and a
 * queue-wide concurrency of 1 so a second worker process waits too). The processor re-checks the file against the
 * inbox (a job never names anything else), hashes it (the sha256 links the job to its `carga` row), runs
 * `executarCarga` and reports its progress as `{ fase, feitas, total }` (at most a few times a second, and at every
 * phase change). A worker killed mid-load leaves the job stalled: BullMQ puts it back in the queue and the next run
 * resumes the unfinished load from its checkpoint.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config.js';
import { opcoesRedis } from '../../keycloak-sync/redis.js';
import { executarCarga } from '../executar-carga.js';
import type { AoProgresso, Fase } from '../fases.js';
import { categoriasDoDiagnostico } from './categorias.js';
import { arquivoDeEntrada, DIRETORIO_FONTES_PADRAO, mapeamentoDaFonte } from './entrada.js';
import { FILA_CARGA, type DadosCarga, type JobCarga, type OpcoesFilaCarga, type ProgressoCarga, type ResultadoCarga } from './fila.js';

export interface DepsCarga {
  dataSource: DataSource;
  logger: Logger;
  /** The load itself (default `executarCarga`). */
  executar?: typeof executarCarga;
  /** Mapping files (default api/src/carga/fontes). */
  dirFontes?: string;
  /** Minimum interval between two progress updates of the same phase (default 1000 ms). */
  intervaloProgressoMs?: number;
}

async function sha256(caminho: string): Promise<string> {
  const h = createHash('sha256');
  for await (const parte of createReadStream(caminho)) h.update(parte as Buffer);
  return h.digest('hex');
}

/** The `carga` row of this file: the latest load of this source with this sha256. */
export async function cargaDoArquivo(ds: DataSource, fonte: string, hash: string): Promise<string | null> {
  const [linha] = await ds.query<{ id: string }[]>(`SELECT id::text AS id FROM carga WHERE fonte = $1 AND arquivo_sha256 = $2 ORDER BY id DESC LIMIT 1`, [fonte, hash]);
  return linha?.id ?? null;
}

function criarProcessadorCarga(config: Pick<Config, 'cargaDiretorio'>, deps: DepsCarga): (job: JobCarga) => Promise<ResultadoCarga> {
  const executar = deps.executar ?? executarCarga;
  const dirFontes = deps.dirFontes ?? DIRETORIO_FONTES_PADRAO;
  const intervalo = deps.intervaloProgressoMs ?? 1000;
  return async (job) => {
    const { fonte, arquivo, solicitadaPor } = job.data;
    await mapeamentoDaFonte(dirFontes, fonte);
    const entrada = await arquivoDeEntrada(config.cargaDiretorio, arquivo);
    const hash = await sha256(entrada.caminho);
    await job.updateData({ ...job.data, sha256: hash } satisfies DadosCarga);

    let faseAtual: Fase | null = null;
    let ultimoEnvio = 0;
    const enviar = (p: ProgressoCarga) => {
      job.updateProgress(p).catch((err: unknown) => deps.logger.warn({ err, jobId: job.id }, 'não foi possível registrar o progresso da carga'));
    };
    const aoProgresso: AoProgresso = (fase, feitas, total) => {
      const agora = Date.now();
      if (fase === faseAtual && agora - ultimoEnvio < intervalo && feitas !== total) return;
      faseAtual = fase;
      ultimoEnvio = agora;
      enviar({ fase, feitas, total });
    };

    deps.logger.info({ jobId: job.id, fonte, arquivo, bytes: entrada.bytes }, 'carga iniciada');
    const diagnostico = await executar(deps.dataSource, { fonte, arquivo: entrada.caminho, fontesDir: dirFontes, iniciadaPor: solicitadaPor }, { aoProgresso });
    const categorias = categoriasDoDiagnostico(diagnostico);
    await job.updateProgress({ fase: 'concluida', feitas: categorias.registrosLidos, total: categorias.registrosLidos } satisfies ProgressoCarga);
    const cargaId = await cargaDoArquivo(deps.dataSource, fonte, hash);
    deps.logger.info({ jobId: job.id, cargaId, registrosLidos: categorias.registrosLidos }, 'carga concluída');
    return { cargaId, diagnostico: categorias };
  };
}

export interface OpcoesWorkerCarga extends OpcoesFilaCarga {
  /** Start consuming immediately (default true). */
  autorun?: boolean;
  /** How long a dead worker keeps its job (default 120 s; tests shorten it). */
  lockDurationMs?: number;
  /** How often the worker looks for jobs whose worker died (default 30 s). */
  stalledIntervalMs?: number;
}

/**
 * The worker: owns its connections (`worker.close()` releases them), waits for Redis. A long load keeps its lock
 * renewed while it runs (the event loop is never blocked for long); a worker that died loses it after
 * `lockDuration` and the job goes back to the queue (up to 5 times).
 */
export function criarWorkerCarga(config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'cargaDiretorio'>, deps: DepsCarga, opcoes: OpcoesWorkerCarga = {}): Worker<DadosCarga, ResultadoCarga> {
  const worker = new Worker<DadosCarga, ResultadoCarga>(opcoes.nome ?? FILA_CARGA, criarProcessadorCarga(config, deps), {
    connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null },
    prefix: opcoes.prefixo ?? config.queuePrefix,
    concurrency: 1,
    autorun: opcoes.autorun ?? true,
    lockDuration: opcoes.lockDurationMs ?? 120_000,
    stalledInterval: opcoes.stalledIntervalMs ?? 30_000,
    maxStalledCount: 5,
  });
  worker.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, err: err.message }, 'carga falhou'));
  worker.on('error', (err) => deps.logger.error({ err }, 'erro no worker de cargas'));
  return worker;
}

/** Queue-wide limit: one load at a time even with several worker processes (stored in Redis, set at each start). */
export async function limitarCargasSimultaneas(config: Pick<Config, 'redisUrl' | 'queuePrefix'>, opcoes: OpcoesFilaCarga = {}): Promise<void> {
  const fila = new Queue(opcoes.nome ?? FILA_CARGA, { connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null }, prefix: opcoes.prefixo ?? config.queuePrefix });
  try {
    await fila.setGlobalConcurrency(1);
  } finally {
    await fila.close();
  }
}
