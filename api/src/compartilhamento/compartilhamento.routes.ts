import { Router, type RequestHandler } from 'express';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { Proibido } from '../errors/proibido.error.js';
import { visaoDoGestor } from './filtrar.js';
import { REGRAS } from './regras.js';

/**
 * After the steward role gate: a steward whose organ(s) and client together may read no field at all is refused
 * here (default deny), before any route reads data.
 */
export function exigirVisaoDeGestor(): RequestHandler {
  return (req, _res, next) => {
    const p = principalDe(req);
    if (visaoDoGestor(p).campos.length === 0) {
      throw new Proibido(
        `Nenhum dado do cadastro base é compartilhado com ${p.orgaos.length ? `o órgão ${p.orgaos.join(', ')}` : 'este usuário'} pelo cliente ${p.clientId ?? '(desconhecido)'} (regras de compartilhamento)`,
      );
    }
    next();
  };
}

/** Steward routes: the sharing rules themselves, and the caller's own view. */
export function rotasCompartilhamento(): Router {
  const router = Router();
  router.get('/compartilhamento/regras', (_req, res) => {
    res.json(REGRAS);
  });
  router.get('/compartilhamento/minha-visao', (req, res) => {
    const p = principalDe(req);
    res.json({ orgaos: p.orgaos, cliente: p.clientId, ...visaoDoGestor(p) });
  });
  return router;
}
