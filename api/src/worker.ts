/**
 * Background entry point: consumes `keycloak-sync` jobs (push the confidence level into the Keycloak user) and the
 * batch loads (`carga-lote`, one at a time), seals the audit chain, and closes them (finishing the current jobs) and the database pool on SIGTERM/SIGINT.
 */
import 'reflect-metadata';
import type { Worker } from 'bullmq';
import { AncorasEmArquivo } from './auditoria/ancora.js';
import { iniciarSelador } from './auditoria/cadeia.js';
import { loadConfig, type Config } from './config.js';
import { executarSeForPrincipal } from './processo.js';
import { criarWorkerCarga, limitarCargasSimultaneas } from './carga/gestao/processador.js';
import { agendarLembretesCmbd, criarWorkerLembretes } from './cmbd/lembretes.job.js';
import { criarDataSource } from './db/data-source.js';
import { criarVerificadorGovbr } from './govbr/id-token.js';
import { KeycloakAdminUsers, opcoesKeycloakAdmin } from './keycloak-sync/keycloak-users.port.js';
import { criarProdutorSync } from './keycloak-sync/fila.js';
import { agendarReconciliacao, iniciarRecuperacaoEventos } from './keycloak-sync/reconciliacao.job.js';
import { iniciarRelay, registrarFalha } from './keycloak-sync/saida.js';
import { nivelContaTypeorm } from './keycloak-sync/sincronizar-nivel.js';
import { criarMetricas, servirMetricas } from './metricas/metricas.js';
import { criarWorkerSync } from './keycloak-sync/sync-worker.js';
import { criarWorkerAvisos, enviadorKeycloak } from './mensagens/avisos-fila.js';
import { criarLogger } from './logger.js';
import { relogioDaConfig, usarRelogio } from './relogio.js';

export interface WorkerIniciado {
  worker: Worker;
  parar(): Promise<void>;
}

export async function iniciarWorker(config: Config = loadConfig()): Promise<WorkerIniciado> {
  const logger = criarLogger(config).child({ componente: 'worker' });
  const dataSource = criarDataSource({ url: config.databaseUrl, applicationName: 'lum-worker' });
  await dataSource.initialize();
  const keycloak = new KeycloakAdminUsers(opcoesKeycloakAdmin(config));
  // The relay's producer fails fast when Redis is down (the outbox rows wait in PostgreSQL meanwhile).
  const produtor = criarProdutorSync(config);
  const metricas = criarMetricas({ dataSource, fila: produtor.fila });
  const worker = criarWorkerSync(
    config,
    { contas: nivelContaTypeorm(dataSource, { loteMax: config.syncLoteMax, emVooMax: config.syncLotesEmVoo }), keycloak, logger, registrarFalha: (id, erro, tentativas) => registrarFalha(dataSource, id, erro, tentativas) },
    { concurrency: config.syncConcurrency, metricas },
  );
  const relay = iniciarRelay(dataSource, produtor.fila, {
    tentativas: config.syncAttempts,
    aoFalhar: (err) => logger.error({ err }, 'relay do outbox: Redis ou banco indisponível; as mudanças esperam no outbox'),
  });
  const reconciliacao = await agendarReconciliacao(config, { dataSource, keycloak, logger, metricas });
  const recuperacao = iniciarRecuperacaoEventos(config, { dataSource, keycloak, logger, metricas, verificarGovbr: criarVerificadorGovbr(config) });
  const servidorMetricas = config.metricsPort > 0 ? await servirMetricas(metricas, { porta: config.metricsPort, token: config.metricsToken }) : undefined;
  // Links committed audit rows into the hash chain about once a second (see auditoria/cadeia.ts).
  // Each new head is also anchored outside the database, so cutting the end of the chain is detectable.
  const selador = iniciarSelador(dataSource, {
    aoFalhar: (err) => logger.error({ err }, 'falha ao selar ou ancorar a auditoria'),
    ancoras: config.auditAnchorFile ? new AncorasEmArquivo(config.auditAnchorFile) : undefined,
  });
  logger.info('worker de sincronização e selador da auditoria iniciados');
  // CMBD: reminders to organs that have not finished the open campaign (working days, 09:00 São Paulo).
  const filaLembretesCmbd = await agendarLembretesCmbd(config);
  const workerLembretesCmbd = criarWorkerLembretes(config, { dataSource, logger });
  // Batch loads: one at a time (worker concurrency 1, queue-wide concurrency 1 across worker processes).
  await limitarCargasSimultaneas(config);
  const workerCarga = criarWorkerCarga(config, { dataSource, logger });
  // Mensagens: the citizen's optional e-mail notice, through Keycloak's lum-avisos resource (best effort, retried).
  const workerAvisos = criarWorkerAvisos(config, {
    dataSource, logger,
    enviador: enviadorKeycloak({ baseUrl: config.keycloakUrl, realm: config.keycloakRealm, clientId: config.lumApiClientId, clientSecret: config.lumApiClientSecret }),
  });

  let parando: Promise<void> | undefined;
  const parar = () =>
    (parando ??= (async () => {
      logger.info('encerrando worker');
      // A running load may last an hour: not waited for. Its job stays active until its lock expires, then goes back
      // to the queue, and the load resumes from its checkpoint at the next start (its open phase rolls back).
      await workerCarga.close(true);
      await workerAvisos.close();
      await relay.parar();
      await recuperacao.parar();
      await reconciliacao.parar();
      await servidorMetricas?.fechar();
      await worker.close();
      await produtor.fechar();
      await workerLembretesCmbd.close();
      await filaLembretesCmbd.close();
      await selador.parar();
      await dataSource.destroy();
    })());
  return { worker, parar };
}

// The process's domain clock is installed here, by the entry point (tests that call iniciarWorker install their own).
executarSeForPrincipal(import.meta.url, () => {
  const config = loadConfig();
  usarRelogio(relogioDaConfig(config));
  return iniciarWorker(config);
});
