/**
 * What a source file is, from its first bytes: delimited text (read as the mapping says), text compressed with gzip
 * (read through `node:zlib`, as exports of tens of millions of rows usually travel), or something the load cannot read
 * — refused before a row is staged, with what to do instead. A gzip file may hold several members one after the other
 * (`cat a.gz b.gz`, what parallel compressors such as pigz write): Node's gunzip reads them all. Files are judged by
 * their content, never by their name: an export called `.csv` may be a spreadsheet, and a `.gz` renamed `.txt` is
 * still gzip.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants, createGunzip } from 'node:zlib';

export type FormatoArquivo = { readonly tipo: 'texto' } | { readonly tipo: 'gzip' } | { readonly tipo: 'recusado'; readonly motivo: string };

/** Bytes read to judge a file: enough for a TAR header's `ustar` mark (offset 257). */
const BYTES_PARA_FORMATO = 512;

const COMO_LER = 'a carga lê texto delimitado (CSV, TXT, TSV), puro ou compactado com gzip (.gz)';

/** Signatures of formats a source file must not be, each with what the operator should do (pt-BR). */
const RECUSADOS: readonly { readonly assinatura: readonly number[]; readonly deslocamento?: number; readonly motivo: string }[] = [
  { assinatura: [0x50, 0x4b, 0x03, 0x04], motivo: `é um arquivo ZIP (ou uma planilha .xlsx/.ods, que são ZIP); ${COMO_LER}: extraia o arquivo de dentro do ZIP, ou exporte a planilha como CSV` },
  { assinatura: [0x50, 0x4b, 0x05, 0x06], motivo: `é um arquivo ZIP vazio; ${COMO_LER}` },
  { assinatura: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], motivo: `é uma planilha do Excel no formato antigo (.xls) ou outro documento do Office; ${COMO_LER}: exporte a planilha como CSV` },
  { assinatura: [0x42, 0x5a, 0x68], motivo: `está compactado com bzip2; ${COMO_LER}: descompacte-o, ou compacte-o de novo com gzip` },
  { assinatura: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], motivo: `está compactado com xz; ${COMO_LER}: descompacte-o, ou compacte-o de novo com gzip` },
  { assinatura: [0x28, 0xb5, 0x2f, 0xfd], motivo: `está compactado com zstd; ${COMO_LER}: descompacte-o, ou compacte-o de novo com gzip` },
  { assinatura: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], motivo: `é um arquivo 7-Zip; ${COMO_LER}: extraia o arquivo de dentro dele` },
  { assinatura: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], motivo: `é um arquivo RAR; ${COMO_LER}: extraia o arquivo de dentro dele` },
  { assinatura: [0x25, 0x50, 0x44, 0x46, 0x2d], motivo: `é um PDF; ${COMO_LER}: peça ao sistema de origem a exportação em CSV` },
  { assinatura: [0x75, 0x73, 0x74, 0x61, 0x72], deslocamento: 257, motivo: `é um arquivo TAR (um .tar ou .tar.gz); ${COMO_LER}: extraia o arquivo de dentro dele` },
  // Excel's "Texto Unicode" and some Windows tools write UTF-16, with its byte order mark.
  { assinatura: [0xff, 0xfe], motivo: `está em UTF-16 (o “Texto Unicode” do Excel); ${COMO_LER} em UTF-8, Latin-1 ou Windows-1252: salve-o como “CSV UTF-8”` },
  { assinatura: [0xfe, 0xff], motivo: `está em UTF-16 (big-endian); ${COMO_LER} em UTF-8, Latin-1 ou Windows-1252: salve-o como “CSV UTF-8”` },
];

const comeca = (b: Uint8Array, assinatura: readonly number[], deslocamento = 0) =>
  b.length >= deslocamento + assinatura.length && assinatura.every((x, i) => b[deslocamento + i] === x);

/**
 * Judges a file by its first bytes (at least `BYTES_PARA_FORMATO` of them when the file has that many). A NUL byte in
 * them means binary content (no text encoding a source may declare writes NUL in a name or a date).
 */
export function formatoDoInicio(inicio: Uint8Array): FormatoArquivo {
  if (comeca(inicio, [0x1f, 0x8b])) return { tipo: 'gzip' };
  const recusado = RECUSADOS.find((r) => comeca(inicio, r.assinatura, r.deslocamento));
  if (recusado) return { tipo: 'recusado', motivo: recusado.motivo };
  if (inicio.includes(0x00)) return { tipo: 'recusado', motivo: `tem bytes nulos (conteúdo binário, não texto); ${COMO_LER}` };
  return { tipo: 'texto' };
}

/** The first `BYTES_PARA_FORMATO` bytes of a file (fewer when it is shorter). */
async function inicioDoArquivo(caminho: string): Promise<Buffer> {
  const f = await open(caminho, 'r');
  try {
    const b = Buffer.alloc(BYTES_PARA_FORMATO);
    const { bytesRead } = await f.read(b, 0, BYTES_PARA_FORMATO, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/** Compressed bytes read to see what a gzip file holds. */
const BYTES_COMPACTADOS_LIDOS = 64 * 1024;

/**
 * The first `BYTES_PARA_FORMATO` bytes of what a gzip file holds, from its first compressed bytes only (a sync flush
 * gives what those decode to). A stream that fails this early gives what came before: reading the whole file says why.
 */
async function inicioDescompactado(caminho: string): Promise<Buffer> {
  const partes: Buffer[] = [];
  let n = 0;
  const arquivo = createReadStream(caminho, { end: BYTES_COMPACTADOS_LIDOS - 1 });
  const gunzip = arquivo.pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }));
  try {
    for await (const parte of gunzip as AsyncIterable<Buffer>) {
      partes.push(parte);
      n += parte.length;
      if (n >= BYTES_PARA_FORMATO) break;
    }
  } catch {
    // judged on what was decoded
  } finally {
    gunzip.destroy();
    arquivo.destroy();
  }
  return Buffer.concat(partes).subarray(0, BYTES_PARA_FORMATO);
}

/**
 * What the file at `caminho` is (`formatoDoInicio`), looking inside a gzip file too: it must hold text, not a TAR, a
 * spreadsheet or another compressed file. Errors of the file system (ENOENT, EISDIR…) are thrown as they are.
 */
export async function formatoDoArquivo(caminho: string): Promise<FormatoArquivo> {
  const formato = formatoDoInicio(await inicioDoArquivo(caminho));
  if (formato.tipo !== 'gzip') return formato;
  const dentro = formatoDoInicio(await inicioDescompactado(caminho));
  if (dentro.tipo === 'gzip') return { tipo: 'recusado', motivo: `foi compactado duas vezes com gzip (um .gz dentro de outro); ${COMO_LER}: descompacte-o uma vez` };
  if (dentro.tipo === 'recusado') return { tipo: 'recusado', motivo: `está compactado com gzip, e o que ele contém ${dentro.motivo}` };
  return formato;
}

/** The pt-BR message for a gzip stream that fails (zlib's codes), or null when the error is not zlib's. */
export function mensagemDeGzip(erro: unknown): string | null {
  const codigo = (erro as { code?: unknown } | null)?.code;
  if (typeof codigo !== 'string' || !codigo.startsWith('Z_')) return null;
  return `o arquivo compactado (gzip) está corrompido ou incompleto (${(erro as Error).message}): copie-o de novo da origem`;
}
