/**
 * The batch load of one source file (issue 11): the orchestrator of the phases described in fases.ts.
 *
 *   file → sha256 (a load is identified by source + file sha256: running the same file again resumes it); the file is
 *                  delimited text, or text compressed with gzip (`formato-arquivo.ts`: other formats are refused)
 *   lendo          stream parse → normalise → triage → blocking keys + content hash → COPY into carga_staging in
 *                  chunks; each chunk is committed together with `carga.linhas_confirmadas` (the resume point)
 *   (end of lendo) one transaction: later rows repeating a key removed (`chavesDuplicadas`, the first row of a key
 *                  wins), the triage of the file counted, rows identical to the loaded ones removed (`inalterados`)
 *   particionando, fundindo, vinculando — each in ONE transaction that also advances `carga.fase`
 *   registrando    staging → linha_carga, staging rows deleted, diagnosis stored, `situacao = 'concluida'`
 *
 * Killed at any point (kill -9), the load is resumed by running it again: committed chunks are skipped, a phase that
 * did not commit runs again from its start. One load runs at a time per database (a session advisory lock, taken on
 * the single connection the whole load uses, so it is released only when that backend has really stopped).
 *
 * Memory is constant: the file is read as a stream (async iteration: the COPY's pace drives the read), rows are
 * written to COPY in small buffers awaiting `drain`, and everything after `lendo` is set-based SQL.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { FonteId } from '../pmcc/politicas.js';
import { relogio } from '../relogio.js';
import { calcularDiagnosticoDaCarga, consultaDoCliente, contarTriagemDaCarga, type DiagnosticoCarga, type EstadoCarga } from './diagnostico.js';
import { FASES, TRAVA_CARGA, type AoProgresso, type CargaEmCurso, type ExecutarFase, type Fase } from './fases.js';
import { fundir } from './fundir.js';
import { formatoDoArquivo, mensagemDeGzip } from './formato-arquivo.js';
import { lerFonte, linhasIlegiveisVazias, type LinhasIlegiveis } from './ler-fonte.js';
import { carregarMapeamento, type MapeamentoFonte } from './mapeamento.js';
import type { RegistroCarga } from './registro.js';
import { chavesDeBloqueio } from './vinculo/chaves.js';
import { particionar } from './vinculo/particionar.js';
import { vincular } from './vinculo/vincular.js';

export interface PedidoCarga {
  /** Mapping name: `<fontesDir>/<fonte>.yaml`. */
  fonte: string;
  arquivo: string;
  /** Directory of the mapping files (default `api/src/carga/fontes`, relative to the working directory). */
  fontesDir?: string;
  /** Who started the load (steward username or `cli:<os user>`). */
  iniciadaPor: string;
  /** When the source observed the values (ISO 8601); default: now, by the domain clock. Ignored on resume. */
  observadoEm?: string;
}

export interface OpcoesCarga {
  aoProgresso?: AoProgresso;
  /** Told once the load is identified: a new one, or one being resumed (and where). */
  aoIniciar?: (info: { cargaId: string; retomada: boolean; fase: Fase; linhasConfirmadas: number }) => void;
  /** Rows per COPY chunk, each its own transaction and resume point (default 50,000). */
  linhasPorLote?: number;
  /**
   * Test hook (kill-and-resume tests): awaited at named points — `lendo:<n>:copiado` (chunk n copied, not committed),
   * `lendo:<n>:confirmado` (chunk n committed), `lendo:fim`, and each later phase's name (its work done, not yet
   * committed). The CLI wires it to LUM_CARGA_PAUSA, which config.ts refuses in production.
   */
  aoPonto?: (ponto: string) => Promise<void>;
}

/** A load that cannot start or go on as asked (pt-BR message for the operator). */
export class ErroCarga extends Error {
  constructor(mensagem: string) {
    super(mensagem);
    this.name = 'ErroCarga';
  }
}

