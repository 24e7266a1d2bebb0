/**
 * Batch-load test helpers: the generator's truth file, and two checksums of what a load writes.
 *
 * - `somaExata`: every row of identidade, pessoa, valor_campo, revisao, linha_carga, revisao_vinculo and of the
 *   `carga` rows up to a given id, byte for byte (ids and timestamps included) — "loading the same file twice
 *   changes nothing".
 * - `somaDosRegistrosDeOuro`: the same tables without what legitimately differs between two databases that ran the
 *   same loads (sequence values a rolled-back transaction consumed, wall-clock timestamps): each golden id is named by
 *   its CPF, or by the first source row assigned to it — "a load killed and resumed ends like an uninterrupted one".
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { DataSource } from 'typeorm';

export type LinhaDaVerdade = Record<string, string>;

/** `verdade.csv` rows keyed by `source|row_id`. */
export async function lerVerdadeCsv(caminho: string): Promise<Map<string, LinhaDaVerdade>> {
  const verdade = new Map<string, LinhaDaVerdade>();
  for await (const l of createReadStream(caminho).pipe(parse({ columns: true })) as AsyncIterable<LinhaDaVerdade>) verdade.set(`${l['source']}|${l['row_id']}`, l);
  return verdade;
}

async function somar(ds: DataSource, consultas: Record<string, string>): Promise<Record<string, string>> {
  const r: Record<string, string> = {};
  for (const [nome, sql] of Object.entries(consultas)) {
    const [l] = await ds.query<{ soma: string; linhas: string }[]>(
      `SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) AS soma, count(*) AS linhas FROM (SELECT t::text AS x FROM (${sql}) t) s`,
    );
    r[nome] = `${l.linhas} linhas, md5 ${l.soma}`;
  }
  return r;
}

export function somaExata(ds: DataSource, ateCarga: string): Promise<Record<string, string>> {
  return somar(ds, {
    identidade: 'SELECT to_jsonb(x) FROM identidade x',
    pessoa: 'SELECT to_jsonb(x) FROM pessoa x',
    valor_campo: 'SELECT to_jsonb(x) FROM valor_campo x',
    revisao: 'SELECT to_jsonb(x) FROM revisao x',
    linha_carga: 'SELECT to_jsonb(x) FROM linha_carga x',
    revisao_vinculo: 'SELECT to_jsonb(x) FROM revisao_vinculo x',
    carga: `SELECT to_jsonb(x) FROM carga x WHERE id <= ${Number(ateCarga)}`,
  });
}

const ROTULOS = `
  WITH rotulo AS (
    SELECT i.id, i.situacao, i.fundida_em,
           coalesce(i.cpf, (SELECT min(l.fonte || '|' || l.chave_fonte) FROM linha_carga l WHERE l.identidade_id = i.id), 'sem-linhas') AS nome
      FROM identidade i
  ),
  carga_nome AS (SELECT id, fonte || '|' || arquivo_sha256 AS nome FROM carga)`;

export function somaDosRegistrosDeOuro(ds: DataSource): Promise<Record<string, string>> {
  return somar(ds, {
    identidade: `${ROTULOS} SELECT r.nome, r.situacao, f.nome AS fundida_em FROM rotulo r LEFT JOIN rotulo f ON f.id = r.fundida_em`,
    pessoa: `SELECT to_jsonb(x) - 'criado_em' - 'atualizado_em' FROM pessoa x`,
    valor_campo: `SELECT to_jsonb(x) - 'id' - 'registrado_em' FROM valor_campo x`,
    revisao: `SELECT to_jsonb(r) - 'id' - 'valor_campo_id' - 'criada_em' - 'assumida_em' - 'resolvida_em' AS revisao,
                     to_jsonb(v) - 'id' - 'registrado_em' AS valor
                FROM revisao r JOIN valor_campo v ON v.id = r.valor_campo_id`,
    // The linkage evidence names golden ids (the candidate, the runner-up): named by their labels, like the rest.
    linha_carga: `${ROTULOS} SELECT to_jsonb(l) - 'identidade_id' - 'carga_id' - 'comparacoes' AS linha, r.nome AS identidade, c.nome AS carga,
                           l.comparacoes - 'candidata' - 'segunda' AS comparacoes, rc.nome AS candidata, rs.nome AS segunda,
                           l.comparacoes #> '{segunda,pontuacao}' AS pontuacao_segunda
                    FROM linha_carga l LEFT JOIN rotulo r ON r.id = l.identidade_id JOIN carga_nome c ON c.id = l.carga_id
                    LEFT JOIN rotulo rc ON rc.id = (l.comparacoes ->> 'candidata')::bigint
                    LEFT JOIN rotulo rs ON rs.id = (l.comparacoes #>> '{segunda,identidade}')::bigint`,
    revisao_vinculo: `${ROTULOS} SELECT to_jsonb(v) - 'id' - 'carga_id' - 'identidade_candidata' - 'criada_em' - 'resolvida_em' - 'comparacoes' AS revisao,
                        v.comparacoes - 'candidata' - 'segunda' AS comparacoes, r.nome AS candidata, c.nome AS carga
                        FROM revisao_vinculo v LEFT JOIN rotulo r ON r.id = v.identidade_candidata JOIN carga_nome c ON c.id = v.carga_id`,
  });
}
