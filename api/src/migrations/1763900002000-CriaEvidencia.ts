import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CriaEvidencia1763900002000 implements MigrationInterface {
  name = 'CriaEvidencia1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidencia (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        conta_id       uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        tipo           text        NOT NULL,
        pessoa_cpf     char(11)    NULL REFERENCES pessoa (cpf),
        detalhe        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        registrado_por text        NOT NULL,
        registrado_em  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX evidencia_conta_id_idx ON evidencia (conta_id)`);
    await q.query(`CREATE INDEX evidencia_pessoa_cpf_idx ON evidencia (pessoa_cpf)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidencia`);
  }
}