/** The source file itself is unusable (header, CSV syntax, encoding, I/O): resuming it would fail again. */
class ErroArquivo extends ErroCarga {}

const FONTES_PADRAO = 'api/src/carga/fontes';
const NOME_FONTE = /^[a-z][a-z0-9-]{1,39}$/;
const LINHAS_POR_LOTE = 50_000;
const ESPERA_TRAVA = '30s';

/** Phases after `lendo`, each one transaction, in FASES order; `registrando` is this file's own. */
const FASES_TRANSACIONAIS: readonly { fase: Fase; executar: ExecutarFase | null; seguinte: Fase }[] = (
  [['particionando', particionar], ['fundindo', fundir], ['vinculando', vincular], ['registrando', null]] as const
).map(([fase, executar]) => ({ fase, executar, seguinte: FASES[FASES.indexOf(fase) + 1] }));

/** Columns COPY fills, in `linhaCopy` order. */
const COLUNAS_STAGING = [
  'carga_id', 'chave_fonte', 'linha', 'hash', 'triagem', 'motivo', 'cpf_bruto', 'cpf', 'nome', 'nome_chave', 'nome_social', 'nome_mae',
  'nome_mae_chave', 'nome_pai', 'cpf_mae', 'cpf_pai', 'data_nascimento', 'data_obito', 'sexo', 'obito', 'email', 'telefone', 'municipio', 'uf',
  'problemas', 'bloco_nome', 'bloco_mae',
] as const;
/** Every attribute linha_carga keeps (staging's columns but `carga_id`). */
const COLUNAS_LINHA = [
  ...COLUNAS_STAGING.filter((c) => c !== 'carga_id'), 'cpf_de_outra_pessoa', 'identidade_id', 'vinculo', 'pontuacao', 'comparacoes',
] as const;

interface CargaAberta {
  id: string;
  fase: Fase;
  fontePmcc: FonteId;
  linhasConfirmadas: number;
  observadoEm: string;
  iniciadaPor: string;
  estado: EstadoCarga;
}

const estadoInicial = (): EstadoCarga => ({ leitura: { semChave: 0, linhasEmStaging: 0 }, fases: {} });

/**
 * Loads `pedido.arquivo` as source `pedido.fonte`, or resumes the unfinished load of the same source and file
 * content. Returns the load's diagnosis. Throws ErroCarga for what the operator must fix (unknown source, mapping,
 * missing file, another load running, bad file — the load is then marked `falhou`); any other error (database,
 * process) leaves the load resumable.
 */
