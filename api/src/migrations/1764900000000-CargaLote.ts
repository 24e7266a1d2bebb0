import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch load (issue 11): the loads themselves (`carga`), the staging table COPY writes into, every loaded source row
 * kept with the golden id it was assigned to (`linha_carga`), the golden ids (`identidade`), the record-linkage
 * review queue and the stewards' merge/split decisions that later loads must respect.
 *
 * `identidade` is the golden id of a person: stable, never reused. A person with a valid CPF has exactly one
 * identidade with that `cpf` and a `pessoa` row (the master record, keyed by CPF as before); a person known only from
 * rows without a usable CPF has an identidade without `cpf` (`pendente`, held for stewards) and no `pessoa` row.
 */
export class CargaLote1764900000000 implements MigrationInterface {
  name = 'CargaLote1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE carga (
        id                 bigserial   PRIMARY KEY,
        fonte              text        NOT NULL,
        fonte_pmcc         text        NOT NULL,
        cmbd_sigla         text        NOT NULL,
        cmbd_fonte_carga   text        NOT NULL,
        arquivo            text        NOT NULL,
        arquivo_sha256     char(64)    NOT NULL CHECK (arquivo_sha256 ~ '^[0-9a-f]{64}$'),
        arquivo_bytes      bigint      NOT NULL CHECK (arquivo_bytes >= 0),
        situacao           text        NOT NULL DEFAULT 'em-andamento' CHECK (situacao IN ('em-andamento', 'concluida', 'falhou')),
        fase               text        NOT NULL DEFAULT 'lendo'
                             CHECK (fase IN ('lendo', 'particionando', 'fundindo', 'vinculando', 'registrando', 'concluida')),
        linhas_confirmadas bigint      NOT NULL DEFAULT 0 CHECK (linhas_confirmadas >= 0),
        observado_em       timestamptz NOT NULL,
        iniciada_por       text        NOT NULL,
        iniciada_em        timestamptz NOT NULL DEFAULT now(),
        atualizada_em      timestamptz NOT NULL DEFAULT now(),
        concluida_em       timestamptz NULL,
        erro               text        NULL,
        diagnostico        jsonb       NULL
      )`);
    // One unfinished load per file: starting the same file again resumes it.
    await q.query(`CREATE UNIQUE INDEX carga_uma_em_andamento_idx ON carga (fonte, arquivo_sha256) WHERE situacao = 'em-andamento'`);
    await q.query(`CREATE INDEX carga_fonte_idx ON carga (fonte, id)`);

    // Columns every row carries, in staging and once loaded (the normalised RegistroCarga plus linkage keys).
    const atributos = `
        chave_fonte        text        NOT NULL,
        linha              integer     NOT NULL,
        hash               text        NOT NULL,
        triagem            text        NOT NULL CHECK (triagem IN ('base-unica', 'sem-cpf', 'cpf-invalido')),
        motivo             text        NULL,
        cpf_bruto          text        NULL,
        cpf                char(11)    NULL,
        cpf_de_outra_pessoa boolean    NOT NULL DEFAULT false,
        nome               text        NULL,
        nome_chave         text        NULL,
        nome_social        text        NULL,
        nome_mae           text        NULL,
        nome_mae_chave     text        NULL,
        nome_pai           text        NULL,
        cpf_mae            char(11)    NULL,
        cpf_pai            char(11)    NULL,
        data_nascimento    date        NULL,
        data_obito         date        NULL,
        sexo               char(1)     NULL CHECK (sexo IN ('M', 'F')),
        obito              boolean     NULL,
        email              text        NULL,
        telefone           text        NULL,
        municipio          text        NULL,
        uf                 char(2)     NULL,
        problemas          jsonb       NULL,
        bloco_nome         text        NULL,
        bloco_mae          text        NULL,
        identidade_id      bigint      NULL,
        vinculo            text        NULL CHECK (vinculo IN ('cpf', 'probabilistico', 'revisao', 'novo', 'quarentena', 'gestor')),
        pontuacao          real        NULL,
        comparacoes        jsonb       NULL`;

    // Staging: COPY target, no indexes while loading, unlogged (a PostgreSQL crash empties it; the load then
    // re-reads from the start — see linhas_confirmadas). Rows of one load are deleted when it completes.
    await q.query(`CREATE UNLOGGED TABLE carga_staging (carga_id bigint NOT NULL, ${atributos})`);

    await q.query(`
      CREATE TABLE identidade (
        id          bigserial   PRIMARY KEY,
        cpf         char(11)    NULL UNIQUE CHECK (cpf ~ '^[0-9]{11}$'),
        situacao    text        NOT NULL DEFAULT 'ativa' CHECK (situacao IN ('ativa', 'pendente', 'fundida')),
        fundida_em  bigint      NULL REFERENCES identidade (id),
        carga_id    bigint      NULL REFERENCES carga (id),
        criada_em   timestamptz NOT NULL DEFAULT now(),
        CHECK ((situacao = 'fundida') = (fundida_em IS NOT NULL))
      )`);

    // Every row ever loaded, keyed by its source and its key there; the assignment to a golden id with the evidence.
    await q.query(`
      CREATE TABLE linha_carga (
        fonte      text   NOT NULL,
        carga_id   bigint NOT NULL REFERENCES carga (id),
        ${atributos},
        PRIMARY KEY (fonte, chave_fonte)
      )`);
    await q.query(`CREATE INDEX linha_carga_identidade_idx ON linha_carga (identidade_id)`);
    await q.query(`CREATE INDEX linha_carga_cpf_idx ON linha_carga (cpf) WHERE cpf IS NOT NULL`);

    // Record-linkage review: a row whose best candidate scored in the grey band.
    await q.query(`
      CREATE TABLE revisao_vinculo (
        id                bigserial   PRIMARY KEY,
        fonte             text        NOT NULL,
        chave_fonte       text        NOT NULL,
        carga_id          bigint      NOT NULL REFERENCES carga (id),
        identidade_candidata bigint   NULL REFERENCES identidade (id),
        pontuacao         real        NOT NULL,
        comparacoes       jsonb       NOT NULL,
        situacao          text        NOT NULL DEFAULT 'aberta' CHECK (situacao IN ('aberta', 'resolvida')),
        resolucao         text        NULL CHECK (resolucao IN ('mesma-pessoa', 'pessoas-diferentes')),
        responsavel       text        NULL,
        justificativa     text        NULL,
        criada_em         timestamptz NOT NULL DEFAULT now(),
        resolvida_em      timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX revisao_vinculo_linha_aberta_idx ON revisao_vinculo (fonte, chave_fonte) WHERE situacao = 'aberta'`);

    // Stewards' merge ("mesma-pessoa") and split ("pessoas-diferentes") decisions between golden ids, kept forever:
    // no later load may undo them.
    await q.query(`
      CREATE TABLE decisao_gestor_vinculo (
        id            bigserial   PRIMARY KEY,
        tipo          text        NOT NULL CHECK (tipo IN ('mesma-pessoa', 'pessoas-diferentes')),
        identidade_a  bigint      NOT NULL REFERENCES identidade (id),
        identidade_b  bigint      NOT NULL REFERENCES identidade (id),
        linhas        jsonb       NOT NULL DEFAULT '[]'::jsonb,
        gestor        text        NOT NULL,
        justificativa text        NOT NULL CHECK (length(btrim(justificativa)) >= 10),
        criada_em     timestamptz NOT NULL DEFAULT now(),
        CHECK (identidade_a <> identidade_b)
      )`);
    await q.query(`CREATE INDEX decisao_gestor_vinculo_a_idx ON decisao_gestor_vinculo (identidade_a)`);
    await q.query(`CREATE INDEX decisao_gestor_vinculo_b_idx ON decisao_gestor_vinculo (identidade_b)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE decisao_gestor_vinculo`);
    await q.query(`DROP TABLE revisao_vinculo`);
    await q.query(`DROP TABLE linha_carga`);
    await q.query(`DROP TABLE identidade`);
    await q.query(`DROP TABLE carga_staging`);
    await q.query(`DROP TABLE carga`);
  }
}
