/**
 * Test helpers for the merge phase: a `carga` row, staged rows inserted straight into `carga_staging` (no file,
 * no reader), a phase run in its own transaction as the orchestrator runs it, and the same rows sent one by one to
 * `entradaUnica` (the row-by-row strategy of the equivalence test).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { CargaEmCurso, ExecutarFase } from '../../src/carga/fases.js';
import { linhaParaCorpo } from '../../src/carga/linha-para-corpo.js';
import type { MapeamentoFonte } from '../../src/carga/mapeamento.js';
import { entradaUnica } from '../../src/entrada-unica/pipeline.js';
import { DadosInvalidos } from '../../src/errors/dados-invalidos.error.js';
import { PoliticaNegada } from '../../src/pmcc/politica-negada.error.js';
import type { FonteId } from '../../src/pmcc/politicas.js';

/** A staged row as a test writes it: the Base Única columns the merge reads (others default). */
export interface LinhaDeTeste {
  chaveFonte: string;
  cpf: string;
  nome?: string | null;
  nomeMae?: string | null;
  nomePai?: string | null;
  cpfMae?: string | null;
  cpfPai?: string | null;
  dataNascimento?: string | null;
  dataObito?: string | null;
  sexo?: 'M' | 'F' | null;
  obito?: boolean | null;
  email?: string | null;
  telefone?: string | null;
  /** Set by the partition phase: the row's CPF is someone else's (not merged). */
  cpfDeOutraPessoa?: boolean;
  /** Set by the partition phase: a `pendente` identity this CPF adopts. */
  identidadeId?: string | null;
}