export async function executarCarga(ds: DataSource, pedido: PedidoCarga, opcoes: OpcoesCarga = {}): Promise<DiagnosticoCarga> {
  if (!NOME_FONTE.test(pedido.fonte)) throw new ErroCarga(`nome de fonte inválido “${pedido.fonte}”: letras minúsculas, dígitos e hífen (ex.: bdc)`);
  const linhasPorLote = opcoes.linhasPorLote ?? LINHAS_POR_LOTE;
  if (!Number.isInteger(linhasPorLote) || linhasPorLote < 1) throw new ErroCarga('linhasPorLote deve ser um inteiro positivo');
  const observadoEm = pedido.observadoEm === undefined ? relogio().agora().toISOString() : lerObservadoEm(pedido.observadoEm);
  const mapa = await lerMapeamento(pedido.fontesDir ?? FONTES_PADRAO, pedido.fonte);
  const arquivo = resolve(pedido.arquivo);
  const resumo = await resumirArquivo(arquivo);

  const pool = (ds.driver as PostgresDriver).master as pg.Pool;
  const cliente = await pool.connect();
  try {
    // A backend whose client died (kill -9) notices within a second even in the middle of a long statement.
    await cliente.query(`SET client_connection_check_interval = '1s'`);
    // No JIT: the phases' statements run once each, and their cost estimates (subplans over the whole base) put them
    // above the JIT thresholds, where compiling took longer than running (1.8 s of a 2.0 s statement, seen in a plan).
    await cliente.query(`SET jit = off`);
    await travar(cliente);
    const carga = await abrirCarga(cliente, mapa, pedido, arquivo, resumo, observadoEm);
    opcoes.aoIniciar?.({ cargaId: carga.id, retomada: carga.retomada, fase: carga.fase, linhasConfirmadas: carga.linhasConfirmadas });
    await conferirStaging(cliente, carga);
    const emCurso: CargaEmCurso = { id: carga.id, mapa, fontePmcc: carga.fontePmcc, observadoEm: carga.observadoEm, iniciadaPor: carga.iniciadaPor };
    if (carga.fase === 'lendo') {
      let ilegiveis: LinhasIlegiveis;
      try {
        ilegiveis = await ler(cliente, carga, mapa, arquivo, resumo.linhas, linhasPorLote, opcoes);
      } catch (e) {
        if (e instanceof ErroArquivo) await marcarFalha(cliente, carga.id, e.message);
        throw e;
      }
      await concluirLeitura(cliente, carga, mapa, ilegiveis, opcoes);
    }
    for (const f of FASES_TRANSACIONAIS) {
      if (carga.fase !== f.fase) continue;
      await emTransacao(cliente, async () => {
        await travarCargaNaFase(cliente, carga.id, f.fase);
        opcoes.aoProgresso?.(f.fase, 0, carga.estado.leitura.linhasEmStaging);
        if (f.executar) {
          const inicio = Date.now();
          // ms_fase: the phase's wall-clock time, for the operator (where a load spends its time); not compared by tests.
          const contagens = { ...(await f.executar(cliente, emCurso, opcoes.aoProgresso)), ms_fase: Date.now() - inicio };
          carga.estado.fases[f.fase] = contagens;
          await cliente.query(
            `UPDATE carga SET fase = $2, diagnostico = jsonb_set(diagnostico, '{fases}', $3::jsonb), atualizada_em = now() WHERE id = $1`,
            [carga.id, f.seguinte, JSON.stringify(carga.estado.fases)],
          );
        } else await registrar(cliente, carga, mapa);
        opcoes.aoProgresso?.(f.fase, carga.estado.leitura.linhasEmStaging, carga.estado.leitura.linhasEmStaging);
        await opcoes.aoPonto?.(f.fase);
      });
      carga.fase = f.seguinte;
    }
    const { rows } = await cliente.query<{ diagnostico: DiagnosticoCarga }>(`SELECT diagnostico FROM carga WHERE id = $1`, [carga.id]);
    return rows[0].diagnostico;
  } finally {
    // The connection carries session settings and the advisory lock: closed, not returned to the pool.
    cliente.release(true);
  }
}

/**
 * Validates an ISO 8601 date (midnight in São Paulo) or date-time with its offset (`2026-11-30`,
 * `2026-11-30T12:00:00-03:00`) and returns the instant (ISO, UTC).
 */
export function lerObservadoEm(texto: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(texto);
  const instante = new Date(iso?.[4] === undefined ? `${texto}T00:00:00-03:00` : texto);
  if (!iso || Number.isNaN(instante.getTime()) || instante.toISOString().slice(0, 10) < '1900') {
    throw new ErroCarga(`data de observação inválida “${texto}”: use uma data ISO 8601 (ex.: 2026-11-30 ou 2026-11-30T12:00:00-03:00)`);
  }
  return instante.toISOString();
}

async function lerMapeamento(dir: string, fonte: string): Promise<MapeamentoFonte> {
  const caminho = join(dir, `${fonte}.yaml`);
  let mapa: MapeamentoFonte;
  try {
    mapa = await carregarMapeamento(caminho);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ErroCarga(`fonte desconhecida “${fonte}”: não há mapeamento ${caminho}`);
    throw new ErroCarga((e as Error).message);
  }
  if (mapa.fonte !== fonte) throw new ErroCarga(`${caminho}: o mapeamento declara fonte “${mapa.fonte}”, mas o arquivo se chama ${fonte}.yaml`);
  return mapa;
}

