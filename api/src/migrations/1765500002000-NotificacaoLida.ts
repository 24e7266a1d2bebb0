import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read state of the citizen's notifications in the Área do Cidadão (issue 14, Mensagens — notifications only): one
 * row per account and notification key (`revisao:<id>`, `evidencia:<id>`) once read.
 */
export class NotificacaoLida1765500002000 implements MigrationInterface {
  name = 'NotificacaoLida1765500002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notificacao_lida (
        conta_id text        NOT NULL,
        chave    text        NOT NULL,
        lida_em  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (conta_id, chave)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notificacao_lida`);
  }
}
