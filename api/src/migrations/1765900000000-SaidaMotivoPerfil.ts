import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox reason `perfil` (issue 14, item 2): the name or e-mail of the master record a Keycloak account is tied to
 * changed — or the citizen edited them in Keycloak — and the worker writes the record's values to the user.
 */
export class SaidaMotivoPerfil1765900000000 implements MigrationInterface {
  name = 'SaidaMotivoPerfil1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sincronizacao_saida DROP CONSTRAINT IF EXISTS sincronizacao_saida_motivo_check`);
    await q.query(`ALTER TABLE sincronizacao_saida ADD CONSTRAINT sincronizacao_saida_motivo_check
      CHECK (motivo IN ('nivel', 'lastro', 'conta-registrada', 'reconciliacao', 'reenvio', 'dados-complementares', 'perfil'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sincronizacao_saida WHERE motivo = 'perfil'`);
    await q.query(`ALTER TABLE sincronizacao_saida DROP CONSTRAINT IF EXISTS sincronizacao_saida_motivo_check`);
    await q.query(`ALTER TABLE sincronizacao_saida ADD CONSTRAINT sincronizacao_saida_motivo_check
      CHECK (motivo IN ('nivel', 'lastro', 'conta-registrada', 'reconciliacao', 'reenvio', 'dados-complementares'))`);
  }
}
