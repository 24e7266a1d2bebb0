import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Quem acessou meus dados" (issue 14): the citizen's page lists the reads of their record by organs and applications,
 * newest first. A partial index holds exactly those rows (reads of a person's data that are not the citizen's own
 * self-service reads), ordered as the page shows them, so a page is one index range scan however many other audit rows
 * the person or the table has. The predicate is repeated verbatim in `portal/acessos.service.ts` (the planner uses
 * a partial index only when the query's WHERE implies it).
 */
export class AcessosDoCidadao1765500000000 implements MigrationInterface {
  name = 'AcessosDoCidadao1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS auditoria_acessos_cidadao_idx ON auditoria (pessoa_cpf, em DESC, id DESC)
      WHERE acao IN ('pessoa.lida', 'pessoa.historico-lido', 'conta.lida', 'identidade.lida')
        AND (finalidade IS NULL OR finalidade <> 'autoatendimento-cidadao')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS auditoria_acessos_cidadao_idx`);
  }
}
