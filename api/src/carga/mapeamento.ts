/**
 * Sources as configuration: one YAML mapping file per source system describes how to read its export (encoding,
 * delimiter, quoting), which column is the row's key, and how each header becomes a field of the load record
 * (date formats, value maps, placeholders meaning "unknown", CPFs stored as numbers, combined columns). No code per
 * source: adding a source = adding a file to `api/src/carga/fontes/`.
 *
 * `validarMapeamento` checks a parsed file and throws `ErroMapeamento` listing every bad key by its path
 * (e.g. `campos.sexo.valores.X`), so a steward can fix the file without reading code.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ehFonte, type FonteId } from '../pmcc/politicas.js';
import { ehFormatoData } from './normalizar.js';

/** What a record field holds, which decides how its raw text is normalised. */
const TIPOS_CAMPO = {
  cpf: 'cpf',
  cpfMae: 'cpf',
  cpfPai: 'cpf',
  nome: 'nome',
  nomeSocial: 'nome',
  nomeMae: 'nome',
  nomePai: 'nome',
  dataNascimento: 'data',
  dataObito: 'data',
  sexo: 'sexo',
  obito: 'booleano',
  email: 'email',
  telefone: 'telefone',
  municipio: 'texto',
  uf: 'uf',
} as const;
export type CampoRegistro = keyof typeof TIPOS_CAMPO;
type TipoCampo = (typeof TIPOS_CAMPO)[CampoRegistro];
export const CAMPOS_REGISTRO = Object.keys(TIPOS_CAMPO) as CampoRegistro[];
const OBRIGATORIOS: readonly CampoRegistro[] = ['cpf', 'nome'];

export function tipoDoCampo(campo: CampoRegistro): TipoCampo {
  return TIPOS_CAMPO[campo];
}

export interface EspecCampo {
  /** Header name in the source file. */
  readonly coluna: string;
  /** Values meaning "unknown" for this column, on top of the file-wide `nulos`. */
  readonly nulos: readonly string[];
  /** Combined column (`SAO PAULO/SP`): split on `separador` and take the part at `indice` (0-based). */
  readonly dividir: { readonly separador: string; readonly indice: number } | null;
  /** CPF columns only: the source stored the CPF as a number, so leading zeros were lost; pad to 11 digits. */
  readonly cpfNumerico: boolean;
  /** Date columns: formats tried in order (`DD/MM/YYYY`, `YYYY-MM-DD`, `DDMMYYYY`, …). */
  readonly formatos: readonly string[];
  /** Date columns: formats chosen by the value of another column; `padrao` when the value is not listed. */
  readonly formatosPor: { readonly coluna: string; readonly valores: Readonly<Record<string, readonly string[]>>; readonly padrao: readonly string[] } | null;
  /** sexo: source code → `M` | `F`; obito: source code → true | false. Keys compared upper-case, without accents. */
  readonly valores: Readonly<Record<string, string | boolean>> | null;
}

/**
 * Encodings of source files: UTF-8; ISO-8859-1 (`latin1`); and Windows-1252, the Latin-1 of Windows exports, which
 * writes ’ “ ” – — € in the bytes 0x80–0x9F that ISO-8859-1 leaves to control characters.
 */
const CODIFICACOES = ['utf-8', 'latin1', 'windows-1252'] as const;
export type Codificacao = (typeof CODIFICACOES)[number];

export interface MapeamentoFonte {
  /** Short name of the source; the `source` column of clusters and truth files. */
  readonly fonte: string;
  readonly descricao: string;
  /** PMCC source (a key of FONTES in pmcc/politicas.ts); its precedence drives survivorship. */
  readonly pmcc: FonteId;
  /** The CMBD catalogue entry this source comes from: organ sigla + the entry's `fonteCarga` value. */
  readonly cmbd: { readonly sigla: string; readonly fonteCarga: string };
  readonly arquivo: { readonly codificacao: Codificacao; readonly delimitador: string; readonly aspas: string | null };
  /** Header of the column holding the row's key in its source. */
  readonly chave: string;
  /** File-wide placeholders meaning "unknown" (compared trimmed, upper-case, without accents). */
  readonly nulos: readonly string[];
  /** Dates whose year is below this are not accepted (guards `DDMMYYYY` vs `YYYYMMDD` ambiguity). */
  readonly anoMinimo: number;
  /**
   * The source may register a minor under the CPF of the mother, father or guardian (health and social registers do):
   * a minor's row whose CPF is new to the base and which reads exactly as another CPF's row loaded from a source
   * that does not is taken for a guardian's CPF (`particionar`, step 5). Default false.
   */
  readonly cpfDoResponsavel: boolean;
  readonly campos: Readonly<Partial<Record<CampoRegistro, EspecCampo>>>;
}

