/**
 * A minimal batch load around the linkage phases, for measuring and testing them before the real pipeline exists
 * (and independently of it): stage a source file into `carga_staging` with COPY, run `particionar`, an interim
 * "fundir" that only creates one `identidade` per owned CPF (and a bare `pessoa`), `vincular`, then move the staged
 * rows into `linha_carga`. Each phase runs in its own transaction, as the orchestrator does.
 *
 * Rows are read by the pipeline's own reader (`lerFonte`), and staged with the CPF as read (`cpfBruto`), as `lendo`
 * stages them.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CargaEmCurso, ExecutarFase } from '../../api/src/carga/fases.js';
import { carregarMapeamento } from '../../api/src/carga/mapeamento.js';
import { lerFonte } from '../../api/src/carga/ler-fonte.js';
import { chavesDeBloqueio } from '../../api/src/carga/vinculo/chaves.js';
import { lerCopia } from '../../api/src/carga/vinculo/copia.js';

export const ORDEM_FONTES = ['fazenda', 'eol', 'siga', 'bdc', 'outros'] as const;
export const ARQUIVOS: Record<(typeof ORDEM_FONTES)[number], string> = {
  fazenda: 'fazenda.csv', siga: 'siga.txt', eol: 'eol.csv', bdc: 'bdc.csv', outros: 'outros.tsv',
};

const COLUNAS_STAGING = [
  'carga_id', 'chave_fonte', 'linha', 'hash', 'triagem', 'motivo', 'cpf_bruto', 'cpf', 'nome', 'nome_chave', 'nome_social', 'nome_mae', 'nome_mae_chave', 'nome_pai',
  'cpf_mae', 'cpf_pai', 'data_nascimento', 'data_obito', 'sexo', 'obito', 'email', 'telefone', 'municipio', 'uf', 'problemas', 'bloco_nome', 'bloco_mae',
];

function campoCopia(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** Creates the `carga` row and stages the file's rows (rows without a key are skipped). Returns the load. */
export async function encenarFonte(pool: pg.Pool, fontesDir: string, fonte: string, arquivo: string, observadoEm = '2026-11-01T00:00:00Z'): Promise<{ carga: CargaEmCurso; linhas: number }> {
  const mapa = await carregarMapeamento(join(fontesDir, `${fonte}.yaml`));
  const cliente = await pool.connect();
  try {
    await cliente.query('BEGIN');
    const r = await cliente.query<{ id: string }>(
      `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por, cpf_do_responsavel)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 'avaliacao', $8) RETURNING id`,
      [fonte, mapa.pmcc, mapa.cmbd.sigla, mapa.cmbd.fonteCarga, arquivo, createHash('sha256').update(`${arquivo}:${Date.now()}`).digest('hex'), observadoEm, mapa.cpfDoResponsavel],
    );
    const id = r.rows[0].id;
    const fluxo = cliente.query(copyFrom(`COPY carga_staging (${COLUNAS_STAGING.join(', ')}) FROM STDIN`));
    const fim = new Promise<void>((ok, erro) => {
      fluxo.on('finish', ok);
      fluxo.on('error', erro);
    });
    let linhas = 0;
    let lote: string[] = [];
    for await (const reg of lerFonte(mapa, arquivo)) {
      if (reg.chave === null) continue;
      const t = reg.triagem;
      const { blocoNome, blocoMae } = chavesDeBloqueio(reg);
      const valores = [
        id, reg.chave, reg.linha, '', t.categoria, t.categoria === 'cpf-invalido' ? t.motivo : null, reg.cpfBruto, t.categoria === 'base-unica' ? t.cpf : null,
        reg.nome, reg.nomeChave, reg.nomeSocial, reg.nomeMae, reg.nomeMaeChave, reg.nomePai, reg.cpfMae, reg.cpfPai, reg.dataNascimento, reg.dataObito, reg.sexo,
        reg.obito, reg.email, reg.telefone, reg.municipio, reg.uf, reg.problemas.length > 0 ? JSON.stringify(reg.problemas) : null, blocoNome, blocoMae,
      ];
      valores[3] = createHash('md5').update(JSON.stringify(valores.slice(4))).digest('hex');
      lote.push(`${valores.map(campoCopia).join('\t')}\n`);
      linhas += 1;
      if (lote.length >= 5000) {
        if (!fluxo.write(lote.join(''))) await once(fluxo, 'drain');
        lote = [];
      }
    }
    if (lote.length > 0) fluxo.write(lote.join(''));
    fluxo.end();
    await fim;
    await cliente.query('COMMIT');
    return { carga: { id, mapa, fontePmcc: mapa.pmcc, observadoEm, iniciadaPor: 'avaliacao' }, linhas };
  } catch (e) {
    await cliente.query('ROLLBACK');
    throw e;
  } finally {
    cliente.release();
  }
}

/**
 * Interim `fundir`: one `identidade` per owned CPF (a pendente adopted by `particionar` gets the CPF), a bare `pessoa`
 * (CPF, name, birth date of the first row), staged rows `identidade_id` + `vinculo = 'cpf'`.
 */
