/**
 * Streams a source file through its mapping: file → gunzip when the file is gzip (`formato-arquivo.ts`; files of other
 * formats are refused) → decode (iconv-lite for Latin-1 and Windows-1252) → csv-parse → map/normalise/triage, one
 * record at a time. Memory does not grow with the file: nothing is kept between rows, and the
 * consumer's pace drives the read (async iteration applies back-pressure to the file stream).
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { formatoDoArquivo, mensagemDeGzip } from './formato-arquivo.js';
import type { Codificacao, MapeamentoFonte } from './mapeamento.js';
import { colunasNecessarias, criarMapeador, type RegistroCarga } from './registro.js';

class ErroArquivoFonte extends Error {
  constructor(mensagem: string) {
    super(mensagem);
    this.name = 'ErroArquivoFonte';
  }
}

/**
 * Rows that cannot be read as the mapping says, skipped and counted instead of failing the whole load:
 * - `colunas`: more or fewer fields than the header (a truncated export, a delimiter inside an unquoted value);
 * - `codificacao`: bytes the declared encoding does not read as text — not UTF-8 in a UTF-8 source (a row written in
 *   Latin-1 or Windows-1252: loading it would put replacement characters, JOS� CONCEI��O, into the master record);
 *   control characters 0x80–0x9F in a Latin-1 source (Windows-1252's ’ “ ” –: declare `windows-1252`); the five
 *   bytes Windows-1252 leaves undefined; UTF-8 read as single bytes (JOSÃ© for JOSÉ) in a Latin-1 or Windows-1252
 *   source.
 * The first `EXEMPLOS_ILEGIVEIS` are located by their data row number (`linha`, as everywhere in the load: 1 = the
 * first row after the header). A file where they are more than `LIMITE_ILEGIVEIS` of the data rows, and at least
 * `MINIMO_ILEGIVEIS`, is refused instead — a wrong delimiter, encoding or layout, not a few broken rows: as soon as
 * the first `AMOSTRA_ILEGIVEIS` data rows show it, or at the end of the file.
 */
export const MOTIVOS_ILEGIVEL = ['colunas', 'codificacao'] as const;
export type MotivoIlegivel = (typeof MOTIVOS_ILEGIVEL)[number];
export interface LinhasIlegiveis {
  total: number;
  porMotivo: Record<MotivoIlegivel, number>;
  primeiras: { linha: number; motivo: MotivoIlegivel }[];
}
const EXEMPLOS_ILEGIVEIS = 20;
const LIMITE_ILEGIVEIS = 0.01;
const MINIMO_ILEGIVEIS = 100;
const AMOSTRA_ILEGIVEIS = 10_000;
/** Longest record read (bytes): a person's row is a few hundred. */
const TAMANHO_MAXIMO_REGISTRO = 1024 * 1024;

export const linhasIlegiveisVazias = (): LinhasIlegiveis => ({ total: 0, porMotivo: { colunas: 0, codificacao: 0 }, primeiras: [] });

/**
 * What a row must not hold once decoded. U+FFFD is the decoders' mark of bytes they could not read. In Latin-1, the C1
 * controls are what Windows-1252's punctuation becomes. In both single-byte encodings, Ã or Â followed by what the
 * bytes 0x80–0xBF read as is UTF-8 read as single bytes (é → Ã©, ç → Ã§, ê → Ãª): no name or address holds it.
 */
const UTF8_LIDO_COMO_BYTE = '[ÂÃ][\u00A0-\u00BF';
const INVALIDO: Record<Codificacao, RegExp> = {
  'utf-8': /\uFFFD/,
  latin1: new RegExp(`[\u0080-\u009F]|${UTF8_LIDO_COMO_BYTE}]`),
  'windows-1252': new RegExp(`\uFFFD|${UTF8_LIDO_COMO_BYTE}\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]`),
};

const DESCRICAO_MOTIVO: Record<MotivoIlegivel, string> = { colunas: 'com número de colunas diferente do cabeçalho', codificacao: 'com bytes que a codificação declarada não lê' };

/**
 * The file's rows, mapped. `ilegiveis` receives the rows skipped (counted over the whole file on every read, resumed
 * or not). Any other syntax error (a quote opened and never closed, a quote inside an unquoted field, a short row
 * spanning lines) fails the read: what follows it cannot be trusted.
 */
