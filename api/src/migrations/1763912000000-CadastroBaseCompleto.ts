import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full Cadastro Base record: every field of the source documents on `pessoa` (existing rows keep their
 * values; new columns are nullable or defaulted), companies (`pessoa_juridica`), per-field provenance and history
 * (`valor_campo`), the stewards' review queue (`revisao`), and accent-/case-insensitive search keys.
 */
export class CadastroBaseCompleto1763912000000 implements MigrationInterface {
  name = 'CadastroBaseCompleto1763912000000';

  async up(q: QueryRunner): Promise<void> {
    // Search key: lower case, accents removed. IMMUTABLE (translate/lower only) so it can feed a generated column;
    // inputs are NFC (the API normalises text), so precomposed letters are all it has to fold.
    await q.query(`
      CREATE FUNCTION lum_chave_busca(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
        regexp_replace(btrim(lower(translate(t,
          'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ',
          'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuCcNnYyy'))), '\\s+', ' ', 'g')`);

    await q.query(`
      ALTER TABLE pessoa
        ADD COLUMN nome_social       text     NULL,
        ADD COLUMN genero            text     NULL,
        ADD COLUMN estado_civil      text     NULL,
        ADD COLUMN local_nascimento  jsonb    NULL,
        ADD COLUMN rg                jsonb    NULL,
        ADD COLUMN titulo_eleitor    char(12) NULL CHECK (titulo_eleitor ~ '^[0-9]{12}$'),
        ADD COLUMN cpf_mae           char(11) NULL CHECK (cpf_mae ~ '^[0-9]{11}$' AND cpf_mae <> cpf),
        ADD COLUMN nome_mae          text     NULL,
        ADD COLUMN cpf_pai           char(11) NULL CHECK (cpf_pai ~ '^[0-9]{11}$' AND cpf_pai <> cpf),
        ADD COLUMN nome_pai          text     NULL,
        ADD COLUMN obito_registro    jsonb    NULL,
        ADD COLUMN emails            jsonb    NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN telefones         jsonb    NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN enderecos         jsonb    NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN relacoes_familiares jsonb  NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN biometria         jsonb    NULL,
        ADD COLUMN certificado_icp   jsonb    NULL,
        ADD COLUMN vinculo_govbr     jsonb    NULL,
        ADD COLUMN nome_busca        text     GENERATED ALWAYS AS (lum_chave_busca(nome)) STORED,
        ADD COLUMN nome_mae_busca    text     GENERATED ALWAYS AS (lum_chave_busca(nome_mae)) STORED`);
    await q.query(`CREATE INDEX pessoa_nome_busca_idx ON pessoa (nome_busca text_pattern_ops, data_nascimento)`);
    await q.query(`CREATE INDEX pessoa_nome_mae_busca_idx ON pessoa (nome_mae_busca text_pattern_ops)`);

    await q.query(`
      CREATE TABLE pessoa_juridica (
        cnpj          char(14)    PRIMARY KEY CHECK (cnpj ~ '^[0-9A-Z]{12}[0-9]{2}$'),
        razao_social  text        NOT NULL CHECK (btrim(razao_social) <> ''),
        nome_fantasia text        NULL,
        situacao      text        NOT NULL DEFAULT 'ativa' CHECK (situacao IN ('ativa', 'suspensa', 'inapta', 'baixada')),
        endereco      jsonb       NULL,
        responsaveis  jsonb       NOT NULL DEFAULT '[]'::jsonb,
        razao_social_busca text   GENERATED ALWAYS AS (lum_chave_busca(razao_social)) STORED,
        versao        integer     NOT NULL DEFAULT 1,
        criado_em     timestamptz NOT NULL DEFAULT now(),
        atualizado_em timestamptz NOT NULL DEFAULT now()
      )`);

    // One row per value a field has had or been offered: the current one (vigente), the ones it replaced
    // (historico), and losing values from other sources or citizens' requests (alternativo).
    await q.query(`
      CREATE TABLE valor_campo (
        id             bigserial   PRIMARY KEY,
        entidade       text        NOT NULL CHECK (entidade IN ('pessoa', 'pessoa_juridica')),
        chave          text        NOT NULL,
        campo          text        NOT NULL,
        valor          jsonb       NULL,
        estado         text        NOT NULL CHECK (estado IN ('vigente', 'historico', 'alternativo', 'descartado')),
        operacao       text        NOT NULL CHECK (operacao IN ('insercao', 'modificacao', 'exclusao')),
        fonte          text        NOT NULL,
        chave_fonte    text        NULL,
        evidencia      jsonb       NULL,
        ator           text        NOT NULL,
        tipo_ator      text        NOT NULL CHECK (tipo_ator IN ('cidadao', 'gestor', 'carga', 'evento-keycloak')),
        observado_em   timestamptz NOT NULL,
        registrado_em  timestamptz NOT NULL DEFAULT clock_timestamp(),
        versao_registro integer    NOT NULL,
        decisao        jsonb       NOT NULL
      )`);
    await q.query(`CREATE INDEX valor_campo_chave_idx ON valor_campo (entidade, chave, campo, id)`);
    await q.query(`CREATE UNIQUE INDEX valor_campo_um_vigente_idx ON valor_campo (entidade, chave, campo) WHERE estado = 'vigente'`);

    await q.query(`
      CREATE TABLE revisao (
        id             bigserial   PRIMARY KEY,
        entidade       text        NOT NULL,
        chave          text        NOT NULL,
        campo          text        NOT NULL,
        valor_campo_id bigint      NOT NULL REFERENCES valor_campo (id),
        motivo         text        NOT NULL,
        codigo         text        NOT NULL,
        situacao       text        NOT NULL DEFAULT 'aberta' CHECK (situacao IN ('aberta', 'em-analise', 'resolvida')),
        responsavel    text        NULL,
        resolucao      text        NULL CHECK (resolucao IN ('manter-vigente', 'adotar-alternativo')),
        justificativa  text        NULL,
        criada_em      timestamptz NOT NULL DEFAULT now(),
        assumida_em    timestamptz NULL,
        resolvida_em   timestamptz NULL
      )`);
    await q.query(`CREATE INDEX revisao_situacao_idx ON revisao (situacao, id)`);
    await q.query(`CREATE INDEX revisao_chave_idx ON revisao (entidade, chave)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE revisao`);
    await q.query(`DROP TABLE valor_campo`);
    await q.query(`DROP TABLE pessoa_juridica`);
    await q.query(`
      ALTER TABLE pessoa DROP COLUMN nome_busca, DROP COLUMN nome_mae_busca, DROP COLUMN nome_social, DROP COLUMN genero,
        DROP COLUMN estado_civil, DROP COLUMN local_nascimento, DROP COLUMN rg, DROP COLUMN titulo_eleitor, DROP COLUMN cpf_mae,
        DROP COLUMN nome_mae, DROP COLUMN cpf_pai, DROP COLUMN nome_pai, DROP COLUMN obito_registro, DROP COLUMN emails,
        DROP COLUMN telefones, DROP COLUMN enderecos, DROP COLUMN relacoes_familiares, DROP COLUMN biometria,
        DROP COLUMN certificado_icp, DROP COLUMN vinculo_govbr`);
    await q.query(`DROP FUNCTION lum_chave_busca(text)`);
  }
}