/**
 * sha256 and size of the file as it is (a gzip file's compressed bytes: the file a resume must find again), and an
 * estimate of its data rows (line breaks − header; of the text inside a gzip file) for the progress bar. A file of a
 * format the load does not read, or a gzip file that is truncated or corrupted, is refused here, before a row is staged.
 */
async function resumirArquivo(caminho: string): Promise<{ sha256: string; bytes: number; linhas: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let quebras = 0;
  let ultimo = 0x0a;
  const medir = new Transform({
    transform(pedaco: Buffer, _codificacao, feito) {
      hash.update(pedaco);
      bytes += pedaco.length;
      feito(null, pedaco);
    },
  });
  const contar = new Writable({
    write(pedaco: Buffer, _codificacao, feito) {
      for (let i = pedaco.indexOf(0x0a); i !== -1; i = pedaco.indexOf(0x0a, i + 1)) quebras += 1;
      ultimo = pedaco[pedaco.length - 1] ?? ultimo;
      feito();
    },
  });
  try {
    const formato = await formatoDoArquivo(caminho);
    if (formato.tipo === 'recusado') throw new ErroCarga(`${caminho} ${formato.motivo}`);
    await pipeline([createReadStream(caminho), medir, ...(formato.tipo === 'gzip' ? [createGunzip()] : []), contar]);
  } catch (e) {
    if (e instanceof ErroCarga) throw e;
    const codigo = (e as NodeJS.ErrnoException).code;
    if (codigo === 'ENOENT') throw new ErroCarga(`arquivo não encontrado: ${caminho}`);
    if (codigo === 'EISDIR') throw new ErroCarga(`${caminho} é um diretório, não um arquivo`);
    const gzip = mensagemDeGzip(e);
    if (gzip !== null) throw new ErroCarga(`${caminho}: ${gzip}`);
    throw new ErroCarga(`não foi possível ler ${caminho}: ${(e as Error).message}`);
  }
  const linhas = Math.max(0, quebras + (ultimo === 0x0a ? 0 : 1) - 1);
  return { sha256: hash.digest('hex'), bytes, linhas };
}

async function travar(cliente: pg.PoolClient): Promise<void> {
  const { rows } = await cliente.query<{ existe: boolean }>(`SELECT to_regclass('carga') IS NOT NULL AND to_regclass('carga_staging') IS NOT NULL AS existe`);
  if (!rows[0]?.existe) throw new ErroCarga('o banco não tem as tabelas da carga em lote: aplique as migrações (npm run migration:run, ou npm start)');
  await cliente.query(`SET lock_timeout = '${ESPERA_TRAVA}'`);
  try {
    await cliente.query(`SELECT pg_advisory_lock($1)`, [TRAVA_CARGA]);
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') throw new ErroCarga(`outra carga está em execução neste banco (esperei ${ESPERA_TRAVA}); as cargas rodam uma de cada vez`);
    throw e;
  } finally {
    await cliente.query(`SET lock_timeout = 0`);
  }
}

