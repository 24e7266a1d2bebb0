import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, "nothing lost between Keycloak and the API":
 *
 * - `sincronizacao_saida` — the transactional outbox: one row per change Keycloak must receive, inserted in the
 *   transaction that changed the level (or created the account). The relay (worker) hands pending rows to BullMQ;
 *   a row stays `pendente` until the sync worker has written Keycloak and marked it `concluida` (so a Redis that
 *   loses its jobs loses nothing: the relay sends the row again). `falhou` = its job exhausted its retries (see
 *   `sincronizacao_falha`).
 * - `sincronizacao_falha` — the dead-letter table: one row per outbox row whose job exhausted its retries, with the
 *   last error; `npm run sync:reenviar` replays it as a new outbox row (`reenviada_em`, `reenvio_saida_id`).
 * - `reconciliacao` — one row per reconciliation run (Keycloak levels vs the master record): counts and repairs.
 * - `keycloak_eventos_cursor` — how far the recovery of Keycloak's stored events has read (per kind of event).
 * - `conta.desativada_por_obito` — the worker disabled the Keycloak account because of a death record (a steward's
 *   correction re-enables only accounts disabled for that reason); `conta.desativada_no_keycloak` — an operator
 *   disabled the user in Keycloak (admin event).
 */
export class SincronizacaoConfiavel1765200000000 implements MigrationInterface {
  name = 'SincronizacaoConfiavel1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sincronizacao_saida (
        id             bigserial   PRIMARY KEY,
        conta_id       uuid        NOT NULL REFERENCES conta (keycloak_user_id),
        versao         integer     NOT NULL,
        motivo         text        NOT NULL CHECK (motivo IN ('nivel', 'conta-registrada', 'reconciliacao', 'reenvio')),
        situacao       text        NOT NULL DEFAULT 'pendente' CHECK (situacao IN ('pendente', 'concluida', 'falhou')),
        criado_em      timestamptz NOT NULL DEFAULT clock_timestamp(),
        enfileirado_em timestamptz,
        envios         integer     NOT NULL DEFAULT 0,
        concluido_em   timestamptz,
        resultado      text
      )`);
    await q.query(`CREATE INDEX sincronizacao_saida_pendente ON sincronizacao_saida (id) WHERE situacao = 'pendente'`);
    await q.query(`CREATE INDEX sincronizacao_saida_conta ON sincronizacao_saida (conta_id, id)`);
    await q.query(`
      CREATE TABLE sincronizacao_falha (
        id               bigserial   PRIMARY KEY,
        saida_id         bigint      NOT NULL UNIQUE REFERENCES sincronizacao_saida (id),
        conta_id         uuid        NOT NULL,
        erro             text        NOT NULL,
        tentativas       integer     NOT NULL,
        falhou_em        timestamptz NOT NULL DEFAULT clock_timestamp(),
        reenviada_em     timestamptz,
        reenviada_por    text,
        reenvio_saida_id bigint      REFERENCES sincronizacao_saida (id)
      )`);
    await q.query(`
      CREATE TABLE reconciliacao (
        id                 bigserial   PRIMARY KEY,
        origem             text        NOT NULL,
        iniciada_em        timestamptz NOT NULL,
        terminada_em       timestamptz NOT NULL,
        contas_verificadas integer     NOT NULL,
        reparos            jsonb       NOT NULL
      )`);
    await q.query(`CREATE TABLE keycloak_eventos_cursor (fonte text PRIMARY KEY, ate_ms bigint NOT NULL)`);
    await q.query(`ALTER TABLE conta ADD COLUMN desativada_por_obito boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE conta ADD COLUMN desativada_no_keycloak boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conta DROP COLUMN desativada_no_keycloak`);
    await q.query(`ALTER TABLE conta DROP COLUMN desativada_por_obito`);
    await q.query(`DROP TABLE keycloak_eventos_cursor`);
    await q.query(`DROP TABLE reconciliacao`);
    await q.query(`DROP TABLE sincronizacao_falha`);
    await q.query(`DROP TABLE sincronizacao_saida`);
  }
}
