import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The person's consent history (issue 14, Aplicações Permitidas): each revocation the citizen makes in the Área do
 * Cidadão (the Keycloak grant removed through the admin API), with the account, the tied record's CPF when there is
 * one, the application and when. Append-only, like the audit trail.
 */
export class HistoricoConsentimento1765500001000 implements MigrationInterface {
  name = 'HistoricoConsentimento1765500001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE historico_consentimento (
        id         bigserial PRIMARY KEY,
        conta_id   text        NOT NULL,
        pessoa_cpf char(11)    NULL,
        cliente    text        NOT NULL,
        acao       text        NOT NULL CHECK (acao IN ('revogado')),
        escopos    text[]      NOT NULL DEFAULT '{}',
        origem     text        NOT NULL,
        em         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX historico_consentimento_conta_idx ON historico_consentimento (conta_id, em DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE historico_consentimento`);
  }
}
