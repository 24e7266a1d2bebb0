import 'reflect-metadata';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { autenticar, exigirAlgumPapel, exigirPapel } from './auth/autenticacao.middleware.js';
import { PAPEIS_GESTOR, PAPEL_ADMIN_CADASTRO, PAPEL_CIDADAO } from './auth/papeis.js';
import { PAPEL_GESTOR_CADASTRO } from './auth/principal.js';
import type { VerificadorToken } from './auth/verificador-token.js';
import { keycloakIssuer, type Config } from './config.js';
import { exigirClienteBiometria, rotasBiometria } from './biometria/biometria.routes.js';
import { rotasCarga } from './carga/gestao/carga.routes.js';
import type { FilaCarga } from './carga/gestao/fila.js';
import { rotasCmbd } from './cmbd/cmbd.routes.js';
import { rotasCmbdPublicas } from './cmbd/publico.routes.js';
import { exigirVisaoDeGestor, rotasCompartilhamento } from './compartilhamento/compartilhamento.routes.js';
import { criarLimitador, LIMITES_PADRAO, type LimitesConhecimento } from './conhecimento/limite.js';
import { rotasContas } from './contas/contas.routes.js';
import { errorHandler, rotaNaoEncontrada } from './errors/error-handler.js';
import { rotasEventosKeycloak } from './eventos-keycloak/eventos-keycloak.routes.js';
import { corpoJson } from './http/corpo-json.js';
import { rotasHealth } from './health/health.routes.js';
import { verificacaoKeycloak, verificacaoPostgres, verificacaoRedis, type VerificacaoProntidao } from './health/verificacoes.js';
import type { FilaSyncNivel } from './keycloak-sync/fila.js';
import { criarHttpLogger } from './logger.js';
import { rotasRevisoes } from './entrada-unica/revisoes.routes.js';
import { rotasPessoasJuridicas } from './pessoas/pessoas-juridicas.routes.js';
import { rotasMe } from './me/me.routes.js';
import { rotasOpenApi } from './openapi/openapi.routes.js';
import { rotasAcessos } from './portal/acessos.routes.js';
import { semAvisos, type Avisos } from './mensagens/avisos.js';
import { rotasConversasCidadao, rotasConversasOrgao } from './mensagens/conversas.routes.js';
import { rotasPessoas } from './pessoas/pessoas.routes.js';
import { rotasSalaCidadao, rotasSalaFila } from './sala-espera/sala.routes.js';

export interface AppDeps {
  config: Config;
  /** Initialised DataSource (the app never initialises or destroys it). */
  dataSource: DataSource;
  /** Producer side of the Keycloak sync queue (see `criarProdutorSync`). */
  sync: { fila: FilaSyncNivel; redis: Redis };
  /**
   * Producer side of the batch-load queue (`criarFilaCarga`). Without it the load routes still answer, but asking
   * for a load or reading a request is a 503.
   */
  cargas?: { fila: FilaCarga; dirFontes?: string };
  /** Bearer-token verifier: `criarVerificadorKeycloak(config)` in production, a local JWKS in tests. */
  verificarToken: VerificadorToken;
  logger: Logger;
  /** Override the readiness checks (default: PostgreSQL, Redis, Keycloak). */
  verificacoesProntidao?: readonly VerificacaoProntidao[];
  /** Per-check timeout for /health/ready (default 2000 ms). */
  timeoutProntidaoMs?: number;
  /** Knowledge check: Redis key prefix of its rate limit (default `<QUEUE_PREFIX>`) and the limits (LIMITES_PADRAO). */
  conhecimento?: { prefixo?: string; limites?: Partial<LimitesConhecimento> };
  /** Mensagens: the optional e-mail notice to the citizen (queued; default none). */
  avisos?: Avisos;
}

/**
 * Builds the Express app from its dependencies. Never listens, never opens or closes connections:
 * `server.ts` does that, and tests mount the app in-process.
 */
