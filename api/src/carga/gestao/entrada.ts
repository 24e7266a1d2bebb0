/**
 * What a steward may ask the batch load to read: a source whose mapping file exists (`<fontes>/<fonte>.yaml`) and a
 * file NAME inside the inbox directory (`CARGA_DIRETORIO`) — never a path. The name is checked as text first (no
 * separator, no `..`, no control character), then on disk: the real path (symlinks resolved) must still be inside
 * the inbox, and be a regular file. Both the API (before enqueueing) and the worker (before reading) call this, so a
 * job can never name anything else.
 */
import { realpath, readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { DadosInvalidos } from '../../errors/dados-invalidos.error.js';
import { NaoEncontrado } from '../../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../../errors/regra-de-negocio.error.js';
import { carregarMapeamento, ErroMapeamento, type MapeamentoFonte } from '../mapeamento.js';

/** Where the mapping files are, relative to the working directory (as the CLIs: `npm run carga`, `carga:triagem`). */
export const DIRETORIO_FONTES_PADRAO = 'api/src/carga/fontes';

const NOME_FONTE = /^[a-z][a-z0-9-]{1,39}$/;

/** A plain file name: no separator, no control character, not `.`/`..`, not hidden, at most 255 characters. */
function motivoNomeDeArquivoInvalido(nome: string): string | null {
  if (nome.length === 0 || nome.length > 255) return 'arquivo deve ter entre 1 e 255 caracteres';
  // eslint-disable-next-line no-control-regex -- refusing control characters in a file name is the point
  if (/[\u0000-\u001f\u007f]/.test(nome)) return 'arquivo não pode conter caracteres de controle';
  if (nome.includes('/') || nome.includes('\\')) return 'arquivo deve ser só o nome de um arquivo do diretório de entrada, sem “/” nem “\\” (caminhos não são aceitos)';
  if (nome.startsWith('.')) return 'arquivo não pode começar com “.” (nem “..”, nem arquivo oculto)';
  if (nome.trim() !== nome) return 'arquivo não pode começar ou terminar com espaço';
  return null;
}

/** The sources that have a mapping file, sorted. */
async function fontesConhecidas(dirFontes: string): Promise<string[]> {
  const nomes = await readdir(dirFontes).catch(() => [] as string[]);
  return nomes.filter((n) => n.endsWith('.yaml')).map((n) => n.slice(0, -'.yaml'.length)).filter((n) => NOME_FONTE.test(n)).sort();
}

/** The mapping of a known source; 400 naming the known ones otherwise, 422 when its file is invalid. */
export async function mapeamentoDaFonte(dirFontes: string, fonte: string): Promise<MapeamentoFonte> {
  const conhecidas = await fontesConhecidas(dirFontes);
  if (!conhecidas.includes(fonte)) {
    throw DadosInvalidos.campo('fonte', `fonte desconhecida: “${fonte.slice(0, 60)}”; use uma de: ${conhecidas.join(', ') || '(nenhum mapeamento encontrado)'}`);
  }
  try {
    return await carregarMapeamento(join(dirFontes, `${fonte}.yaml`));
  } catch (e) {
    if (e instanceof ErroMapeamento) throw new RegraDeNegocioViolada(`O mapeamento da fonte ${fonte} é inválido; corrija-o antes de carregar: ${e.erros.map((x) => `${x.chave}: ${x.mensagem}`).join('; ')}`);
    throw e;
  }
}

export interface ArquivoDeEntrada {
  /** Absolute real path (symlinks resolved), inside the inbox. */
  caminho: string;
  bytes: number;
  /** Last modification (ms since the epoch): with the size, what tells two versions of one name apart. */
  modificadoEmMs: number;
}

function codigo(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

/** Resolves `nome` inside the inbox `diretorio`; 400 for a bad name, 404 when absent, 422 when not a regular file. */
export async function arquivoDeEntrada(diretorio: string, nome: string): Promise<ArquivoDeEntrada> {
  const motivo = motivoNomeDeArquivoInvalido(nome);
  if (motivo) throw DadosInvalidos.campo('arquivo', motivo);
  let raiz: string;
  try {
    raiz = await realpath(resolve(diretorio));
  } catch (e) {
    if (codigo(e) === 'ENOENT' || codigo(e) === 'ENOTDIR') throw new NaoEncontrado('O diretório de entrada da carga (CARGA_DIRETORIO) não existe neste servidor: peça à operação que o crie e deposite o arquivo nele');
    throw e;
  }
  let caminho: string;
  try {
    caminho = await realpath(join(raiz, nome));
  } catch (e) {
    if (codigo(e) === 'ENOENT' || codigo(e) === 'ENOTDIR' || codigo(e) === 'ENAMETOOLONG') throw new NaoEncontrado(`Arquivo “${nome}” não encontrado no diretório de entrada da carga`);
    if (codigo(e) === 'ELOOP' || codigo(e) === 'EACCES') throw new RegraDeNegocioViolada(`O arquivo “${nome}” não pode ser lido pela carga (${codigo(e)})`);
    throw e;
  }
  if (!caminho.startsWith(raiz + sep)) throw new RegraDeNegocioViolada(`O arquivo “${nome}” aponta para fora do diretório de entrada da carga: recusado`);
  const info = await stat(caminho);
  if (!info.isFile()) throw new RegraDeNegocioViolada(`“${nome}” não é um arquivo comum (diretório, dispositivo ou fila): recusado`);
  return { caminho, bytes: info.size, modificadoEmMs: Math.trunc(info.mtimeMs) };
}
