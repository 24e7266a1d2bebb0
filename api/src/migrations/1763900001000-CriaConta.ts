import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CriaConta1763900001000 implements MigrationInterface {
  name = 'CriaConta1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conta (
        keycloak_user_id          uuid        PRIMARY KEY,
        username                  text        NULL,
        cpf_declarado             char(11)    NULL CHECK (cpf_declarado ~ '^[0-9]{11}$'),
        pessoa_cpf                char(11)    NULL REFERENCES pessoa (cpf),
        nivel_confianca           smallint    NOT NULL DEFAULT 1 CHECK (nivel_confianca BETWEEN 1 AND 5),
        nivel_versao              integer     NOT NULL DEFAULT 0,
        nivel_sincronizado_versao integer     NULL,
        situacao                  text        NOT NULL DEFAULT 'ativa' CHECK (situacao IN ('ativa', 'excluida')),
        criado_em                 timestamptz NOT NULL DEFAULT now(),
        atualizado_em             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX conta_cpf_declarado_idx ON conta (cpf_declarado)`);
    await q.query(`CREATE INDEX conta_pessoa_cpf_idx ON conta (pessoa_cpf)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE conta`);
  }
}