export async function* lerFonte(mapa: MapeamentoFonte, caminho: string, ilegiveis: LinhasIlegiveis = linhasIlegiveisVazias()): AsyncGenerator<RegistroCarga> {
  const formato = await formatoDoArquivo(caminho);
  if (formato.tipo === 'recusado') throw new ErroArquivoFonte(`${caminho} ${formato.motivo}`);
  const mapear = criarMapeador(mapa);
  const necessarias = colunasNecessarias(mapa);
  const codificacao = mapa.arquivo.codificacao;
  const invalido = INVALIDO[codificacao];
  // Rows with another number of fields, by how many rows the parser had accepted before each: placed in file order.
  const puladas: number[] = [];
  const parser = parse({
    delimiter: mapa.arquivo.delimitador,
    quote: mapa.arquivo.aspas ?? false,
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false,
    skip_records_with_error: true,
    // A quote opened and never closed would otherwise take the rest of the file into one field, in memory.
    max_record_size: TAMANHO_MAXIMO_REGISTRO,
    on_skip: (erro: CsvError | undefined) => {
      // A record that spans lines holds a quote that swallowed line breaks: fatal, like every other syntax error.
      const campos = erro?.record as string[] | undefined;
      if (erro?.code === 'CSV_MAX_RECORD_SIZE') {
        throw new ErroArquivoFonte(
          `${caminho}: um registro passa de ${TAMANHO_MAXIMO_REGISTRO / 1024 / 1024} MiB perto da linha ${Number(erro.lines)} do arquivo — uma aspa aberta e nunca fechada? Confira as aspas do mapeamento da fonte ${mapa.fonte}`,
        );
      }
      if (erro?.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS' || campos === undefined || campos.some((c) => /[\r\n]/.test(c))) throw erro ?? new Error('registro ilegível');
      puladas.push(Number(erro.records));
    },
    columns: (cabecalho: string[]) => {
      const nomes = cabecalho.map((h) => h.trim());
      // The header is read with the declared encoding too: say so when it shows the encoding is another.
      if (codificacao !== 'utf-8' && nomes[0]?.startsWith('\u00EF\u00BB\u00BF')) {
        throw new ErroArquivoFonte(`${caminho}: o arquivo começa com a marca (BOM) do UTF-8, mas o mapeamento da fonte ${mapa.fonte} declara ${codificacao}: confira a codificação`);
      }
      if (nomes.some((h) => invalido.test(h))) {
        throw new ErroArquivoFonte(`${caminho}: o cabeçalho tem bytes que a codificação ${codificacao}, declarada no mapeamento da fonte ${mapa.fonte}, não lê: confira a codificação`);
      }
      const presentes = new Set(nomes);
      const faltam = necessarias.filter((c) => !presentes.has(c));
      if (faltam.length > 0) throw new ErroArquivoFonte(`${caminho}: o cabeçalho não tem a(s) coluna(s) ${faltam.map((c) => `“${c}”`).join(', ')} exigida(s) pelo mapeamento da fonte ${mapa.fonte}`);
      // Two columns of one name: which one the mapping means cannot be known (the person's CPF or the guardian's?).
      const repetidas = necessarias.filter((c) => nomes.indexOf(c) !== nomes.lastIndexOf(c));
      if (repetidas.length > 0) throw new ErroArquivoFonte(`${caminho}: o cabeçalho repete a(s) coluna(s) ${repetidas.map((c) => `“${c}”`).join(', ')} usada(s) pelo mapeamento da fonte ${mapa.fonte}`);
      return nomes;
    },
  });
  // pipeline destroys every stage on a failure; the error then surfaces in the loop below.
  const etapas: NodeJS.ReadWriteStream[] = [];
  if (formato.tipo === 'gzip') etapas.push(createGunzip());
  if (codificacao !== 'utf-8') etapas.push(iconv.decodeStream(codificacao));
  pipeline([createReadStream(caminho), ...etapas, parser], () => undefined);
  let n = 0;
  let aceitas = 0;
  const ilegivel = (motivo: MotivoIlegivel) => {
    n += 1;
    ilegiveis.total += 1;
    ilegiveis.porMotivo[motivo] += 1;
    if (ilegiveis.primeiras.length < EXEMPLOS_ILEGIVEIS) ilegiveis.primeiras.push({ linha: n, motivo });
    if (n === AMOSTRA_ILEGIVEIS) conferirLimite(ilegiveis, n, false, caminho, mapa.fonte);
  };
  try {
    for await (const linha of parser as AsyncIterable<Record<string, string>>) {
      while (puladas.length > 0 && puladas[0] <= aceitas) {
        puladas.shift();
        ilegivel('colunas');
      }
      aceitas += 1;
      if (ilegivelNaCodificacao(linha, invalido)) {
        ilegivel('codificacao');
        continue;
      }
      n += 1;
      if (n === AMOSTRA_ILEGIVEIS) conferirLimite(ilegiveis, n, false, caminho, mapa.fonte);
      yield mapear(linha, n);
    }
  } catch (e) {
    // A gzip stream that fails (truncated, corrupted) surfaces here, from the parser the pipeline destroyed.
    const gzip = mensagemDeGzip(e);
    throw gzip === null ? e : new ErroArquivoFonte(`${caminho}: ${gzip}`);
  }
  for (const _p of puladas) ilegivel('colunas');
  conferirLimite(ilegiveis, n, true, caminho, mapa.fonte);
}

function ilegivelNaCodificacao(linha: Record<string, string>, invalido: RegExp): boolean {
  for (const k in linha) if (invalido.test(linha[k])) return true;
  return false;
}

function conferirLimite(ilegiveis: LinhasIlegiveis, linhas: number, fim: boolean, caminho: string, fonte: string): void {
  if (ilegiveis.total < MINIMO_ILEGIVEIS || ilegiveis.total <= LIMITE_ILEGIVEIS * linhas) return;
  const partes = MOTIVOS_ILEGIVEL.filter((m) => ilegiveis.porMotivo[m] > 0).map((m) => `${ilegiveis.porMotivo[m]} ${DESCRICAO_MOTIVO[m]}`);
  throw new ErroArquivoFonte(
    `${caminho}: ${ilegiveis.total} das ${linhas}${fim ? '' : ' primeiras'} linhas de dados são ilegíveis (${partes.join('; ')}; a primeira é a linha ${ilegiveis.primeiras[0]?.linha}), mais de ${LIMITE_ILEGIVEIS * 100} %: confira o delimitador, as aspas e a codificação do mapeamento da fonte ${fonte}`,
  );
}
