import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CriaAuditoria1763900004000 implements MigrationInterface {
  name = 'CriaAuditoria1763900004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auditoria (
        id         bigserial   PRIMARY KEY,
        em         timestamptz NOT NULL DEFAULT now(),
        ator       text        NOT NULL,
        acao       text        NOT NULL,
        pessoa_cpf char(11)    NULL,
        campos     text[]      NOT NULL DEFAULT '{}',
        cliente    text        NULL,
        finalidade text        NULL,
        detalhe    jsonb       NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX auditoria_pessoa_cpf_em_idx ON auditoria (pessoa_cpf, em)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auditoria`);
  }
}
