import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mensagens (issue 14, item 6): threads between a citizen's account and one organ's staff.
 *
 * - `conversa`: one thread — the account that opened it, the organ it is addressed to (auth/papeis.ts ORGAOS), the
 *   subject, and the read marker of each side as a message number (`lida_cidadao_ate`, `lida_orgao_ate`): a message is
 *   unread for a side while its `numero` is above that side's marker, so read state never depends on a clock.
 * - `mensagem`: the messages of a thread, numbered 1, 2, … within it; `autor` says which side wrote it and, for staff,
 *   `papel` is the steward role it was written under — the servant's username is only in the audit row.
 * - `aviso_email`: the citizen's choice of an e-mail notice (issue 14, e-mail notice through Keycloak); no row = off.
 *
 * New tables only: nothing here touches a large existing table.
 */
export class ConversasCidadao1765800000000 implements MigrationInterface {
  name = 'ConversasCidadao1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversa (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        conta_id          uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        orgao             text        NOT NULL CHECK (orgao IN ('cadastro', 'saude', 'fazenda', 'educacao', 'smads')),
        assunto           text        NOT NULL CHECK (char_length(assunto) BETWEEN 3 AND 120),
        criada_em         timestamptz NOT NULL,
        atualizada_em     timestamptz NOT NULL,
        mensagens         integer     NOT NULL DEFAULT 0 CHECK (mensagens >= 0),
        lida_cidadao_ate  integer     NOT NULL DEFAULT 0,
        lida_orgao_ate    integer     NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX conversa_conta_idx ON conversa (conta_id, atualizada_em DESC)`);
    await q.query(`CREATE INDEX conversa_orgao_idx ON conversa (orgao, atualizada_em DESC)`);
    await q.query(`
      CREATE TABLE mensagem (
        conversa_id  uuid        NOT NULL REFERENCES conversa (id),
        numero       integer     NOT NULL CHECK (numero >= 1),
        autor        text        NOT NULL CHECK (autor IN ('cidadao', 'orgao')),
        papel        text        NULL,
        texto        text        NOT NULL CHECK (char_length(texto) BETWEEN 1 AND 4000),
        enviada_em   timestamptz NOT NULL,
        PRIMARY KEY (conversa_id, numero),
        CHECK ((autor = 'orgao') = (papel IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE aviso_email (
        conta_id     uuid        PRIMARY KEY REFERENCES conta (keycloak_user_id),
        ativo        boolean     NOT NULL,
        alterado_em  timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aviso_email`);
    await q.query(`DROP TABLE mensagem`);
    await q.query(`DROP TABLE conversa`);
  }
}
