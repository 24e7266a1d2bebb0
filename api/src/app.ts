import 'reflect-metadata';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { autenticar, exigirPapel } from './auth/autenticacao.middleware.js';
import { PAPEL_GESTOR_CADASTRO } from './auth/principal.js';
import type { VerificadorToken } from './auth/verificador-token.js';
import type { Config } from './config.js';
import { rotasCmbd } from './cmbd/cmbd.routes.js';
import { rotasCmbdPublicas } from './cmbd/publico.routes.js';
import { rotasContas } from './contas/contas.routes.js';
import { errorHandler, rotaNaoEncontrada } from './errors/error-handler.js';
import { rotasEventosKeycloak } from './eventos-keycloak/eventos-keycloak.routes.js';
import { rotasHealth } from './health/health.routes.js';
import { verificacaoKeycloak, verificacaoPostgres, verificacaoRedis, type VerificacaoProntidao } from './health/verificacoes.js';
import type { FilaSyncNivel } from './keycloak-sync/fila.js';
import { criarHttpLogger } from './logger.js';
import { rotasRevisoes } from './entrada-unica/revisoes.routes.js';
import { rotasPessoasJuridicas } from './pessoas/pessoas-juridicas.routes.js';
import { rotasPessoas } from './pessoas/pessoas.routes.js';

export interface AppDeps {
  config: Config;
  /** Initialised DataSource (the app never initialises or destroys it). */
  dataSource: DataSource;
  /** Producer side of the Keycloak sync queue (see `criarProdutorSync`). */
  sync: { fila: FilaSyncNivel; redis: Redis };
  /** Bearer-token verifier: `criarVerificadorKeycloak(config)` in production, a local JWKS in tests. */
  verificarToken: VerificadorToken;
  logger: Logger;
  /** Override the readiness checks (default: PostgreSQL, Redis, Keycloak). */
  verificacoesProntidao?: readonly VerificacaoProntidao[];
  /** Per-check timeout for /health/ready (default 2000 ms). */
  timeoutProntidaoMs?: number;
}

/**
 * Builds the Express app from its dependencies. Never listens, never opens or closes connections:
 * `server.ts` does that, and tests mount the app in-process.
 */
export function createApp(deps: AppDeps): Express {
  const { config, dataSource, sync, verificarToken, logger } = deps;
  const app = express();
  app.disable('x-powered-by');

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

  // Everything below needs a bearer token (checked before the body is read); the steward routes need the
  // gestor-cadastro role.
  app.use(autenticar(verificarToken));
  // CMBD: its own role checks (cmbd-cgm, cmbd-ponto-focal + cmbd-orgao-<sigla>), not the steward gate.
  app.use('/cmbd', rotasCmbd({ dataSource, bodyLimit: config.bodyLimit }));
  app.use(exigirPapel(PAPEL_GESTOR_CADASTRO));
  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  app.use(rotasPessoas({ dataSource, fila: sync.fila, logger }));
  app.use(rotasPessoasJuridicas({ dataSource, fila: sync.fila, logger }));
  app.use(rotasRevisoes({ dataSource, fila: sync.fila, logger }));
  app.use(rotasContas({ dataSource, fila: sync.fila, logger }));

  app.use(rotaNaoEncontrada);
  app.use(errorHandler(logger, config.bodyLimit));
  return app;
}
