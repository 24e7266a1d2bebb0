import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catálogo Municipal de Bases de Dados (CMBD): organs, catalogue entries (one per database, every field of the
 * CGM manual), their version history, the semiannual campaigns (organs, focal points, reminders) and the
 * compiled publications. See docs/cmbd.md.
 */
export class CriaCmbd1763909000000 implements MigrationInterface {
  name = 'CriaCmbd1763909000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cmbd_orgao (
        sigla     text        PRIMARY KEY CHECK (sigla ~ '^[A-Z0-9][A-Z0-9/-]{0,29}$'),
        nome      text        NOT NULL,
        criado_em timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE cmbd_base (
        id                       uuid        PRIMARY KEY,
        sigla                    text        NOT NULL REFERENCES cmbd_orgao (sigla),
        secao_responsavel        text        NOT NULL,
        codigo_prodam            text        NOT NULL,
        titulo                   text        NOT NULL,
        categoria_tematica       text        NOT NULL,
        palavras_chave           text[]      NOT NULL CHECK (cardinality(palavras_chave) >= 3),
        resumo                   text        NOT NULL,
        historico                text        NOT NULL,
        serie_historica          text        NOT NULL,
        periodicidade            text        NOT NULL,
        procedencia              text        NOT NULL,
        extensao_geografica      text        NOT NULL,
        nivel_desagregacao       text        NOT NULL,
        situacao                 text        NOT NULL CHECK (situacao IN ('ATIVA', 'INATIVA')),
        inativa_desde            date        NULL,
        sigilo                   boolean     NOT NULL,
        sigilo_base_legal        text        NULL,
        formas_disponibilizacao  text[]      NOT NULL,
        endereco_acesso          text        NOT NULL,
        tipo_armazenamento       text        NOT NULL,
        sgbd                     text        NOT NULL,
        formato                  text        NOT NULL,
        extensao_arquivo         text        NOT NULL,
        ambiente_producao        text        NOT NULL,
        tipos_representacao      text[]      NOT NULL,
        escala                   text        NOT NULL,
        sistema_referencia       text        NOT NULL,
        base_cartografica        text        NOT NULL,
        possui_dados_pessoais    boolean     NOT NULL DEFAULT false,
        fonte_carga              text        NULL,
        situacao_migracao        text        NOT NULL DEFAULT 'nao-se-aplica',
        cronograma_migracao      date        NULL,
        transferida_para         text        NULL REFERENCES cmbd_orgao (sigla),
        transferida_de           uuid        NULL REFERENCES cmbd_base (id),
        revisada_na_campanha     text        NULL,
        versao                   integer     NOT NULL DEFAULT 1,
        criado_em                timestamptz NOT NULL DEFAULT now(),
        atualizado_em            timestamptz NOT NULL DEFAULT now(),
        CHECK ((situacao = 'INATIVA') = (inativa_desde IS NOT NULL)),
        CHECK (NOT sigilo OR sigilo_base_legal IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX cmbd_base_sigla_idx ON cmbd_base (sigla)`);
    await q.query(`
      CREATE TABLE cmbd_base_versao (
        id           bigserial   PRIMARY KEY,
        base_id      uuid        NOT NULL REFERENCES cmbd_base (id),
        versao       integer     NOT NULL,
        acao         text        NOT NULL,
        ator         text        NOT NULL,
        em           timestamptz NOT NULL DEFAULT now(),
        campanha     text        NULL,
        campos       text[]      NOT NULL DEFAULT '{}',
        dados        jsonb       NOT NULL,
        UNIQUE (base_id, versao)
      )`);
    await q.query(`
      CREATE TABLE cmbd_campanha (
        codigo        text        PRIMARY KEY CHECK (codigo ~ '^[0-9]{4}-[12]$'),
        situacao      text        NOT NULL CHECK (situacao IN ('ABERTA', 'ENCERRADA')),
        prazo         date        NOT NULL,
        aberta_em     timestamptz NOT NULL DEFAULT now(),
        aberta_por    text        NOT NULL,
        encerrada_em  timestamptz NULL,
        encerrada_por text        NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX cmbd_campanha_uma_aberta ON cmbd_campanha ((true)) WHERE situacao = 'ABERTA'`);
    await q.query(`
      CREATE TABLE cmbd_campanha_orgao (
        campanha      text        NOT NULL REFERENCES cmbd_campanha (codigo),
        sigla         text        NOT NULL REFERENCES cmbd_orgao (sigla),
        concluida_em  timestamptz NULL,
        concluida_por text        NULL,
        PRIMARY KEY (campanha, sigla)
      )`);
    await q.query(`
      CREATE TABLE cmbd_ponto_focal (
        id         bigserial   PRIMARY KEY,
        campanha   text        NOT NULL,
        sigla      text        NOT NULL,
        nome       text        NOT NULL,
        email      text        NOT NULL,
        username   text        NULL,
        criado_por text        NOT NULL,
        criado_em  timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (campanha, sigla) REFERENCES cmbd_campanha_orgao (campanha, sigla),
        UNIQUE (campanha, sigla, email)
      )`);
    await q.query(`
      CREATE TABLE cmbd_lembrete (
        id            bigserial   PRIMARY KEY,
        campanha      text        NOT NULL,
        sigla         text        NOT NULL,
        dia           date        NOT NULL,
        destinatarios text[]      NOT NULL,
        canal         text        NOT NULL,
        registrado_em timestamptz NOT NULL DEFAULT now(),
        registrado_por text       NOT NULL,
        FOREIGN KEY (campanha, sigla) REFERENCES cmbd_campanha_orgao (campanha, sigla),
        UNIQUE (campanha, sigla, dia)
      )`);
    await q.query(`
      CREATE TABLE cmbd_publicacao (
        campanha                 text        PRIMARY KEY REFERENCES cmbd_campanha (codigo),
        publicada_em             timestamptz NOT NULL DEFAULT now(),
        itens                    jsonb       NOT NULL,
        orgaos_participantes     jsonb       NOT NULL,
        orgaos_nao_participantes jsonb       NOT NULL
      )`);
    // "É importante que nenhuma base previamente informada no CMBD seja excluída": the database refuses it too,
    // and the version history and publications are append-only.
    await q.query(`
      CREATE FUNCTION cmbd_nunca_excluir() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'CMBD: % em % recusado (bases catalogadas nunca são excluídas)', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`CREATE TRIGGER cmbd_base_nunca_excluir BEFORE DELETE ON cmbd_base FOR EACH ROW EXECUTE FUNCTION cmbd_nunca_excluir()`);
    await q.query(`CREATE TRIGGER cmbd_base_nunca_truncar BEFORE TRUNCATE ON cmbd_base FOR EACH STATEMENT EXECUTE FUNCTION cmbd_nunca_excluir()`);
    await q.query(`CREATE TRIGGER cmbd_base_versao_somente_insercao BEFORE UPDATE OR DELETE ON cmbd_base_versao FOR EACH ROW EXECUTE FUNCTION cmbd_nunca_excluir()`);
    await q.query(`CREATE TRIGGER cmbd_publicacao_somente_insercao BEFORE UPDATE OR DELETE ON cmbd_publicacao FOR EACH ROW EXECUTE FUNCTION cmbd_nunca_excluir()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['cmbd_publicacao', 'cmbd_lembrete', 'cmbd_ponto_focal', 'cmbd_campanha_orgao', 'cmbd_campanha', 'cmbd_base_versao', 'cmbd_base', 'cmbd_orgao']) {
      await q.query(`DROP TABLE ${t} CASCADE`);
    }
    await q.query(`DROP FUNCTION cmbd_nunca_excluir()`);
  }
}
