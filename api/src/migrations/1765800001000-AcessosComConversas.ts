import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Quem acessou meus dados" also lists a steward's read of one of the citizen's threads with the city (`conversa.lida`,
 * issue 14 Mensagens). The page's partial index (migration 1765500000000) names the listed actions in its predicate,
 * so the index is rebuilt with the new action: a new index `auditoria_acessos_cidadao_v2_idx` (same columns, predicate
 * plus `conversa.lida`), then the old one dropped. `auditoria` is the whole product's audit table: both statements run
 * CONCURRENTLY (no lock that blocks the INSERTs of live traffic), hence outside a transaction (`transaction = false`).
 * If the build is interrupted, PostgreSQL leaves an INVALID index: the `up` drops an invalid leftover before building.
 */
export class AcessosComConversas1765800001000 implements MigrationInterface {
  name = 'AcessosComConversas1765800001000';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    const invalido = await q.query(`SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = 'auditoria_acessos_cidadao_v2_idx' AND NOT i.indisvalid`) as unknown[];
    if (invalido.length > 0) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS auditoria_acessos_cidadao_v2_idx`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS auditoria_acessos_cidadao_v2_idx ON auditoria (pessoa_cpf, em DESC, id DESC)
      WHERE acao IN ('pessoa.lida', 'pessoa.historico-lido', 'conta.lida', 'identidade.lida', 'conversa.lida')
        AND (finalidade IS NULL OR finalidade <> 'autoatendimento-cidadao')`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS auditoria_acessos_cidadao_idx`);
  }

  /** Revert with `undoLastMigration({ transaction: 'none' })`: TypeORM 1.1's undo ignores the per-migration flag and
   *  wraps the CONCURRENTLY statements in a transaction, which PostgreSQL refuses. The down/up round trip is tested
   *  in conversas-cidadao.int.test.ts. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS auditoria_acessos_cidadao_idx ON auditoria (pessoa_cpf, em DESC, id DESC)
      WHERE acao IN ('pessoa.lida', 'pessoa.historico-lido', 'conta.lida', 'identidade.lida')
        AND (finalidade IS NULL OR finalidade <> 'autoatendimento-cidadao')`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS auditoria_acessos_cidadao_v2_idx`);
  }
}
