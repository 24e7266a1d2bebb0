import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sala de Espera (issue 13): the pending requests of accounts that do not yet meet what a client requires
 * (`pedido_sala`), the documents citizens upload to them (`documento_sala`: metadata only — the bytes live in files
 * outside the database, see api/src/sala-espera/armazenamento.ts), and the outbox reason of a change of the
 * complementary data Keycloak must receive without a level change.
 */
export class SalaDeEspera1765400000000 implements MigrationInterface {
  name = 'SalaDeEspera1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pedido_sala (
        id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        conta_id         uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        cpf              char(11)    NOT NULL,
        cliente          text        NOT NULL,
        nome_cliente     text        NOT NULL,
        orgao            text        NOT NULL,
        nivel_exigido    smallint    NOT NULL CHECK (nivel_exigido BETWEEN 1 AND 5),
        dados_exigidos   text[]      NOT NULL DEFAULT '{}',
        situacao         text        NOT NULL DEFAULT 'aguardando-cidadao'
                         CHECK (situacao IN ('aguardando-cidadao', 'em-analise', 'complementacao-solicitada', 'aprovado', 'recusado')),
        dados_informados jsonb       NOT NULL DEFAULT '{}'::jsonb,
        responsavel      text,
        motivo           text,
        evidencia        jsonb,
        criado_em        timestamptz NOT NULL DEFAULT now(),
        atualizado_em    timestamptz NOT NULL DEFAULT now()
      )`);
    // one open request per account and client; closed ones stay as history
    await q.query(`CREATE UNIQUE INDEX pedido_sala_aberto ON pedido_sala (conta_id, cliente) WHERE situacao NOT IN ('aprovado', 'recusado')`);
    await q.query(`CREATE INDEX pedido_sala_fila ON pedido_sala (orgao, situacao, criado_em)`);
    await q.query(`
      CREATE TABLE documento_sala (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        pedido_id     uuid        NOT NULL REFERENCES pedido_sala (id),
        tipo_mime     text        NOT NULL,
        tamanho       integer     NOT NULL CHECK (tamanho > 0),
        sha256        char(64)    NOT NULL,
        nome_original text        NOT NULL,
        arquivo       text        NOT NULL UNIQUE,
        enviado_em    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX documento_sala_pedido ON documento_sala (pedido_id)`);
    await q.query(`ALTER TABLE sincronizacao_saida DROP CONSTRAINT IF EXISTS sincronizacao_saida_motivo_check`);
    await q.query(`ALTER TABLE sincronizacao_saida ADD CONSTRAINT sincronizacao_saida_motivo_check
      CHECK (motivo IN ('nivel', 'lastro', 'conta-registrada', 'reconciliacao', 'reenvio', 'dados-complementares'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sincronizacao_saida WHERE motivo = 'dados-complementares'`);
    await q.query(`ALTER TABLE sincronizacao_saida DROP CONSTRAINT IF EXISTS sincronizacao_saida_motivo_check`);
    await q.query(`ALTER TABLE sincronizacao_saida ADD CONSTRAINT sincronizacao_saida_motivo_check CHECK (motivo IN ('nivel', 'lastro', 'conta-registrada', 'reconciliacao', 'reenvio'))`);
    await q.query(`DROP TABLE documento_sala`);
    await q.query(`DROP TABLE pedido_sala`);
  }
}