export const fundirInterino: ExecutarFase = async (cliente, carga) => {
  const c = carga.id;
  const dono = `carga_id = ${c} AND triagem = 'base-unica' AND NOT cpf_de_outra_pessoa`;
  await cliente.query(`
    UPDATE identidade i SET cpf = a.cpf, situacao = 'ativa'
      FROM (SELECT DISTINCT ON (cpf) cpf, identidade_id FROM carga_staging WHERE ${dono} AND identidade_id IS NOT NULL ORDER BY cpf, linha) a
     WHERE i.id = a.identidade_id AND i.cpf IS NULL AND i.situacao = 'pendente'`);
  await cliente.query(`INSERT INTO identidade (cpf, situacao, carga_id) SELECT DISTINCT cpf, 'ativa', ${c} FROM carga_staging WHERE ${dono} ORDER BY cpf ON CONFLICT (cpf) DO NOTHING`);
  await cliente.query(`
    INSERT INTO pessoa (cpf, nome, data_nascimento)
    SELECT DISTINCT ON (cpf) cpf, nome, data_nascimento FROM carga_staging WHERE ${dono} AND nome IS NOT NULL AND data_nascimento IS NOT NULL ORDER BY cpf, linha
    ON CONFLICT (cpf) DO NOTHING`);
  const r = await cliente.query(`
    UPDATE carga_staging s SET identidade_id = i.id, vinculo = 'cpf' FROM identidade i
     WHERE s.carga_id = ${c} AND s.triagem = 'base-unica' AND NOT s.cpf_de_outra_pessoa AND i.cpf = s.cpf`);
  return { fundidas: r.rowCount ?? 0 };
};

/** Interim `registrar`: staged rows → `linha_carga` (a `gestor` assignment is kept), staging emptied. */
export const registrarInterino: ExecutarFase = async (cliente, carga) => {
  const cols = COLUNAS_STAGING.filter((c) => c !== 'carga_id').concat(['cpf_de_outra_pessoa', 'identidade_id', 'vinculo', 'pontuacao', 'comparacoes']);
  const atualizar = cols.filter((c) => c !== 'chave_fonte' && c !== 'identidade_id' && c !== 'vinculo').map((c) => `${c} = EXCLUDED.${c}`);
  const r = await cliente.query(`
    INSERT INTO linha_carga (fonte, carga_id, ${cols.join(', ')})
    SELECT $2, carga_id, ${cols.join(', ')} FROM carga_staging WHERE carga_id = $1
    ON CONFLICT (fonte, chave_fonte) DO UPDATE SET carga_id = EXCLUDED.carga_id, ${atualizar.join(', ')},
      identidade_id = CASE WHEN linha_carga.vinculo = 'gestor' THEN linha_carga.identidade_id ELSE EXCLUDED.identidade_id END,
      vinculo = CASE WHEN linha_carga.vinculo = 'gestor' THEN 'gestor' ELSE EXCLUDED.vinculo END`, [carga.id, carga.mapa.fonte]);
  await cliente.query(`DELETE FROM carga_staging WHERE carga_id = $1`, [carga.id]);
  await cliente.query(`UPDATE carga SET situacao = 'concluida', fase = 'concluida', concluida_em = now() WHERE id = $1`, [carga.id]);
  return { registradas: r.rowCount ?? 0 };
};

/** Runs one phase in its own transaction; returns its counts and its duration. */
export async function executarFase(pool: pg.Pool, fase: ExecutarFase, carga: CargaEmCurso): Promise<{ contagem: Record<string, number>; ms: number }> {
  const cliente = await pool.connect();
  const t = Date.now();
  try {
    await cliente.query('BEGIN');
    const contagem = await fase(cliente, carga);
    await cliente.query('COMMIT');
    return { contagem, ms: Date.now() - t };
  } catch (e) {
    await cliente.query('ROLLBACK');
    throw e;
  } finally {
    cliente.release();
  }
}

/** Writes `source,row_id,cluster_id` for every loaded row (cluster: identidade id or `quarentena:<motivo>`). */
export async function exportarClusters(pool: pg.Pool, arquivo: string): Promise<number> {
  const saida = createWriteStream(arquivo);
  saida.write('source,row_id,cluster_id\n');
  const cliente = await pool.connect();
  let n = 0;
  try {
    const csv = (s: string | null) => (s === null ? '' : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    for await (const [fonte, chave, cluster] of lerCopia(cliente, `SELECT fonte, chave_fonte, COALESCE(identidade_id::text, 'quarentena:' || COALESCE(motivo, 'sem-vinculo')) FROM linha_carga ORDER BY fonte, chave_fonte`)) {
      if (!saida.write(`${csv(fonte)},${csv(chave)},${csv(cluster)}\n`)) await once(saida, 'drain');
      n += 1;
    }
  } finally {
    cliente.release();
  }
  saida.end();
  await once(saida, 'finish');
  return n;
}
