/**
 * HTTP entry point: wires real dependencies into `createApp`, listens, and shuts down cleanly on SIGTERM/SIGINT
 * (stop accepting, finish in-flight requests, close the queue and the database pool).
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { criarVerificadorKeycloak } from './auth/verificador-token.js';
import { keycloakIssuer, loadConfig, type Config } from './config.js';
import { executarSeForPrincipal } from './processo.js';
import { criarDataSource } from './db/data-source.js';
import { criarFilaCarga } from './carga/gestao/fila.js';
import { responderErrosDeCliente } from './http/erros-de-cliente.js';
import { criarProdutorSync } from './keycloak-sync/fila.js';
import { criarFilaAvisos } from './mensagens/avisos-fila.js';
import { criarLogger } from './logger.js';
import { keycloakAplicacoes } from './portal/aplicacoes.js';
import { criarClienteOidc } from './portal/oidc.js';
import { criarPortal } from './portal/portal.js';
import { relogioDaConfig, usarRelogio } from './relogio.js';

export interface ServidorIniciado {
  server: Server;
  /** The citizen area's server (null when LUM_PORTAL_PORT is 0). */
  portal: Server | null;
  parar(): Promise<void>;
}

export async function iniciarServidor(config: Config = loadConfig()): Promise<ServidorIniciado> {
  const logger = criarLogger(config);
  const dataSource = criarDataSource({ url: config.databaseUrl, poolMax: config.dbPoolMax });
  await dataSource.initialize();
  const sync = criarProdutorSync(config);
  await sync.fila.waitUntilReady();

  // The batch-load queue shares the producer's connection (fails fast when Redis is down).
  const filaCarga = criarFilaCarga(config, sync.redis);
  const verificarToken = criarVerificadorKeycloak(config);
  // Mensagens: the optional e-mail notice is queued (the worker sends it through Keycloak).
  const filaAvisos = criarFilaAvisos(config);
  await filaAvisos.fila.waitUntilReady();
  const app = createApp({ config, dataSource, sync, cargas: { fila: filaCarga }, verificarToken, logger, avisos: filaAvisos.avisos });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  responderErrosDeCliente(server, logger);
  logger.info({ port: config.port }, 'lum-api ouvindo');

  // The citizen area ("Minha conta"): same process, same database pool, Redis and token check; its own port.
  let portal: Server | null = null;
  if (config.portalPort !== 0) {
    const appPortal = criarPortal({
      dataSource, redis: sync.redis, fila: sync.fila, logger, verificarToken, prefixo: config.queuePrefix,
      oidc: criarClienteOidc(keycloakIssuer(config), config.portalClientId), urlPublica: config.portalUrl, urlRealm: keycloakIssuer(config),
      aplicacoes: keycloakAplicacoes({ baseUrl: config.keycloakUrl, realm: config.keycloakRealm, clientId: config.lumApiClientId, clientSecret: config.lumApiClientSecret }),
    });
    portal = await new Promise<Server>((resolve) => {
      const s = appPortal.listen(config.portalPort, () => resolve(s));
    });
    responderErrosDeCliente(portal, logger);
    logger.info({ port: config.portalPort, url: config.portalUrl }, 'área do cidadão ouvindo');
  }

  let parando: Promise<void> | undefined;
  const parar = () =>
    (parando ??= (async () => {
      logger.info('encerrando lum-api');
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (portal) await new Promise<void>((resolve) => portal.close(() => resolve()));
      await filaCarga.close();
      await filaAvisos.fechar();
      await sync.fechar();
      await dataSource.destroy();
    })());
  return { server, portal, parar };
}

// The process's domain clock is installed here, by the entry point (tests that call iniciarServidor install their own).
executarSeForPrincipal(import.meta.url, () => {
  const config = loadConfig();
  usarRelogio(relogioDaConfig(config));
  return iniciarServidor(config);
});