export class ErroMapeamento extends Error {
  constructor(
    readonly origem: string,
    readonly erros: readonly { chave: string; mensagem: string }[],
  ) {
    super(`Mapeamento inválido (${origem}): ${erros.map((e) => `${e.chave}: ${e.mensagem}`).join('; ')}`);
    this.name = 'ErroMapeamento';
  }
}

// Same rules as the catalogue: organ sigla (migration CriaCmbd) and `fonteCarga` (cmbd/base.dominio.ts).
const SIGLA_CMBD = /^[A-Z0-9][A-Z0-9/-]{0,29}$/;
const FONTE_CARGA_CMBD = /^[a-z0-9][a-z0-9-]{1,59}$/;
const NOME_FONTE = /^[a-z][a-z0-9-]{1,39}$/;
const CHAVES_RAIZ = new Set(['fonte', 'descricao', 'pmcc', 'cmbd', 'arquivo', 'chave', 'nulos', 'anoMinimo', 'cpfDoResponsavel', 'campos']);
const CHAVES_CAMPO = new Set(['coluna', 'nulos', 'dividir', 'cpfNumerico', 'formatos', 'formatosPor', 'valores']);

type Obj = Record<string, unknown>;
const ehObjeto = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ehTexto = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const ehListaDeTextos = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates a parsed mapping; `origem` (usually the file name) prefixes the error message. */
export function validarMapeamento(entrada: unknown, origem: string): MapeamentoFonte {
  const erros: { chave: string; mensagem: string }[] = [];
  const err = (chave: string, mensagem: string) => erros.push({ chave, mensagem });
  if (!ehObjeto(entrada)) throw new ErroMapeamento(origem, [{ chave: '(raiz)', mensagem: 'o arquivo deve ser um objeto YAML' }]);
  const e = entrada;
  for (const k of Object.keys(e)) if (!CHAVES_RAIZ.has(k)) err(k, 'chave desconhecida');

  if (!ehTexto(e['fonte']) || !NOME_FONTE.test(e['fonte'])) err('fonte', 'obrigatório: letras minúsculas, dígitos e hífen (ex.: bdc)');
  if (!ehTexto(e['descricao'])) err('descricao', 'obrigatório (texto)');
  if (!ehFonte(e['pmcc'])) err('pmcc', 'deve ser uma fonte conhecida do PMCC (api/src/pmcc/politicas.ts, ex.: smads-bdc)');

  const cmbd = e['cmbd'];
  if (!ehObjeto(cmbd)) err('cmbd', 'obrigatório: { sigla, fonteCarga }');
  else {
    for (const k of Object.keys(cmbd)) if (k !== 'sigla' && k !== 'fonteCarga') err(`cmbd.${k}`, 'chave desconhecida');
    if (typeof cmbd['sigla'] !== 'string' || !SIGLA_CMBD.test(cmbd['sigla'])) err('cmbd.sigla', 'sigla do órgão no CMBD (maiúsculas, dígitos, / e -)');
    if (typeof cmbd['fonteCarga'] !== 'string' || !FONTE_CARGA_CMBD.test(cmbd['fonteCarga'])) err('cmbd.fonteCarga', 'valor de fonteCarga da base no CMBD (minúsculas, dígitos e hífen)');
  }

  const arq = e['arquivo'];
  if (!ehObjeto(arq)) err('arquivo', 'obrigatório: { codificacao, delimitador, aspas }');
  else {
    for (const k of Object.keys(arq)) if (!['codificacao', 'delimitador', 'aspas'].includes(k)) err(`arquivo.${k}`, 'chave desconhecida');
    if (!CODIFICACOES.includes(arq['codificacao'] as Codificacao)) err('arquivo.codificacao', 'deve ser utf-8, latin1 ou windows-1252');
    if (typeof arq['delimitador'] !== 'string' || arq['delimitador'].length !== 1) err('arquivo.delimitador', 'deve ser um único caractere');
    const aspas = arq['aspas'];
    if (!(aspas === false || (typeof aspas === 'string' && aspas.length === 1))) err('arquivo.aspas', 'deve ser um único caractere ou false (sem aspas)');
    else if (aspas === arq['delimitador']) err('arquivo.aspas', 'não pode ser igual ao delimitador');
  }

  if (!ehTexto(e['chave'])) err('chave', 'obrigatório: o cabeçalho da coluna que identifica a linha na fonte');
  if (e['nulos'] !== undefined && !ehListaDeTextos(e['nulos'])) err('nulos', 'deve ser uma lista de textos');
  const anoMinimo = e['anoMinimo'] ?? 1850;
  if (typeof anoMinimo !== 'number' || !Number.isInteger(anoMinimo) || anoMinimo < 1 || anoMinimo > 9999) err('anoMinimo', 'deve ser um ano (inteiro)');
  const cpfDoResponsavel = e['cpfDoResponsavel'] ?? false;
  if (typeof cpfDoResponsavel !== 'boolean') err('cpfDoResponsavel', 'deve ser true ou false');

  const campos: Partial<Record<CampoRegistro, EspecCampo>> = {};
  const ec = e['campos'];
  if (!ehObjeto(ec)) err('campos', 'obrigatório: cabeçalhos → campos do registro');
  else {
    for (const k of Object.keys(ec)) {
      if (!(k in TIPOS_CAMPO)) {
        err(`campos.${k}`, `campo desconhecido; use um de: ${CAMPOS_REGISTRO.join(', ')}`);
        continue;
      }
      const espec = validarCampo(k as CampoRegistro, ec[k], `campos.${k}`, err);
      if (espec) campos[k as CampoRegistro] = espec;
    }
    for (const k of OBRIGATORIOS) if (!(k in ec)) err(`campos.${k}`, 'obrigatório');
  }

  if (erros.length > 0) throw new ErroMapeamento(origem, erros);
  const a = arq as Obj;
  const c = cmbd as Obj;
  return {
    fonte: e['fonte'] as string,
    descricao: e['descricao'] as string,
    pmcc: e['pmcc'] as FonteId,
    cmbd: { sigla: c['sigla'] as string, fonteCarga: c['fonteCarga'] as string },
    arquivo: { codificacao: a['codificacao'] as Codificacao, delimitador: a['delimitador'] as string, aspas: a['aspas'] === false ? null : (a['aspas'] as string) },
    chave: e['chave'] as string,
    nulos: (e['nulos'] as string[] | undefined) ?? [],
    anoMinimo: anoMinimo as number,
    cpfDoResponsavel: cpfDoResponsavel as boolean,
    campos,
  };
}

