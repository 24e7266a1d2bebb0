import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row may now carry the reason `lastro`: new evidence changed the summary Keycloak holds next to the level
 * (`lastro`) while the level itself did not change (api/src/confianca/confianca.service.ts).
 */
export class SaidaMotivoLastro1765350000000 implements MigrationInterface {
  name = 'SaidaMotivoLastro1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sincronizacao_saida DROP CONSTRAINT IF EXISTS sincronizacao_saida_motivo_check`);
    await q.query(`ALTER TABLE sincronizacao_saida ADD CONSTRAINT sincronizacao_saida_motivo_check
      CHECK (motivo IN ('nivel', 'lastro', 'conta-registrada', 'reconciliacao', 'reenvio'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE sincronizacao_saida SET motivo = 'nivel' WHERE motivo = 'lastro'`);
    await q.query(`ALTER TABLE sincronizacao_saida DROP CONSTRAINT sincronizacao_saida_motivo_check`);
    await q.query(`ALTER TABLE sincronizacao_saida ADD CONSTRAINT sincronizacao_saida_motivo_check
      CHECK (motivo IN ('nivel', 'conta-registrada', 'reconciliacao', 'reenvio'))`);
  }
}