export function createApp(deps: AppDeps): Express {
  const { config, dataSource, sync, verificarToken, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  const limitador = criarLimitador(sync.redis, deps.conhecimento?.prefixo ?? config.queuePrefix, { ...LIMITES_PADRAO, ...deps.conhecimento?.limites });

  app.use(criarHttpLogger(logger));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // Unauthenticated: probes, and the Keycloak events (HMAC over the raw body, parsed by their own router).
  app.use(
    rotasHealth({
      verificacoes: deps.verificacoesProntidao ?? [verificacaoPostgres(dataSource), verificacaoRedis(sync.redis), verificacaoKeycloak(config)],
      timeoutMs: deps.timeoutProntidaoMs,
    }),
  );
  app.use(rotasEventosKeycloak({ config, dataSource, fila: sync.fila, logger }));
  // Public open data: the published CMBD (CSV, JSON-LD) and its page.
  app.use(rotasCmbdPublicas({ dataSource }));
  // Public: the OpenAPI 3.1 document and its docs page.
  app.use(rotasOpenApi());

  // Sala de Espera, citizen side (issue 13): authenticated by the signed reference Keycloak's authenticator issues.
  const sala = {
    dataSource, fila: sync.fila, logger, segredo: config.lumEventsHmacSecret, dirDocumentos: config.salaDocumentosDir, bodyLimit: config.bodyLimit,
    urlRealm: keycloakIssuer(config),
  };
  app.use(rotasSalaCidadao(sala));

  // Everything below needs a bearer token (checked before the body is read); /me needs the cidadao role, the
  // steward routes a steward role.
  app.use(autenticar(verificarToken));
  // CMBD: its own role checks (cmbd-cgm, cmbd-ponto-focal + cmbd-orgao-<sigla>), not the steward gate.
  app.use('/cmbd', rotasCmbd({ dataSource, bodyLimit: config.bodyLimit }));
  // Citizen self-service: role cidadao, their own record only (no path parameter), before the steward gate.
  app.use('/me', exigirPapel(PAPEL_CIDADAO), ...corpoJson(config.bodyLimit), rotasMe({ dataSource, fila: sync.fila, logger, limitador }), rotasAcessos({ dataSource }),
    rotasConversasCidadao({ dataSource }));
  // Level 4: the Descomplica points' service account records biometric captures (its client and role only).
  app.use('/biometria', exigirClienteBiometria());
  app.use(rotasBiometria({ dataSource, fila: sync.fila, logger }));
  // Stewards: any organ's steward role (auth/papeis.ts), and an organ × client that the sharing rules let read something.
  app.use(exigirAlgumPapel(PAPEIS_GESTOR, 'Acesso restrito a gestores do cadastro (papéis gestor-<órgão> ou admin-cadastro)'), exigirVisaoDeGestor());
  app.use(corpoJson(config.bodyLimit));
  app.use(rotasSalaFila(sala));
  app.use(rotasConversasOrgao({ dataSource, avisos: deps.avisos ?? semAvisos, logger }));
  app.use(rotasCompartilhamento());
  app.use(rotasPessoas({ dataSource, fila: sync.fila, logger }));
  // The central team only: the review queue (full before/after values of any field), companies (no sharing rules
  // for them yet, and they list responsible persons' CPFs: default deny) and the accounts with the in-person link
  // that raises the level — an organ steward would otherwise see fields outside their sharing rule.
  const soCentral = exigirAlgumPapel([PAPEL_GESTOR_CADASTRO, PAPEL_ADMIN_CADASTRO], 'Acesso restrito aos gestores centrais do cadastro (gestor-cadastro, admin-cadastro)');
  app.use('/pessoas-juridicas', soCentral);
  app.use(rotasPessoasJuridicas({ dataSource, fila: sync.fila, logger }));
  app.use('/revisoes', soCentral);
  app.use(rotasRevisoes({ dataSource, fila: sync.fila, logger }, deps.avisos ?? semAvisos));
  app.use('/contas', soCentral);
  app.use(rotasContas({ dataSource, fila: sync.fila, logger }));
  // Batch load (issue 11): loads, their diagnosis, the linkage review and the merge/split of golden ids.
  for (const prefixo of ['/cargas', '/revisoes-vinculo', '/identidades']) app.use(prefixo, soCentral);
  app.use(rotasCarga({ dataSource, config, fila: deps.cargas?.fila, dirFontes: deps.cargas?.dirFontes }));

  app.use(rotaNaoEncontrada);
  app.use(errorHandler(logger, config.bodyLimit));
  return app;
}