async function emTransacao<T>(cliente: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await cliente.query('BEGIN');
  try {
    const r = await fn();
    await cliente.query('COMMIT');
    return r;
  } catch (e) {
    await cliente.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

async function travarCargaNaFase(cliente: pg.PoolClient, cargaId: string, fase: Fase): Promise<void> {
  const { rows } = await cliente.query<{ fase: Fase; situacao: string }>(`SELECT fase, situacao FROM carga WHERE id = $1 FOR UPDATE`, [cargaId]);
  if (rows[0]?.fase !== fase || rows[0].situacao !== 'em-andamento') throw new Error(`carga ${cargaId}: esperava a fase ${fase} em andamento, encontrei ${rows[0]?.fase}/${rows[0]?.situacao}`);
}

/** The unfinished load of this source and file content, or a new one. */
async function abrirCarga(
  cliente: pg.PoolClient, mapa: MapeamentoFonte, pedido: PedidoCarga, arquivo: string, resumo: { sha256: string; bytes: number }, observadoEm: string,
): Promise<CargaAberta & { retomada: boolean }> {
  type Linha = { id: string; fase: Fase; fonte_pmcc: string; linhas_confirmadas: string; observado_em: Date; iniciada_por: string; diagnostico: EstadoCarga | null };
  const colunas = `id::text AS id, fase, fonte_pmcc, linhas_confirmadas::text AS linhas_confirmadas, observado_em, iniciada_por, diagnostico`;
  const existente = await cliente.query<Linha>(`SELECT ${colunas} FROM carga WHERE fonte = $1 AND arquivo_sha256 = $2 AND situacao = 'em-andamento'`, [mapa.fonte, resumo.sha256]);
  let linha = existente.rows[0];
  const retomada = linha !== undefined;
  linha ??= (
    await cliente.query<Linha>(
      `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por, diagnostico, cpf_do_responsavel)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${colunas}`,
      [mapa.fonte, mapa.pmcc, mapa.cmbd.sigla, mapa.cmbd.fonteCarga, arquivo, resumo.sha256, resumo.bytes, observadoEm, pedido.iniciadaPor, JSON.stringify(estadoInicial()), mapa.cpfDoResponsavel],
    )
  ).rows[0];
  return {
    id: linha.id, fase: linha.fase, fontePmcc: linha.fonte_pmcc as FonteId, linhasConfirmadas: Number(linha.linhas_confirmadas),
    observadoEm: new Date(linha.observado_em).toISOString(), iniciadaPor: linha.iniciada_por, estado: linha.diagnostico ?? estadoInicial(), retomada,
  };
}

/**
 * On resume: staging must hold exactly the rows the load committed. Fewer means PostgreSQL lost the unlogged table
 * (crash recovery empties it): the load starts again from the first row of the file.
 */
async function conferirStaging(cliente: pg.PoolClient, carga: CargaAberta): Promise<void> {
  const { rows } = await cliente.query<{ n: string }>(`SELECT count(*) AS n FROM carga_staging WHERE carga_id = $1`, [carga.id]);
  if (Number(rows[0].n) === carga.estado.leitura.linhasEmStaging) return;
  carga.estado = estadoInicial();
  carga.fase = 'lendo';
  carga.linhasConfirmadas = 0;
  await emTransacao(cliente, async () => {
    await cliente.query(`DELETE FROM carga_staging WHERE carga_id = $1`, [carga.id]);
    await cliente.query(`UPDATE carga SET fase = 'lendo', linhas_confirmadas = 0, modelo_vinculo = NULL, diagnostico = $2, atualizada_em = now() WHERE id = $1`, [carga.id, JSON.stringify(carga.estado)]);
  });
}

async function marcarFalha(cliente: pg.PoolClient, cargaId: string, erro: string): Promise<void> {
  await emTransacao(cliente, async () => {
    await cliente.query(`DELETE FROM carga_staging WHERE carga_id = $1`, [cargaId]);
    await cliente.query(`UPDATE carga SET situacao = 'falhou', erro = $2, atualizada_em = now() WHERE id = $1`, [cargaId, erro]);
  });
}

// ---- lendo ----

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** A value in COPY's text format. */
function copia(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : v;
}

/**
 * One staging row in COPY text format. `hash` covers every normalised value and the blocking keys but not the row
 * number: a row whose content is unchanged since the last load of its key is recognised wherever it sits in the file.
 */
function linhaCopy(cargaId: string, r: RegistroCarga & { chave: string }): string {
  const t = r.triagem;
  const { blocoNome, blocoMae } = chavesDeBloqueio(r);
  const problemas = r.problemas.length === 0 ? null : JSON.stringify(r.problemas);
  const valores = [
    r.chave, t.categoria, t.categoria === 'cpf-invalido' ? t.motivo : null, r.cpfBruto, t.categoria === 'base-unica' ? t.cpf : null, r.nome, r.nomeChave,
    r.nomeSocial, r.nomeMae, r.nomeMaeChave, r.nomePai, r.cpfMae, r.cpfPai, r.dataNascimento, r.dataObito, r.sexo, r.obito, r.email, r.telefone,
    r.municipio, r.uf, problemas, blocoNome, blocoMae,
  ] as const;
  const hash = createHash('md5').update(JSON.stringify(valores)).digest('base64');
  const [chave, ...resto] = valores;
  return `${cargaId}\t${copia(chave)}\t${r.linha}\t${hash}\t${resto.map(copia).join('\t')}\n`;
}

const TAMANHO_BUFFER = 256 * 1024;
const PROGRESSO_A_CADA = 5000;

async function ler(
  cliente: pg.PoolClient, carga: CargaAberta, mapa: MapeamentoFonte, arquivo: string, totalEstimado: number, linhasPorLote: number, opcoes: OpcoesCarga,
): Promise<LinhasIlegiveis> {
  // Counted over the whole file on every read (a resumed read parses the committed rows again).
  const ilegiveis = linhasIlegiveisVazias();
  const registros = lerFonte(mapa, arquivo, ilegiveis)[Symbol.asyncIterator]();
  try {
    await copiar(registros, cliente, carga, arquivo, totalEstimado, linhasPorLote, opcoes);
    return ilegiveis;
  } finally {
    // Stopped early (an error): closes the reader and its file.
    await registros.return?.(undefined).catch(() => undefined);
  }
}

async function copiar(
  registros: AsyncIterator<RegistroCarga>, cliente: pg.PoolClient, carga: CargaAberta, arquivo: string, totalEstimado: number, linhasPorLote: number,
  opcoes: OpcoesCarga,
): Promise<void> {
  const proximo = async (): Promise<IteratorResult<RegistroCarga>> => {
    try {
      return await registros.next();
    } catch (e) {
      const m = (e as Error).message;
      throw new ErroArquivo(m.startsWith(arquivo) ? m : `${arquivo}: arquivo ilegível perto da linha ${lidas + 1} (${m})`);
    }
  };
  const progresso = (lidas: number) => opcoes.aoProgresso?.('lendo', lidas, Math.max(totalEstimado, lidas));
  let lidas = 0;
  // Resume: the committed rows are read again (the parse is the only way to find where they end) but not staged.
  while (lidas < carga.linhasConfirmadas) {
    const r = await proximo();
    if (r.done) throw new ErroArquivo(`${arquivo}: o arquivo terminou na linha ${lidas}, antes das ${carga.linhasConfirmadas} linhas já confirmadas desta carga`);
    lidas += 1;
    if (lidas % PROGRESSO_A_CADA === 0) progresso(lidas);
  }
  progresso(lidas);
  let lote = Math.ceil(carga.linhasConfirmadas / linhasPorLote);
  for (let r = await proximo(); !r.done; r = await proximo()) {
    lote += 1;
    let semChave = 0;
    let emStaging = 0;
    await emTransacao(cliente, async () => {
      const copy = cliente.query(copyFrom(`COPY carga_staging (${COLUNAS_STAGING.join(', ')}) FROM STDIN`));
      const fim = finished(copy);
      fim.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
      try {
        let buffer = '';
        let noLote = 0;
        for (;;) {
          const reg = r.value as RegistroCarga;
          lidas += 1;
          noLote += 1;
          if (reg.chave === null) semChave += 1;
          else {
            buffer += linhaCopy(carga.id, reg as RegistroCarga & { chave: string });
            emStaging += 1;
            if (buffer.length >= TAMANHO_BUFFER) {
              if (!copy.write(buffer)) await once(copy, 'drain');
              buffer = '';
            }
          }
          if (lidas % PROGRESSO_A_CADA === 0) progresso(lidas);
          if (noLote >= linhasPorLote) break;
          r = await proximo();
          if (r.done) break;
        }
        if (buffer !== '') copy.write(buffer);
        copy.end();
        await fim;
      } catch (e) {
        copy.destroy(); // CopyFail: the server rolls the COPY back
        await fim.catch(() => undefined);
        throw e;
      }
      await opcoes.aoPonto?.(`lendo:${lote}:copiado`);
      const leitura = { ...carga.estado.leitura, semChave: carga.estado.leitura.semChave + semChave, linhasEmStaging: carga.estado.leitura.linhasEmStaging + emStaging };
      await cliente.query(
        `UPDATE carga SET linhas_confirmadas = $2, diagnostico = jsonb_set(diagnostico, '{leitura}', $3::jsonb), atualizada_em = now() WHERE id = $1`,
        [carga.id, lidas, JSON.stringify(leitura)],
      );
      carga.estado.leitura = leitura;
    });
    carga.linhasConfirmadas = lidas;
    progresso(lidas);
    await opcoes.aoPonto?.(`lendo:${lote}:confirmado`);
  }
}

/** End of `lendo`, one transaction: duplicate keys, the file's triage, unchanged rows; then `particionando`. */
async function concluirLeitura(cliente: pg.PoolClient, carga: CargaAberta, mapa: MapeamentoFonte, ilegiveis: LinhasIlegiveis, opcoes: OpcoesCarga): Promise<void> {
  await emTransacao(cliente, async () => {
    await travarCargaNaFase(cliente, carga.id, 'lendo');
    const duplicadas = await cliente.query(
      `DELETE FROM carga_staging s USING (
         SELECT ctid AS linha_ctid FROM (
           SELECT ctid, row_number() OVER (PARTITION BY chave_fonte ORDER BY linha) AS ordem FROM carga_staging WHERE carga_id = $1
         ) x WHERE ordem > 1
       ) d
       WHERE s.carga_id = $1 AND s.ctid = d.linha_ctid`,
      [carga.id],
    );
    const triagem = await contarTriagemDaCarga(cliente, carga.id);
    const inalterados = await cliente.query(
      `DELETE FROM carga_staging s USING linha_carga l
        WHERE s.carga_id = $1 AND l.fonte = $2 AND l.chave_fonte = s.chave_fonte AND l.hash = s.hash`,
      [carga.id, mapa.fonte],
    );
    const l = carga.estado.leitura;
    const chavesDuplicadas = duplicadas.rowCount ?? 0;
    const leitura = {
      ...l, chavesDuplicadas, inalterados: inalterados.rowCount ?? 0, triagem, linhasEmStaging: l.linhasEmStaging - chavesDuplicadas - (inalterados.rowCount ?? 0),
      linhasIlegiveis: ilegiveis,
    };
    await cliente.query(
      `UPDATE carga SET fase = 'particionando', diagnostico = jsonb_set(diagnostico, '{leitura}', $2::jsonb), atualizada_em = now() WHERE id = $1`,
      [carga.id, JSON.stringify(leitura)],
    );
    await opcoes.aoPonto?.('lendo:fim');
    carga.estado.leitura = leitura;
  });
  carga.fase = 'particionando';
}

// ---- registrando ----

/**
 * Phase `registrando` (inside the orchestrator's transaction): every staged row must be assigned; a row a steward
 * decided (`linha_carga.vinculo = 'gestor'`) keeps its identity; staging → linha_carga; the diagnosis is computed and
 * stored, staging rows deleted, the load `concluida`.
 */
async function registrar(cliente: pg.PoolClient, carga: CargaAberta, mapa: MapeamentoFonte): Promise<void> {
  const { rows: soltas } = await cliente.query<{ n: string }>(
    `SELECT count(*) AS n FROM carga_staging
      WHERE carga_id = $1 AND (vinculo IS NULL OR (identidade_id IS NULL) <> (vinculo = 'quarentena'))`,
    [carga.id],
  );
  if (Number(soltas[0].n) > 0) throw new Error(`carga ${carga.id}: ${soltas[0].n} linha(s) sem vínculo válido ao fim de vinculando`);
  const gestor = await cliente.query(
    `UPDATE carga_staging s SET identidade_id = l.identidade_id, vinculo = 'gestor', pontuacao = l.pontuacao, comparacoes = l.comparacoes
       FROM linha_carga l
      WHERE s.carga_id = $1 AND l.fonte = $2 AND l.chave_fonte = s.chave_fonte AND l.vinculo = 'gestor'`,
    [carga.id, mapa.fonte],
  );
  // Rows already loaded are updated, new ones inserted: two set-based statements (a plain INSERT is cheaper than
  // INSERT … ON CONFLICT's speculative insertion, and a first load inserts everything).
  const atualizadas = await cliente.query(
    `UPDATE linha_carga l SET carga_id = s.carga_id, ${COLUNAS_LINHA.filter((c) => c !== 'chave_fonte').map((c) => `${c} = s.${c}`).join(', ')}
       FROM carga_staging s
      WHERE s.carga_id = $1 AND l.fonte = $2 AND l.chave_fonte = s.chave_fonte`,
    [carga.id, mapa.fonte],
  );
  const inseridas = await cliente.query(
    `INSERT INTO linha_carga (fonte, carga_id, ${COLUNAS_LINHA.join(', ')})
     SELECT $2, carga_id, ${COLUNAS_LINHA.join(', ')} FROM carga_staging s
      WHERE s.carga_id = $1 AND NOT EXISTS (SELECT 1 FROM linha_carga l WHERE l.fonte = $2 AND l.chave_fonte = s.chave_fonte)`,
    [carga.id, mapa.fonte],
  );
  carga.estado.fases.registrando = { linhasNovas: inseridas.rowCount ?? 0, linhasAtualizadas: atualizadas.rowCount ?? 0, mantidasPeloGestor: gestor.rowCount ?? 0 };
  await cliente.query(`UPDATE carga SET diagnostico = jsonb_set(diagnostico, '{fases}', $2::jsonb) WHERE id = $1`, [carga.id, JSON.stringify(carga.estado.fases)]);
  const diagnostico = await calcularDiagnosticoDaCarga(consultaDoCliente(cliente), carga.id);
  // Staging holds only this load's rows unless another load was abandoned unfinished: TRUNCATE (transactional in
  // PostgreSQL) then gives the space back at once instead of leaving dead rows for autovacuum.
  const { rows: outras } = await cliente.query<{ existe: boolean }>(`SELECT EXISTS (SELECT 1 FROM carga_staging WHERE carga_id <> $1) AS existe`, [carga.id]);
  if (outras[0]?.existe) await cliente.query(`DELETE FROM carga_staging WHERE carga_id = $1`, [carga.id]);
  else await cliente.query(`TRUNCATE carga_staging`);
  const { rows } = await cliente.query<{ concluida_em: Date }>(
    `UPDATE carga SET situacao = 'concluida', fase = 'concluida', concluida_em = now(), atualizada_em = now() WHERE id = $1 RETURNING concluida_em`,
    [carga.id],
  );
  diagnostico.carga = { ...diagnostico.carga, situacao: 'concluida', fase: 'concluida', concluidaEm: new Date(rows[0].concluida_em).toISOString() };
  await cliente.query(`UPDATE carga SET diagnostico = $2 WHERE id = $1`, [carga.id, JSON.stringify(diagnostico)]);
}
