import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CriaPessoa1763900000000 implements MigrationInterface {
  name = 'CriaPessoa1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pessoa (
        cpf             char(11)    PRIMARY KEY CHECK (cpf ~ '^[0-9]{11}$'),
        nome            text        NOT NULL CHECK (btrim(nome) <> ''),
        data_nascimento date        NOT NULL,
        obito           boolean     NOT NULL DEFAULT false,
        situacao        text        NOT NULL DEFAULT 'ativa' CHECK (situacao IN ('ativa', 'inativa')),
        versao          integer     NOT NULL DEFAULT 1,
        criado_em       timestamptz NOT NULL DEFAULT now(),
        atualizado_em   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pessoa`);
  }
}
