/**
 * The e-mail notice, asynchronous and best effort (issue 14): the API adds a job to the BullMQ queue `aviso-email`
 * after its transaction committed (never failing the answer or decision that caused it); the worker checks the
 * citizen's choice AT SENDING TIME (a citizen who turned it off in between gets nothing) and asks Keycloak's
 * `lum-avisos` resource to mail the theme's content-free notice with the realm's SMTP settings.
 *
 * - Job id from the business key (`aviso-<motivo>-<conta>-<ref>`): the same message never notifies twice.
 * - Keycloak or its SMTP server failing (network, 5xx, 502) → retried with exponential backoff (AVISO_TENTATIVAS);
 *   a user Keycloak does not know (404) or a refused call (400/401/403) → UnrecoverableError (logged, kept failed).
 * - No verified e-mail on the account (422 from the resource) → done, nothing to send.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { opcoesRedis } from '../keycloak-sync/redis.js';
import type { Avisos, MotivoAviso } from './avisos.js';

const FILA_AVISOS = 'aviso-email';
const JOB_AVISO = 'enviar-aviso';
/** Attempts of one notice (exponential backoff from AVISO_ESPERA_MS: about 1 h in total with the defaults). */
const AVISO_TENTATIVAS = 8;

interface DadosAviso {
  contaId: string;
  motivo: MotivoAviso;
}

/** What became of a notice. */
export type ResultadoAviso = 'enviado' | 'desligado' | 'sem-email-verificado';

/** Keycloak's side: `POST /realms/{realm}/lum-avisos/usuarios/{id}/aviso`. */
export interface EnviadorAviso {
  /** 'enviado' or 'sem-email-verificado'; throws `UnrecoverableError` for a permanent refusal, any other error to retry. */
  enviar(contaId: string, motivo: MotivoAviso): Promise<'enviado' | 'sem-email-verificado'>;
}

/** The notice's Keycloak call, as the API's service account (client credentials; its token reused until near expiry). */
export function enviadorKeycloak(opcoes: { baseUrl: string; realm: string; clientId: string; clientSecret: string; timeoutMs?: number }): EnviadorAviso {
  const realmUrl = `${opcoes.baseUrl.replace(/\/$/, '')}/realms/${encodeURIComponent(opcoes.realm)}`;
  const timeout = opcoes.timeoutMs ?? 10_000;
  let token: { valor: string; expiraEm: number } | null = null;
  const obterToken = async (): Promise<string> => {
    if (token && token.expiraEm - 30_000 > Date.now()) return token.valor;
    const r = await fetch(`${realmUrl}/protocol/openid-connect/token`, {
      method: 'POST', signal: AbortSignal.timeout(timeout),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: opcoes.clientId, client_secret: opcoes.clientSecret }),
    });
    if (!r.ok) throw new Error(`token do lum-api recusado pelo Keycloak: HTTP ${r.status}`);
    const corpo = (await r.json()) as { access_token: string; expires_in: number };
    token = { valor: corpo.access_token, expiraEm: Date.now() + corpo.expires_in * 1000 };
    return token.valor;
  };
  return {
    async enviar(contaId, motivo) {
      const r = await fetch(`${realmUrl}/lum-avisos/usuarios/${encodeURIComponent(contaId)}/aviso`, {
        method: 'POST', signal: AbortSignal.timeout(timeout),
        headers: { authorization: `Bearer ${await obterToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ motivo }),
      });
      const texto = await r.text();
      if (r.status === 200) return 'enviado';
      if (r.status === 422) return 'sem-email-verificado';
      if (r.status === 401) token = null;
      if ([400, 403, 404].includes(r.status)) throw new UnrecoverableError(`lum-avisos recusou o aviso: HTTP ${r.status} ${texto.slice(0, 200)}`);
      throw new Error(`lum-avisos não enviou o aviso: HTTP ${r.status} ${texto.slice(0, 200)}`);
    },
  };
}

/** The worker's step: the citizen's choice now, then Keycloak. */
async function processarAviso(dataSource: DataSource, enviador: EnviadorAviso, dados: DadosAviso): Promise<ResultadoAviso> {
  const [escolha] = await dataSource.query<{ ativo: boolean }[]>(`SELECT ativo FROM aviso_email WHERE conta_id = $1`, [dados.contaId]);
  if (!escolha?.ativo) return 'desligado';
  return enviador.enviar(dados.contaId, dados.motivo);
}

export interface FilaAvisos {
  avisos: Avisos;
  fila: Queue<DadosAviso>;
  fechar(): Promise<void>;
}

/**
 * Producer for the API. `avisar` never throws: it gives Redis `timeoutMs` to take the job, then logs and gives up
 * (the notice is best effort; the message itself is in the thread).
 */
export function criarFilaAvisos(config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'syncBackoffMs'>, opcoes: { nome?: string; timeoutMs?: number } = {}): FilaAvisos {
  const fila = new Queue<DadosAviso>(opcoes.nome ?? FILA_AVISOS, {
    connection: { ...opcoesRedis(config.redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 },
    prefix: config.queuePrefix,
    defaultJobOptions: {
      attempts: AVISO_TENTATIVAS, backoff: { type: 'exponential', delay: config.syncBackoffMs * 15 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
  fila.on('error', () => undefined);
  const timeoutMs = opcoes.timeoutMs ?? 3000;
  return {
    fila,
    avisos: {
      async avisar(contaId, motivo, ref, logger) {
        let relogio: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            fila.add(JOB_AVISO, { contaId, motivo }, { jobId: `aviso-${motivo}-${contaId}-${ref}` }),
            new Promise<never>((_, rejeitar) => {
              relogio = setTimeout(() => rejeitar(new Error(`Redis não respondeu em ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
        } catch (err) {
          logger.warn({ err, contaId, motivo }, 'aviso por e-mail não enfileirado (a mensagem está na conversa)');
        } finally {
          clearTimeout(relogio);
        }
      },
    },
    async fechar() {
      await fila.close();
    },
  };
}

/** The worker side (worker.ts). */
export function criarWorkerAvisos(
  config: Pick<Config, 'redisUrl' | 'queuePrefix'>, deps: { dataSource: DataSource; enviador: EnviadorAviso; logger: Logger }, opcoes: { nome?: string } = {},
): Worker<DadosAviso, ResultadoAviso> {
  const worker = new Worker<DadosAviso, ResultadoAviso>(opcoes.nome ?? FILA_AVISOS, async (job: Job<DadosAviso>) => processarAviso(deps.dataSource, deps.enviador, job.data), {
    connection: { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null },
    prefix: config.queuePrefix,
    concurrency: 2,
  });
  worker.on('failed', (job, err) => {
    deps.logger.warn({ err, contaId: job?.data.contaId, motivo: job?.data.motivo, tentativa: job?.attemptsMade }, 'aviso por e-mail não enviado');
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'worker de avisos por e-mail'));
  return worker;
}
