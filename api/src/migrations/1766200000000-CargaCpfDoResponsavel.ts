import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a load's source may register a minor under the CPF of the mother, father or guardian (issue 11; the
 * mapping's `cpfDoResponsavel`), kept with the load: `particionar` (step 5) trusts a CPF to be the person's own only
 * in rows of loads whose source does not. Loads recorded before this column get false (their mapping did not say):
 * their rows are trusted as the persons' own CPFs, as every loaded row was before.
 */
export class CargaCpfDoResponsavel1766200000000 implements MigrationInterface {
  name = 'CargaCpfDoResponsavel1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE carga ADD COLUMN cpf_do_responsavel boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE carga DROP COLUMN cpf_do_responsavel`);
  }
}
