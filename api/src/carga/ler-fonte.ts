/**
 * Streams a source file through its mapping: file → decode (iconv-lite for Latin-1) → csv-parse → map/normalise/
 * triage, one record at a time. Memory does not grow with the file: nothing is kept between rows, and the
 * consumer's pace drives the read (async iteration applies back-pressure to the file stream).
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import type { MapeamentoFonte } from './mapeamento.js';
import { colunasNecessarias, criarMapeador, type RegistroCarga } from './registro.js';

class ErroArquivoFonte extends Error {
  constructor(mensagem: string) {
    super(mensagem);
    this.name = 'ErroArquivoFonte';
  }
}

/**
 * Rows with more or fewer fields than the header (a truncated export, a delimiter inside an unquoted value): not
 * loaded, counted, and the first `EXEMPLOS_ILEGIVEIS` located by their line in the file (1 = the header), so an
 * operator can open them. A file where they are more than `LIMITE_ILEGIVEIS` of the data rows, and at least
 * `MINIMO_ILEGIVEIS`, is refused instead: a wrong delimiter or a changed layout, not a few broken lines.
 */
export interface LinhasIlegiveis {
  total: number;
  linhasDoArquivo: number[];
}
export const EXEMPLOS_ILEGIVEIS = 20;
export const LIMITE_ILEGIVEIS = 0.01;
export const MINIMO_ILEGIVEIS = 100;

export const linhasIlegiveisVazias = (): LinhasIlegiveis => ({ total: 0, linhasDoArquivo: [] });

/**
 * The file's rows, mapped. `ilegiveis` receives the rows skipped for a wrong number of fields (counted over the whole
 * file on every read, resumed or not). Any other syntax error (a quote opened and never closed, a quote inside an
 * unquoted field) fails the read: what follows it cannot be trusted.
 */
export async function* lerFonte(mapa: MapeamentoFonte, caminho: string, ilegiveis: LinhasIlegiveis = linhasIlegiveisVazias()): AsyncGenerator<RegistroCarga> {
  const mapear = criarMapeador(mapa);
  const necessarias = colunasNecessarias(mapa);
  // Rows skipped, by how many rows the parser had accepted before each: keeps `linha` (the data row number) exact.
  const puladas: number[] = [];
  const parser = parse({
    delimiter: mapa.arquivo.delimitador,
    quote: mapa.arquivo.aspas ?? false,
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false,
    skip_records_with_error: true,
    on_skip: (erro: CsvError | undefined) => {
      // A record that spans lines holds a quote that swallowed line breaks: fatal, like every other syntax error.
      const campos = erro?.record as string[] | undefined;
      if (erro?.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS' || campos === undefined || campos.some((c) => /[\r\n]/.test(c))) throw erro ?? new Error('registro ilegível');
      ilegiveis.total += 1;
      if (ilegiveis.linhasDoArquivo.length < EXEMPLOS_ILEGIVEIS) ilegiveis.linhasDoArquivo.push(Number(erro.lines));
      puladas.push(Number(erro.records));
    },
    columns: (cabecalho: string[]) => {
      const presentes = new Set(cabecalho.map((h) => h.trim()));
      const faltam = necessarias.filter((c) => !presentes.has(c));
      if (faltam.length > 0) throw new ErroArquivoFonte(`${caminho}: o cabeçalho não tem a(s) coluna(s) ${faltam.map((c) => `“${c}”`).join(', ')} exigida(s) pelo mapeamento da fonte ${mapa.fonte}`);
      return cabecalho.map((h) => h.trim());
    },
  });
  // pipeline destroys every stage on a failure; the error then surfaces in the loop below.
  const ignorar = () => undefined;
  if (mapa.arquivo.codificacao === 'latin1') pipeline(createReadStream(caminho), iconv.decodeStream('latin1'), parser, ignorar);
  else pipeline(createReadStream(caminho), parser, ignorar);
  let n = 0;
  let aceitas = 0;
  let proximaPulada = 0;
  for await (const linha of parser as AsyncIterable<Record<string, string>>) {
    while (proximaPulada < puladas.length && puladas[proximaPulada] <= aceitas) {
      proximaPulada += 1;
      n += 1;
    }
    if (proximaPulada > 0) {
      puladas.splice(0, proximaPulada);
      proximaPulada = 0;
    }
    aceitas += 1;
    n += 1;
    yield mapear(linha, n);
  }
  const linhas = aceitas + ilegiveis.total;
  if (ilegiveis.total >= MINIMO_ILEGIVEIS && ilegiveis.total > LIMITE_ILEGIVEIS * linhas) {
    throw new ErroArquivoFonte(
      `${caminho}: ${ilegiveis.total} das ${linhas} linhas de dados têm um número de colunas diferente do cabeçalho (a primeira na linha ${ilegiveis.linhasDoArquivo[0]} do arquivo), mais de ${LIMITE_ILEGIVEIS * 100} %: confira o delimitador e as aspas do mapeamento da fonte ${mapa.fonte}`,
    );
  }
}
