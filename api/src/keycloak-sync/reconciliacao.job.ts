/**
 * The reconciliation as a BullMQ repeatable job (`keycloak-reconciliacao`, every RECONCILIACAO_INTERVALO_S) and the
 * recovery of Keycloak's stored events as a loop (every EVENTOS_RECUPERACAO_INTERVALO_S); both run in the worker.
 */
import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { recuperarEventos } from '../eventos-keycloak/recuperar-eventos.js';
import type { VerificadorGovbr } from '../govbr/id-token.js';
import type { MetricasSync } from '../metricas/metricas.js';
import type { KeycloakLeituraPort, KeycloakUsersPort } from './keycloak-users.port.js';
import { reconciliar, type RelatorioReconciliacao } from './reconciliar.js';
import { opcoesRedis } from './redis.js';

const FILA_RECONCILIACAO = 'keycloak-reconciliacao';

export interface ReconciliacaoAgendada {
  parar(): Promise<void>;
}

export async function agendarReconciliacao(
  config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'reconciliacaoIntervaloS'>,
  deps: { dataSource: DataSource; keycloak: KeycloakLeituraPort; logger: Logger; metricas?: MetricasSync },
): Promise<ReconciliacaoAgendada> {
  if (config.reconciliacaoIntervaloS === 0) return { parar: () => Promise.resolve() };
  const conexao = { ...opcoesRedis(config.redisUrl), maxRetriesPerRequest: null };
  const fila = new Queue(FILA_RECONCILIACAO, { connection: conexao, prefix: config.queuePrefix });
  await fila.upsertJobScheduler('reconciliacao-periodica', { every: config.reconciliacaoIntervaloS * 1000 }, {
    name: 'reconciliar', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  const worker = new Worker<unknown, Omit<RelatorioReconciliacao, 'reparos'> & { reparos: number }>(
    FILA_RECONCILIACAO,
    async () => {
      const r = await reconciliar({ dataSource: deps.dataSource, keycloak: deps.keycloak, origem: 'job-periodico' });
      for (const reparo of r.reparos) deps.metricas?.reparos.inc({ tipo: reparo.tipo });
      deps.logger.info({ reconciliacao: r.id, verificadas: r.contasVerificadas, reparos: r.reparos.length }, 'reconciliação Keycloak × cadastro concluída');
      return { ...r, reparos: r.reparos.length };
    },
    { connection: conexao, prefix: config.queuePrefix, concurrency: 1 },
  );
  worker.on('error', (err) => deps.logger.error({ err }, 'erro no worker de reconciliação'));
  return {
    async parar() {
      await worker.close();
      await fila.close();
    },
  };
}

export function iniciarRecuperacaoEventos(
  config: Pick<Config, 'eventosRecuperacaoIntervaloS' | 'keycloakRealm'>,
  deps: { dataSource: DataSource; keycloak: KeycloakUsersPort & KeycloakLeituraPort; logger: Logger; metricas?: MetricasSync; verificarGovbr: VerificadorGovbr },
): { parar(): Promise<void> } {
  if (config.eventosRecuperacaoIntervaloS === 0) return { parar: () => Promise.resolve() };
  let parado = false;
  let emFalha = false;
  let acordar: (() => void) | undefined;
  const laco = (async () => {
    while (!parado) {
      try {
        const r = await recuperarEventos({ dataSource: deps.dataSource, keycloak: deps.keycloak, realm: config.keycloakRealm, logger: deps.logger, verificarGovbr: deps.verificarGovbr });
        deps.metricas?.eventosRecuperados.inc({ tipo: 'usuario' }, r.usuario);
        deps.metricas?.eventosRecuperados.inc({ tipo: 'admin' }, r.admin);
        emFalha = false;
      } catch (err) {
        if (!emFalha) deps.logger.error({ err }, 'não foi possível ler os eventos armazenados no Keycloak; nova tentativa no próximo ciclo');
        emFalha = true;
      }
      await new Promise<void>((resolver) => {
        const t = setTimeout(resolver, config.eventosRecuperacaoIntervaloS * 1000);
        acordar = () => {
          clearTimeout(t);
          resolver();
        };
      });
    }
  })();
  return {
    async parar() {
      parado = true;
      acordar?.();
      await laco;
    },
  };
}
