/**
 * The batch-load queue (BullMQ, with the configured key prefix like every queue of the project). One job = one file
 * of one source. The job id is a business key of the file as the inbox holds it (source, name, size, modification
 * time), so asking for the same file again while its job waits, runs or failed finds THAT job (a failed one is put
 * back in the queue: `executarCarga` then resumes the unfinished load of the same source + file sha256); once it
 * completed, asking again starts a new run under the same id (a second load of an unchanged file changes nothing,
 * which is the point of running it). Loads run one at a time: worker concurrency 1 and a queue-wide concurrency of 1.
 */
import { createHash } from 'node:crypto';
import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { Indisponivel } from '../../errors/indisponivel.error.js';
import type { Fase } from '../fases.js';
import type { CategoriasDiagnostico } from './categorias.js';

export const FILA_CARGA = 'carga-lote';
const JOB_EXECUTAR_CARGA = 'executar-carga';

export interface DadosCarga {
  fonte: string;
  /** File name inside the inbox (CARGA_DIRETORIO); never a path. */
  arquivo: string;
  bytes: number;
  /** Steward who asked (username), recorded as the load's `iniciada_por`. */
  solicitadaPor: string;
  /** ISO 8601, domain clock. */
  solicitadaEm: string;
  /** Set by the processor once it has hashed the file: links the job to its `carga` row (fonte + sha256). */
  sha256?: string;
}

export interface ProgressoCarga {
  fase: Fase;
  feitas: number;
  total: number | null;
}

export interface ResultadoCarga {
  /** `carga.id` of the load this run finished (resumed or new). */
  cargaId: string | null;
  diagnostico: CategoriasDiagnostico;
}

export type FilaCarga = Queue<DadosCarga, ResultadoCarga, typeof JOB_EXECUTAR_CARGA>;
export type JobCarga = Job<DadosCarga, ResultadoCarga>;

export interface OpcoesFilaCarga {
  /** Queue name (tests use a fresh one per file). Default `carga-lote`. */
  nome?: string;
  /** BullMQ key prefix. Default QUEUE_PREFIX. */
  prefixo?: string;
}

/**
 * One attempt: a load that fails (bad file, database error) stays failed and visible to stewards with its error;
 * asking for the same file again retries it, and the load resumes from its last checkpoint.
 */
const OPCOES_JOB_CARGA: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 90 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 90 * 24 * 3600, count: 1000 },
};

/** Producer side, on an existing Redis connection (the API's, which fails fast when Redis is down). */
export function criarFilaCarga(config: Pick<Config, 'queuePrefix'>, conexao: Redis, opcoes: OpcoesFilaCarga = {}): FilaCarga {
  const fila: FilaCarga = new Queue(opcoes.nome ?? FILA_CARGA, { connection: conexao, prefix: opcoes.prefixo ?? config.queuePrefix, defaultJobOptions: OPCOES_JOB_CARGA });
  fila.on('error', () => undefined);
  return fila;
}

/** `carga-<fonte>-<16 hex>`: no ':' and never digits only (BullMQ custom ids). */
export function idDoPedidoDeCarga(p: { fonte: string; arquivo: string; bytes: number; modificadoEmMs: number }): string {
  const h = createHash('sha256').update(`${p.fonte}\n${p.arquivo}\n${p.bytes}\n${p.modificadoEmMs}`).digest('hex').slice(0, 16);
  return `carga-${p.fonte}-${h}`;
}

export const FORMA_ID_PEDIDO = /^carga-[a-z][a-z0-9-]{1,39}-[0-9a-f]{16}$/;

/** Runs a queue operation; Redis refused or did not answer → a 503 for the steward. */
export async function naFila<T>(operacao: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  let relogio: NodeJS.Timeout | undefined;
  const limite = new Promise<never>((_, rejeitar) => {
    relogio = setTimeout(() => rejeitar(new Error(`Redis não respondeu em ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([operacao(), limite]);
  } catch {
    throw new Indisponivel('A fila de cargas (Redis) não respondeu; tente de novo em instantes');
  } finally {
    clearTimeout(relogio);
  }
}

export type ResultadoPedido = 'novo' | 'existente' | 'retomado';

/**
 * Enqueues the load of a file, idempotently (see the module comment). Returns the job id and what happened:
 * `novo` (a new run), `existente` (the same file is already waiting or running: nothing added), `retomado` (its
 * failed job was put back in the queue).
 */
export async function enfileirarCarga(
  fila: FilaCarga,
  pedido: { fonte: string; arquivo: string; bytes: number; modificadoEmMs: number; solicitadaPor: string; solicitadaEm: string },
): Promise<{ id: string; resultado: ResultadoPedido }> {
  const id = idDoPedidoDeCarga(pedido);
  const dados: DadosCarga = { fonte: pedido.fonte, arquivo: pedido.arquivo, bytes: pedido.bytes, solicitadaPor: pedido.solicitadaPor, solicitadaEm: pedido.solicitadaEm };
  const existente = await fila.getJob(id);
  if (existente) {
    const estado = await existente.getState();
    if (estado === 'failed') {
      await existente.updateData(dados);
      await existente.retry('failed');
      return { id, resultado: 'retomado' };
    }
    if (estado !== 'completed' && estado !== 'unknown') return { id, resultado: 'existente' };
    if (estado === 'completed') await existente.remove();
  }
  // Two requests at once: BullMQ adds nothing for an id it already holds, so the second one joins the first job.
  await fila.add(JOB_EXECUTAR_CARGA, dados, { jobId: id });
  return { id, resultado: 'novo' };
}