function validarFormatos(v: unknown, chave: string, err: (c: string, m: string) => void): string[] | null {
  if (!ehListaDeTextos(v) || v.length === 0) {
    err(chave, 'deve ser uma lista não vazia de formatos de data (DD, MM, YYYY e separadores, ex.: DD/MM/YYYY)');
    return null;
  }
  let ok = true;
  v.forEach((f, i) => {
    if (!ehFormatoData(f)) {
      err(`${chave}[${i}]`, `formato de data inválido “${f}” (use DD, MM e YYYY uma vez cada, separados por / - . ou nada)`);
      ok = false;
    }
  });
  return ok ? v : null;
}

function validarCampo(campo: CampoRegistro, v: unknown, p: string, err: (c: string, m: string) => void): EspecCampo | null {
  let falhou = false;
  const erro = (c: string, m: string) => {
    falhou = true;
    err(c, m);
  };
  if (!ehObjeto(v)) {
    erro(p, 'deve ser um objeto com ao menos “coluna”');
    return null;
  }
  const tipo = TIPOS_CAMPO[campo];
  for (const k of Object.keys(v)) if (!CHAVES_CAMPO.has(k)) erro(`${p}.${k}`, 'chave desconhecida');
  if (!ehTexto(v['coluna'])) erro(`${p}.coluna`, 'obrigatório: o cabeçalho da coluna na fonte');
  if (v['nulos'] !== undefined && !ehListaDeTextos(v['nulos'])) erro(`${p}.nulos`, 'deve ser uma lista de textos');

  let dividir: EspecCampo['dividir'] = null;
  if (v['dividir'] !== undefined) {
    const d = v['dividir'];
    if (!ehObjeto(d) || typeof d['separador'] !== 'string' || d['separador'] === '' || typeof d['indice'] !== 'number' || !Number.isInteger(d['indice']) || d['indice'] < 0) {
      erro(`${p}.dividir`, 'deve ser { separador: texto, indice: inteiro ≥ 0 }');
    } else dividir = { separador: d['separador'], indice: d['indice'] };
  }

  if (v['cpfNumerico'] !== undefined && (tipo !== 'cpf' || typeof v['cpfNumerico'] !== 'boolean')) erro(`${p}.cpfNumerico`, 'só vale (true/false) para campos de CPF');

  let formatos: string[] = [];
  let formatosPor: EspecCampo['formatosPor'] = null;
  if (tipo === 'data') {
    const temF = v['formatos'] !== undefined;
    const temP = v['formatosPor'] !== undefined;
    if (temF === temP) erro(p, 'informe exatamente um de “formatos” ou “formatosPor”');
    if (temF) formatos = validarFormatos(v['formatos'], `${p}.formatos`, erro) ?? [];
    if (temP) {
      const fp = v['formatosPor'];
      if (!ehObjeto(fp) || !ehTexto(fp['coluna']) || !ehObjeto(fp['valores'])) erro(`${p}.formatosPor`, 'deve ser { coluna, valores: { VALOR: [formatos] }, padrao?: [formatos] }');
      else {
        const valores: Record<string, string[]> = {};
        for (const [k, lista] of Object.entries(fp['valores'])) valores[k] = validarFormatos(lista, `${p}.formatosPor.valores.${k}`, erro) ?? [];
        const padrao = fp['padrao'] === undefined ? [] : (validarFormatos(fp['padrao'], `${p}.formatosPor.padrao`, erro) ?? []);
        formatosPor = { coluna: fp['coluna'], valores, padrao };
      }
    }
  } else {
    if (v['formatos'] !== undefined) erro(`${p}.formatos`, 'só vale para campos de data');
    if (v['formatosPor'] !== undefined) erro(`${p}.formatosPor`, 'só vale para campos de data');
  }

  let valores: Record<string, string | boolean> | null = null;
  if (tipo === 'sexo' || tipo === 'booleano') {
    const vv = v['valores'];
    if (!ehObjeto(vv) || Object.keys(vv).length === 0) erro(`${p}.valores`, tipo === 'sexo' ? 'obrigatório: código da fonte → M ou F' : 'obrigatório: código da fonte → true ou false');
    else {
      valores = {};
      for (const [k, x] of Object.entries(vv)) {
        if (tipo === 'sexo' ? x !== 'M' && x !== 'F' : typeof x !== 'boolean') erro(`${p}.valores.${k}`, tipo === 'sexo' ? 'deve ser M ou F' : 'deve ser true ou false');
        else valores[k] = x as string | boolean;
      }
    }
  } else if (v['valores'] !== undefined) erro(`${p}.valores`, 'só vale para sexo e obito');

  if (falhou) return null;
  return {
    coluna: v['coluna'] as string,
    nulos: (v['nulos'] as string[] | undefined) ?? [],
    dividir,
    cpfNumerico: v['cpfNumerico'] === true,
    formatos,
    formatosPor,
    valores,
  };
}

/** Reads and validates one mapping file. */
export async function carregarMapeamento(caminho: string): Promise<MapeamentoFonte> {
  const texto = await readFile(caminho, 'utf8');
  let dado: unknown;
  try {
    dado = parseYaml(texto);
  } catch (e) {
    throw new ErroMapeamento(caminho, [{ chave: '(yaml)', mensagem: (e as Error).message }]);
  }
  return validarMapeamento(dado, caminho);
}
