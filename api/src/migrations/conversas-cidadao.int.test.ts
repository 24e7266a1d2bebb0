/**
 * Migrations 1765800000000 (threads) and 1765800001000 (the access page's index with `conversa.lida`, built
 * CONCURRENTLY outside a transaction): they revert and apply again on a cloned database — the index one reverted with
 * `transaction: 'none'`, as its `down` says — and the index is valid and named as the service expects.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const indices = async () => (await db.dataSource.query<{ nome: string; valido: boolean }[]>(
  `SELECT c.relname AS nome, i.indisvalid AS valido FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname LIKE 'auditoria_acessos_cidadao%' ORDER BY 1`));

/** Reverts the migrations applied after the two of this test (in a transaction each), newest first. */
async function desfazerPosteriores(): Promise<string[]> {
  const desfeitas: string[] = [];
  for (;;) {
    const [ultima] = await db.dataSource.query<{ name: string }[]>(`SELECT name FROM migracoes ORDER BY "timestamp" DESC LIMIT 1`);
    if (ultima.name === 'AcessosComConversas1765800001000') return desfeitas;
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    desfeitas.push(ultima.name);
  }
}

it('down (the index one without a transaction) then up again: the old index back, then the new one, valid', async () => {
  expect(await indices()).toEqual([{ nome: 'auditoria_acessos_cidadao_v2_idx', valido: true }]);
  const posteriores = await desfazerPosteriores();
  await db.dataSource.undoLastMigration({ transaction: 'none' });
  expect(await indices()).toEqual([{ nome: 'auditoria_acessos_cidadao_idx', valido: true }]);
  await db.dataSource.undoLastMigration({ transaction: 'each' });
  expect((await db.dataSource.query<{ c: string | null }[]>(`SELECT to_regclass('conversa')::text AS c`))[0].c).toBeNull();
  const aplicadas = await db.dataSource.runMigrations({ transaction: 'each' });
  expect(aplicadas.map((m) => m.name)).toEqual(['ConversasCidadao1765800000000', 'AcessosComConversas1765800001000', ...posteriores.reverse()]);
  expect(await indices()).toEqual([{ nome: 'auditoria_acessos_cidadao_v2_idx', valido: true }]);
});
