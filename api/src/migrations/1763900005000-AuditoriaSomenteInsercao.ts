import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail is append-only: UPDATE, DELETE and TRUNCATE on `auditoria` raise an error. */
export class AuditoriaSomenteInsercao1763900005000 implements MigrationInterface {
  name = 'AuditoriaSomenteInsercao1763900005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auditoria_somente_insercao() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'auditoria é somente inserção (% recusado)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER auditoria_somente_insercao_linha BEFORE UPDATE OR DELETE ON auditoria
      FOR EACH ROW EXECUTE FUNCTION auditoria_somente_insercao()`);
    await q.query(`
      CREATE TRIGGER auditoria_somente_insercao_truncate BEFORE TRUNCATE ON auditoria
      FOR EACH STATEMENT EXECUTE FUNCTION auditoria_somente_insercao()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER auditoria_somente_insercao_truncate ON auditoria`);
    await q.query(`DROP TRIGGER auditoria_somente_insercao_linha ON auditoria`);
    await q.query(`DROP FUNCTION auditoria_somente_insercao()`);
  }
}
