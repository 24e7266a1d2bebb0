import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Knowledge check (issue 12): the checks and the per-account seed, failure count and lock. */
export class VerificacaoConhecimento1765100000000 implements MigrationInterface {
  name = 'VerificacaoConhecimento1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conhecimento_conta (
        conta_id      uuid        PRIMARY KEY REFERENCES conta (keycloak_user_id),
        semente       text        NOT NULL,
        falhas        integer     NOT NULL DEFAULT 0 CHECK (falhas >= 0),
        bloqueada_ate timestamptz NULL
      )`);
    await q.query(`
      CREATE TABLE verificacao_conhecimento (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        conta_id      uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        pessoa_cpf    char(11)    NOT NULL REFERENCES pessoa (cpf),
        perguntas     jsonb       NOT NULL,
        gabarito      jsonb       NOT NULL,
        situacao      text        NOT NULL DEFAULT 'aberta' CHECK (situacao IN ('aberta', 'aprovada', 'reprovada', 'substituida')),
        criada_em     timestamptz NOT NULL,
        expira_em     timestamptz NOT NULL,
        respondida_em timestamptz NULL
      )`);
    await q.query(`CREATE INDEX verificacao_conhecimento_conta_idx ON verificacao_conhecimento (conta_id, criada_em)`);
    await q.query(`CREATE UNIQUE INDEX verificacao_conhecimento_uma_aberta ON verificacao_conhecimento (conta_id) WHERE situacao = 'aberta'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE verificacao_conhecimento`);
    await q.query(`DROP TABLE conhecimento_conta`);
  }
}
