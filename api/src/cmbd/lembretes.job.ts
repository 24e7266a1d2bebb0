/**
 * The reminder job: on working days at 09:00 (São Paulo), for the open campaign, record one reminder per organ that
 * has not finished (`registrarLembretes`: idempotent per organ and day, so a retried or doubled run records nothing
 * twice). The job id comes from the scheduler; the processor only reads the state, so it is safe to repeat.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { opcoesRedis } from '../keycloak-sync/redis.js';
import { campanhaAberta } from './bases.service.js';
import { registrarLembretes } from './campanhas.service.js';
import { relogio } from '../relogio.js';

const FILA_CMBD_LEMBRETES = 'cmbd-lembretes';
const JOB_REGISTRAR_LEMBRETES = 'registrar-lembretes';
const AGENDA_LEMBRETES = 'cmbd-lembretes-dias-uteis';
/** Who the version/audit rows name when the job acts. */
const ATOR_JOB = 'lum-api-worker';

export interface ResultadoLembretes {
  campanha: string | null;
  dia?: string;
  registrados: { sigla: string; destinatarios: string[]; canal: string }[];
}

export function criarProcessadorLembretes(dataSource: DataSource, hoje: () => string = () => relogio().hoje()) {
  return async (_job: Job): Promise<ResultadoLembretes> => {
    const campanha = await campanhaAberta(dataSource.manager);
    if (!campanha) return { campanha: null, registrados: [] };
    const r = await registrarLembretes(dataSource, campanha, { ator: ATOR_JOB, cliente: null }, hoje());
    return { campanha, ...r };
  };
}

export interface OpcoesFilaLembretes {
  nome?: string;
  prefixo?: string;
}

/** The queue plus its schedule (upsert: re-running it at every start keeps exactly one schedule). */
export async function agendarLembretesCmbd(config: Pick<Config, 'redisUrl' | 'queuePrefix'>, opcoes: OpcoesFilaLembretes & { padrao?: string } = {}): Promise<Queue> {
  const fila = new Queue(opcoes.nome ?? FILA_CMBD_LEMBRETES, { connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null }, prefix: opcoes.prefixo ?? config.queuePrefix });
  await fila.upsertJobScheduler(
    AGENDA_LEMBRETES,
    { pattern: opcoes.padrao ?? '0 9 * * 1-5', tz: 'America/Sao_Paulo' },
    { name: JOB_REGISTRAR_LEMBRETES, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
  return fila;
}

export function criarWorkerLembretes(
  config: Pick<Config, 'redisUrl' | 'queuePrefix'>,
  deps: { dataSource: DataSource; logger: Logger; hoje?: () => string },
  opcoes: OpcoesFilaLembretes = {},
): Worker<unknown, ResultadoLembretes> {
  const worker = new Worker<unknown, ResultadoLembretes>(opcoes.nome ?? FILA_CMBD_LEMBRETES, criarProcessadorLembretes(deps.dataSource, deps.hoje), {
    connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null },
    prefix: opcoes.prefixo ?? config.queuePrefix,
    concurrency: 1,
  });
  worker.on('completed', (job, r) => deps.logger.info({ jobId: job.id, campanha: r.campanha, orgaos: r.registrados.map((x) => x.sigla) }, 'lembretes do CMBD registrados'));
  worker.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, err: err.message }, 'job de lembretes do CMBD falhou'));
  worker.on('error', (err) => deps.logger.error({ err }, 'erro no worker de lembretes do CMBD'));
  return worker;
}
