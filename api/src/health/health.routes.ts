import { Router } from 'express';
import { verificarProntidao, type VerificacaoProntidao } from './verificacoes.js';

/** Unauthenticated probes. `live`: the process answers. `ready`: PostgreSQL, Redis and Keycloak answer. */
export function rotasHealth({ verificacoes, timeoutMs }: { verificacoes: readonly VerificacaoProntidao[]; timeoutMs?: number }): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'UP' });
  });
  router.get('/health/ready', async (req, res) => {
    const resultado = await verificarProntidao(verificacoes, timeoutMs);
    if (resultado.status !== 'UP') req.log?.warn({ checks: resultado.checks }, 'não pronto');
    res.status(resultado.status === 'UP' ? 200 : 503).json(resultado);
  });
  return router;
}
