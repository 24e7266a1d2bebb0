import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CriaEventoKeycloak1763900003000 implements MigrationInterface {
  name = 'CriaEventoKeycloak1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evento_keycloak (
        id          text        PRIMARY KEY,
        tipo        text        NOT NULL,
        user_id     text        NULL,
        recebido_em timestamptz NOT NULL DEFAULT now(),
        payload     jsonb       NOT NULL
      )`);
    await q.query(`CREATE INDEX evento_keycloak_user_id_idx ON evento_keycloak (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evento_keycloak`);
  }
}
