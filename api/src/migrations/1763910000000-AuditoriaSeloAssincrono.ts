import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is sealed asynchronously (see `auditoria/cadeia.ts`): a request only INSERTs its audit row, in its
 * own transaction; the sealer later links committed rows into the chain in `selo` order. Rows already chained
 * keep their hashes, with `selo = id`. The append-only trigger now admits exactly one kind of UPDATE: sealing a row
 * that has no seal yet, leaving every content column as it was.
 */
export class AuditoriaSeloAssincrono1763910000000 implements MigrationInterface {
  name = 'AuditoriaSeloAssincrono1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auditoria ADD COLUMN selo bigint NULL`);
    await q.query(`ALTER TABLE auditoria DISABLE TRIGGER auditoria_somente_insercao_linha`);
    await q.query(`UPDATE auditoria SET selo = id`);
    await q.query(`ALTER TABLE auditoria ENABLE TRIGGER auditoria_somente_insercao_linha`);
    await q.query(`ALTER TABLE auditoria ALTER COLUMN hash_anterior DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX auditoria_selo_uq ON auditoria (selo)`);
    await q.query(`CREATE INDEX auditoria_nao_selada_idx ON auditoria (id) WHERE selo IS NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION auditoria_somente_insercao() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.selo IS NULL AND NEW.selo IS NOT NULL
           AND NEW.hash IS NOT NULL AND NEW.hash_anterior IS NOT NULL
           AND NEW.id = OLD.id AND NEW.em = OLD.em AND NEW.ator = OLD.ator AND NEW.acao = OLD.acao
           AND NEW.pessoa_cpf IS NOT DISTINCT FROM OLD.pessoa_cpf AND NEW.campos = OLD.campos
           AND NEW.cliente IS NOT DISTINCT FROM OLD.cliente AND NEW.finalidade IS NOT DISTINCT FROM OLD.finalidade
           AND NEW.detalhe = OLD.detalhe THEN
          RETURN NEW; -- the sealer linking a row into the chain
        END IF;
        RAISE EXCEPTION 'auditoria é somente inserção (% recusado)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION auditoria_somente_insercao() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'auditoria é somente inserção (% recusado)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`DROP INDEX auditoria_nao_selada_idx`);
    await q.query(`DROP INDEX auditoria_selo_uq`);
    await q.query(`ALTER TABLE auditoria DROP COLUMN selo`);
  }
}
