import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `evidencia.pessoa_cpf` is the CPF the evidence vouches for, which need not have a master record yet: a Gov.br
 * sign-in asserts a CPF (level 2) whether or not the city knows the person, and the same evidence gives level 3 once a
 * record with that CPF exists. So the column no longer references `pessoa`.
 */
export class EvidenciaCpfAfirmado1765300000000 implements MigrationInterface {
  name = 'EvidenciaCpfAfirmado1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evidencia DROP CONSTRAINT IF EXISTS evidencia_pessoa_cpf_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evidencia ADD CONSTRAINT evidencia_pessoa_cpf_fkey FOREIGN KEY (pessoa_cpf) REFERENCES pessoa (cpf) NOT VALID`);
  }
}
