/**
 * Test app for the CMBD: a cloned database and the real app (`createApp`, so the CMBD routes are mounted exactly as
 * in production) without a sync queue — CMBD tests never reach the routes that enqueue, and a use of the queue
 * fails loudly instead of passing silently. Tests that need the queue use `criarAppDeTeste` (app.ts).
 */
import type { Express } from 'express';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { createApp, type AppDeps } from '../../src/app.js';
import type { VerificadorToken } from '../../src/auth/verificador-token.js';
import { configDeTeste } from './app.js';

const semFila = (nome: string) =>
  new Proxy({}, { get: () => { throw new Error(`o app de teste do CMBD não tem ${nome}: use criarAppDeTeste (api/test/helpers/app.ts)`); } }) as never;
const SEM_SYNC: AppDeps['sync'] = { fila: semFila('fila de sincronização'), redis: semFila('Redis') };

export function montarAppCmbd(dataSource: DataSource, verificarToken: VerificadorToken): Express {
  return createApp({ config: configDeTeste(), dataSource, sync: SEM_SYNC, verificarToken, logger: pino({ level: 'silent' }), verificacoesProntidao: [] });
}

export async function criarAppCmbdDeTeste(verificarToken: VerificadorToken): Promise<{ app: Express; db: TestDatabase }> {
  const db = await createTestDatabase();
  return { app: montarAppCmbd(db.dataSource, verificarToken), db };
}
