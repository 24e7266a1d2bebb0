import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The linkage model a load estimated (issue 11): `particionando` (adoption) and `vinculando` read the same inputs, so
 * the model is estimated once per load, stored here in the transaction of the phase that estimated it, and read back
 * by the next one (also after a resume). Kept after the load: the weights behind its decisions' scores.
 */
export class CargaModeloVinculo1766000000000 implements MigrationInterface {
  name = 'CargaModeloVinculo1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE carga ADD COLUMN modelo_vinculo jsonb NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE carga DROP COLUMN modelo_vinculo`);
  }
}