/** Inserts a `carga` (phase `fundindo`) and returns what the phases receive. */
export async function criarCarga(ds: DataSource, fonte: string, fontePmcc: FonteId, observadoEm: string): Promise<CargaEmCurso> {
  const sha = createHash('sha256').update(`${fonte}:${observadoEm}:${Math.random()}`).digest('hex');
  const [{ id }] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, fase, observado_em, iniciada_por)
     VALUES ($1, $2, 'SMF', $1, $3, $4, 0, 'fundindo', $5, 'teste') RETURNING id::text AS id`,
    [fonte, fontePmcc, `/tmp/${fonte}.csv`, sha, observadoEm],
  );
  const mapa: MapeamentoFonte = {
    fonte, descricao: `fonte de teste ${fonte}`, pmcc: fontePmcc, cmbd: { sigla: 'SMF', fonteCarga: fonte }, arquivo: { codificacao: 'utf-8', delimitador: ';', aspas: null },
    chave: 'ID', nulos: [], anoMinimo: 1850, cpfDoResponsavel: false, campos: {},
  };
  return { id, mapa, fontePmcc, observadoEm, iniciadaPor: 'teste' };
}

/** Stages `linhas` (numbered 1, 2, … in this order) as Base Única rows of the load. */
export async function encenar(ds: DataSource, carga: CargaEmCurso, linhas: readonly LinhaDeTeste[]): Promise<void> {
  const colunas = ['carga_id', 'chave_fonte', 'linha', 'hash', 'triagem', 'cpf_bruto', 'cpf', 'cpf_de_outra_pessoa', 'identidade_id', 'nome', 'nome_mae', 'nome_pai', 'cpf_mae', 'cpf_pai',
    'data_nascimento', 'data_obito', 'sexo', 'obito', 'email', 'telefone'];
  for (let i = 0; i < linhas.length; i += 500) {
    const parte = linhas.slice(i, i + 500);
    const valores: unknown[] = [];
    const tuplas = parte.map((l, j) => {
      const v = [carga.id, l.chaveFonte, i + j + 1, createHash('md5').update(JSON.stringify(l)).digest('hex'), 'base-unica', l.cpf, l.cpf, l.cpfDeOutraPessoa ?? false,
        l.identidadeId ?? null, l.nome ?? null, l.nomeMae ?? null, l.nomePai ?? null, l.cpfMae ?? null, l.cpfPai ?? null, l.dataNascimento ?? null, l.dataObito ?? null,
        l.sexo ?? null, l.obito ?? null, l.email ?? null, l.telefone ?? null];
      valores.push(...v);
      return `(${v.map((_x, k) => `$${valores.length - v.length + k + 1}`).join(', ')})`;
    });
    await ds.query(`INSERT INTO carga_staging (${colunas.join(', ')}) VALUES ${tuplas.join(', ')}`, valores);
  }
}

/** Runs one phase as the orchestrator does: its own connection, BEGIN, the phase, COMMIT (ROLLBACK on error). */
export async function executarFase(url: string, fase: ExecutarFase, carga: CargaEmCurso): Promise<Record<string, number>> {
  const cliente = new pg.Client({ connectionString: url, application_name: 'lum-test-fase' });
  await cliente.connect();
  try {
    await cliente.query('BEGIN');
    try {
      // A phase takes a pool client; a connected Client has the same query interface.
      const r = await fase(cliente as unknown as pg.PoolClient, carga);
      await cliente.query('COMMIT');
      return r;
    } catch (err) {
      await cliente.query('ROLLBACK');
      throw err;
    }
  } finally {
    await cliente.end();
  }
}

export interface RecusasLinhaALinha {
  /** 400 on creation: nome or data de nascimento missing. */
  camposObrigatorios: number;
  /** 400 from a whole-record check. */
  registroInconsistente: number;
  /** 422: PMCC refusal on creation. */
  pelaPmcc: number;
}

/**
 * The row-by-row strategy: every row, in order, through `entradaUnica` in tolerant mode with the load's actor, row
 * key and observation time, as `criar` when the CPF has no record yet. Refusals are counted, as the phase counts them.
 */
export async function carregarLinhaALinha(ds: DataSource, carga: CargaEmCurso, linhas: readonly LinhaDeTeste[]): Promise<RecusasLinhaALinha> {
  const recusas: RecusasLinhaALinha = { camposObrigatorios: 0, registroInconsistente: 0, pelaPmcc: 0 };
  const deps = { dataSource: ds, logger: { error: () => undefined } };
  for (const l of linhas) {
    if (l.cpfDeOutraPessoa) continue;
    const corpo = linhaParaCorpo({
      chaveFonte: l.chaveFonte, cpf: l.cpf, nome: l.nome ?? null, nomeMae: l.nomeMae ?? null, nomePai: l.nomePai ?? null, cpfMae: l.cpfMae ?? null, cpfPai: l.cpfPai ?? null,
      dataNascimento: l.dataNascimento ?? null, dataObito: l.dataObito ?? null, sexo: l.sexo ?? null, obito: l.obito ?? null, email: l.email ?? null, telefone: l.telefone ?? null,
    }, carga.fontePmcc);
    const [existe] = await ds.query<unknown[]>(`SELECT 1 FROM pessoa WHERE cpf = $1`, [l.cpf]);
    try {
      await entradaUnica(deps, {
        entidade: 'pessoa', tipo: existe ? 'alterar' : 'criar', chave: l.cpf, corpo, ator: { tipo: 'carga', fonte: carga.fontePmcc, lote: carga.id }, chaveFonte: l.chaveFonte,
        observadoEm: carga.observadoEm, modo: 'tolerante', contexto: { ator: carga.iniciadaPor, cliente: null, finalidade: 'carga-em-lote' },
      });
    } catch (err) {
      if (err instanceof PoliticaNegada) recusas.pelaPmcc += 1;
      else if (err instanceof DadosInvalidos && !existe && (corpo.nome === undefined || corpo.dataNascimento === undefined)) recusas.camposObrigatorios += 1;
      else if (err instanceof DadosInvalidos) recusas.registroInconsistente += 1;
      else throw err;
    }
  }
  return recusas;
}
