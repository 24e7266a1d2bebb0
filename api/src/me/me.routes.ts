import { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { ehDryRun, etag, versaoDoIfMatch } from '../http/cadastro-http.js';
import { rotasConhecimento } from '../conhecimento/conhecimento.routes.js';
import type { Limitador } from '../conhecimento/limite.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { alterarMeusDados, lerMeusDados } from './me.service.js';

export interface DepsMe {
  dataSource: DataSource;
  fila: FilaSyncNivel;
  logger: Logger;
  /** Rate limit of the knowledge check. */
  limitador: Limitador;
}

/**
 * Citizen self-service, mounted at `/me` (role `cidadao`, BEFORE the steward gate). No path parameter at all: the record is
 * always the caller's own, found from the token's `sub`. Writes go through Entrada Única as actor `cidadao`, so
 * PMCC decides field by field (e.g. nome social and contacts accepted; nome civil only as a request → review).
 */
export function rotasMe({ dataSource, fila, logger, limitador }: DepsMe): Router {
  const router = Router();
  // The knowledge check that ties the account to its record (issue 12).
  router.use(rotasConhecimento({ dataSource, fila, limitador, logger }));

  router.get('/', async (req, res) => {
    res.json(await lerMeusDados(dataSource, principalDe(req)));
  });

  router.patch('/pessoa', async (req, res) => {
    const dryRun = ehDryRun(req);
    const r = await alterarMeusDados({ dataSource, fila, logger: req.log ?? logger }, principalDe(req), req.body, { versaoEsperada: versaoDoIfMatch(req) ?? null, dryRun });
    if (!r.dryRun) res.setHeader('ETag', etag(r.versao));
    res.json(r);
  });

  return router;
}
