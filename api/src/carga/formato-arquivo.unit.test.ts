/**
 * What a source file is, from its first bytes. The signatures below are written from the formats' specifications
 * (RFC 1952 for gzip, PKWARE's APPNOTE for ZIP, the OLE2 compound file header, bzip2, xz, zstd, 7-Zip, RAR, PDF,
 * POSIX ustar, the UTF-16 byte order marks), not read from the module.
 */
import { describe, expect, it } from '@jest/globals';
import { formatoDoInicio } from './formato-arquivo.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const texto = (s: string, codificacao: BufferEncoding = 'utf8') => Uint8Array.from(Buffer.from(s, codificacao));
/** A POSIX tar header: the member's name at 0, `ustar` at 257. */
function tar(): Uint8Array {
  const b = Buffer.alloc(512);
  b.write('fazenda.csv', 0, 'ascii');
  b.write('ustar\u000000', 257, 'ascii');
  return Uint8Array.from(b);
}

describe('formatoDoInicio', () => {
  it.each([
    ['a UTF-8 CSV header', texto('INSCRICAO;CPF_CNPJ;NOME_CONTRIBUINTE\r\n')],
    ['a UTF-8 CSV with its byte order mark', texto('\uFEFFcd_aluno,nm_aluno\n')],
    ['a Latin-1 TXT with accents', texto('CD_PACIENTE|NO_PACIENTE\n1|JOSÉ CONCEIÇÃO\n', 'latin1')],
    ['an empty file', bytes()],
  ])('%s is text', (_nome, inicio) => {
    expect(formatoDoInicio(inicio)).toEqual({ tipo: 'texto' });
  });

  it('gzip (1F 8B) is read through gunzip', () => {
    expect(formatoDoInicio(bytes(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03))).toEqual({ tipo: 'gzip' });
  });

  it.each([
    ['a ZIP (and so an .xlsx)', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), 'é um arquivo ZIP (ou uma planilha .xlsx/.ods, que são ZIP)'],
    ['an empty ZIP', bytes(0x50, 0x4b, 0x05, 0x06, 0, 0), 'é um arquivo ZIP vazio'],
    ['an old Excel .xls', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), 'é uma planilha do Excel no formato antigo (.xls)'],
    ['bzip2', texto('BZh91AY&SY'), 'está compactado com bzip2'],
    ['xz', bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00), 'está compactado com xz'],
    ['zstd', bytes(0x28, 0xb5, 0x2f, 0xfd, 0x04), 'está compactado com zstd'],
    ['7-Zip', bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00), 'é um arquivo 7-Zip'],
    ['RAR', texto('Rar!\u001a\u0007\u0000'), 'é um arquivo RAR'],
    ['a PDF', texto('%PDF-1.7\n'), 'é um PDF'],
    ['a TAR', tar(), 'é um arquivo TAR'],
    ['UTF-16 little-endian (Excel’s “Texto Unicode”)', texto('\uFEFFID\tNOME\r\n', 'utf16le'), 'está em UTF-16 (o “Texto Unicode” do Excel)'],
    ['UTF-16 big-endian', bytes(0xfe, 0xff, 0x00, 0x49, 0x00, 0x44), 'está em UTF-16 (big-endian)'],
    ['binary content (a NUL byte)', texto('ID;NOME\n1;A\u0000B\n'), 'tem bytes nulos (conteúdo binário, não texto)'],
  ])('%s is refused, saying what it is and what the load reads', (_nome, inicio, motivo) => {
    const f = formatoDoInicio(inicio);
    expect(f.tipo).toBe('recusado');
    expect(f.tipo === 'recusado' ? f.motivo : '').toContain(motivo);
    expect(f.tipo === 'recusado' ? f.motivo : '').toContain('a carga lê texto delimitado (CSV, TXT, TSV)');
  });
});
