/**
 * Test app for the CMBD: a cloned database and ONLY the CMBD routers, mounted exactly as `app.ts` mounts them
 * (public routes, then `autenticar`, then `/cmbd`), so CMBD tests do not depend on the other capabilities.
 */
import express, { type Express } from 'express';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { autenticar } from '../../src/auth/autenticacao.middleware.js';
import type { VerificadorToken } from '../../src/auth/verificador-token.js';
import { errorHandler, rotaNaoEncontrada } from '../../src/errors/error-handler.js';
import { rotasCmbd } from '../../src/cmbd/cmbd.routes.js';
import { rotasCmbdPublicas } from '../../src/cmbd/publico.routes.js';

export function montarAppCmbd(dataSource: DataSource, verificarToken: VerificadorToken): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(rotasCmbdPublicas({ dataSource }));
  app.use(autenticar(verificarToken));
  app.use('/cmbd', rotasCmbd({ dataSource, bodyLimit: '100kb' }));
  app.use(rotaNaoEncontrada);
  app.use(errorHandler(pino({ level: 'silent' }), '100kb'));
  return app;
}

export async function criarAppCmbdDeTeste(verificarToken: VerificadorToken): Promise<{ app: Express; db: TestDatabase }> {
  const db = await createTestDatabase();
  return { app: montarAppCmbd(db.dataSource, verificarToken), db };
}
