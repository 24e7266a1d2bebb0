/**
 * Streams a source file through its mapping: file → decode (iconv-lite for Latin-1) → csv-parse → map/normalise/
 * triage, one record at a time. Memory does not grow with the file: nothing is kept between rows, and the
 * consumer's pace drives the read (async iteration applies back-pressure to the file stream).
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { MapeamentoFonte } from './mapeamento.js';
import { colunasNecessarias, criarMapeador, type RegistroCarga } from './registro.js';

class ErroArquivoFonte extends Error {
  constructor(mensagem: string) {
    super(mensagem);
    this.name = 'ErroArquivoFonte';
  }
}

export async function* lerFonte(mapa: MapeamentoFonte, caminho: string): AsyncGenerator<RegistroCarga> {
  const mapear = criarMapeador(mapa);
  const necessarias = colunasNecessarias(mapa);
  const parser = parse({
    delimiter: mapa.arquivo.delimitador,
    quote: mapa.arquivo.aspas ?? false,
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false,
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
  for await (const linha of parser as AsyncIterable<Record<string, string>>) {
    n += 1;
    yield mapear(linha, n);
  }
}
