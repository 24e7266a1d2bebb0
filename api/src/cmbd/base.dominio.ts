/**
 * The catalogue entry (one municipal database) with every field of the CGM manual "Manual do Catálogo Municipal
 * de Bases de Dados (CMBD)", and the manual's validation as a pure function. pt-BR messages, one per field.
 *
 * Enumerations come from the manual's "Descrição dos Campos"; where the manual only gives examples ending in
 * "etc." (periodicidade, formato) the list below extends those examples and says so in docs/cmbd.md.
 */
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import type { DetalheDeErro } from '../errors/api-error.js';
import { relogio } from '../relogio.js';

const NAO_SE_APLICA_PRODAM = 'Não se aplica';
export const NAO_SE_APLICA_MAPA = 'NÃO SE APLICA';
export const SITUACOES = ['ATIVA', 'INATIVA'] as const;
export const TIPOS_ARMAZENAMENTO = ['Banco de Dados', 'Arquivos de Dados'] as const;
export const TIPOS_REPRESENTACAO = ['Alfanumérica', 'Matricial', 'Vetorial', 'Outro'] as const;
export const PERIODICIDADES = [
  'Diária', 'Semanal', 'Quinzenal', 'Mensal', 'Bimestral', 'Trimestral', 'Quadrimestral', 'Semestral', 'Anual', 'Bienal',
  'Contínua', 'Eventual', 'Sem atualização',
] as const;
export const FORMATOS = ['Tabela', 'Planilha', 'Texto', 'Mapa', 'Conjunto de arquivos', 'Imagens', 'Outro'] as const;
/** Migration toward consuming the central record (Cadastro Base de Pessoas): the source's "cronograma de atualização". */
export const SITUACOES_MIGRACAO = ['nao-iniciada', 'planejada', 'em-andamento', 'concluida'] as const;
export const SITUACAO_MIGRACAO_NAO_SE_APLICA = 'nao-se-aplica';
const PALAVRAS_CHAVE_MINIMO = 3;

export interface BaseDados {
  sigla: string;
  secaoResponsavel: string;
  codigoProdam: string;
  titulo: string;
  categoriaTematica: string;
  palavrasChave: string[];
  resumo: string;
  historico: string;
  serieHistorica: string;
  periodicidade: string;
  procedencia: string;
  extensaoGeografica: string;
  nivelDesagregacao: string;
  situacao: (typeof SITUACOES)[number];
  inativaDesde: string | null;
  sigilo: boolean;
  sigiloBaseLegal: string | null;
  formasDisponibilizacao: string[];
  enderecoAcesso: string;
  tipoArmazenamento: string;
  sgbd: string;
  formato: string;
  extensaoArquivo: string;
  ambienteProducao: string;
  tiposRepresentacao: string[];
  escala: string;
  sistemaReferencia: string;
  baseCartografica: string;
  possuiDadosPessoais: boolean;
  fonteCarga: string | null;
  situacaoMigracao: string;
  cronogramaMigracao: string | null;
}

/** Fields a client may send (`orgao` is accepted only to be checked against the sigla's registered name). */
const CAMPOS_BASE = [
  'sigla', 'secaoResponsavel', 'codigoProdam', 'titulo', 'categoriaTematica', 'palavrasChave', 'resumo', 'historico',
  'serieHistorica', 'periodicidade', 'procedencia', 'extensaoGeografica', 'nivelDesagregacao', 'situacao', 'inativaDesde',
  'sigilo', 'sigiloBaseLegal', 'formasDisponibilizacao', 'enderecoAcesso', 'tipoArmazenamento', 'sgbd', 'formato',
  'extensaoArquivo', 'ambienteProducao', 'tiposRepresentacao', 'escala', 'sistemaReferencia', 'baseCartografica',
  'possuiDadosPessoais', 'fonteCarga', 'situacaoMigracao', 'cronogramaMigracao',
] as const satisfies readonly (keyof BaseDados)[];
const ACEITOS = new Set<string>([...CAMPOS_BASE, 'orgao']);

/** Accent- and case-insensitive comparison key. */
export function chave(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const DATA_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
export function ehDataValida(v: unknown): v is string {
  if (typeof v !== 'string' || !DATA_ISO.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
/** Today in São Paulo, from the domain clock (relogio.ts). */
export function hojeIso(): string {
  return relogio().hoje();
}

const ROTULOS: Record<string, string> = {
  sigla: 'Sigla', secaoResponsavel: 'Seção responsável', codigoProdam: 'Código / Nome PRODAM', titulo: 'Título da base',
  categoriaTematica: 'Categoria temática', resumo: 'Resumo', historico: 'Histórico', procedencia: 'Procedência dos dados',
  extensaoGeografica: 'Extensão geográfica', nivelDesagregacao: 'Nível de desagregação', enderecoAcesso: 'Endereço e procedimentos para acesso',
  sgbd: 'Sistema gerenciador de banco de dados', ambienteProducao: 'Ambiente de produção e versão', extensaoArquivo: 'Extensão do arquivo',
  escala: 'Escala', sistemaReferencia: 'Sistemas de referência', baseCartografica: 'Base cartográfica utilizada', orgao: 'Órgão ou entidade',
};

const LIMITES: Record<string, number> = { titulo: 300, sigla: 30, resumo: 4000, historico: 4000 };

/** One validation pass over an entry: the raw fields, and the errors found so far (paths already prefixed). */
interface Leitura {
  e: Record<string, unknown>;
  prefixo: string;
  erros: DetalheDeErro[];
  err(path: string, message: string): void;
}

/** A text field, trimmed and with its spaces collapsed (long texts keep their line breaks), within its length limit. */
function texto(l: Leitura, campo: string, obrigatorio = true): string | null {
  const v = l.e[campo];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (obrigatorio) l.err(campo, `${ROTULOS[campo] ?? campo} é obrigatório`);
    return null;
  }
  if (typeof v !== 'string') {
    l.err(campo, `${ROTULOS[campo] ?? campo} deve ser texto`);
    return null;
  }
  const t = v.trim().replace(/\s+/g, ' ');
  const max = LIMITES[campo] ?? 2000;
  if (t.length > max) {
    l.err(campo, `${ROTULOS[campo] ?? campo} deve ter no máximo ${max} caracteres`);
    return null;
  }
  return campo === 'resumo' || campo === 'historico' || campo === 'enderecoAcesso' ? v.trim() : t;
}

/** A list of texts without “;”, duplicates (accent- and case-insensitive) dropped, at least `minimo` items. */
function lista(l: Leitura, campo: string, rotulo: string, minimo: number, msgMinimo: string): string[] | null {
  const v = l.e[campo];
  if (v === undefined || v === null) {
    l.err(campo, msgMinimo);
    return null;
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    l.err(campo, `${rotulo} deve ser uma lista de textos`);
    return null;
  }
  const vistos = new Set<string>();
  const out: string[] = [];
  for (const x of v as string[]) {
    const t = x.trim().replace(/\s+/g, ' ');
    if (t === '') continue;
    if (t.includes(';')) {
      l.err(campo, `${rotulo}: o caractere “;” não é permitido (separa os itens no arquivo publicado)`);
      return null;
    }
    if (t.length > 200) {
      l.err(campo, `${rotulo}: cada item deve ter no máximo 200 caracteres`);
      return null;
    }
    if (vistos.has(chave(t))) continue;
    vistos.add(chave(t));
    out.push(t);
  }
  if (out.length < minimo) {
    l.err(campo, msgMinimo);
    return null;
  }
  return out;
}

/** One of `valores`, matched accent- and case-insensitively, returned in its canonical spelling. */
function enumeracao<T extends string>(l: Leitura, campo: string, rotulo: string, valores: readonly T[]): T | null {
  const v = l.e[campo];
  if (v === undefined || v === null || v === '') {
    l.err(campo, `${rotulo} é obrigatório (valores aceitos: ${valores.join(', ')})`);
    return null;
  }
  const achado = typeof v === 'string' ? valores.find((x) => chave(x) === chave(v)) : undefined;
  if (!achado) l.err(campo, `${rotulo} inválido: use um destes valores: ${valores.join(', ')}`);
  return achado ?? null;
}

function booleano(l: Leitura, campo: string, rotulo: string, padrao?: boolean): boolean | null {
  const v = l.e[campo];
  if ((v === undefined || v === null) && padrao !== undefined) return padrao;
  if (typeof v !== 'boolean') {
    l.err(campo, `${rotulo} deve ser verdadeiro ou falso (true/false)`);
    return null;
  }
  return v;
}

/** Sigla: letters, digits, “/” or “-”, upper-cased. */
function lerSigla(l: Leitura): string | null {
  const siglaTxt = texto(l, 'sigla');
  if (siglaTxt === null) return null;
  const sigla = siglaTxt.toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9/-]{0,29}$/.test(sigla)) l.err('sigla', 'Sigla inválida: use letras, dígitos, “/” ou “-” (ex.: SMADS, SMIT/CTI)');
  return sigla;
}

/** Código / Nome PRODAM: the code, or the expression "Não se aplica" (its look-alikes are refused). */
function lerCodigoProdam(l: Leitura): string | null {
  const { e } = l;
  let codigoProdam = texto(l, 'codigoProdam');
  if (codigoProdam === null && (e['codigoProdam'] === undefined || e['codigoProdam'] === null || e['codigoProdam'] === '')) {
    l.erros.pop();
    l.err('codigoProdam', 'Código / Nome PRODAM é obrigatório: sem registro na PRODAM, preencha com “Não se aplica”');
  }
  if (codigoProdam !== null) {
    const k = chave(codigoProdam);
    if (k === 'nao se aplica') codigoProdam = NAO_SE_APLICA_PRODAM;
    else if (['n/a', 'na', 'n.a.', '-', '--', 'nenhum', 'nao ha', 'nao possui', 'sem codigo', 'nao tem', 'inexistente'].includes(k)) {
      l.err('codigoProdam', 'Código / Nome PRODAM: quando a base não tem registro na PRODAM, preencha com a expressão “Não se aplica”');
    }
  }
  return codigoProdam;
}

/** Série histórica: "2001-2007", "2016-atual"; no year after the current one. */
function lerSerieHistorica(l: Leitura): string | null {
  let serieHistorica = texto(l, 'serieHistorica');
  if (serieHistorica !== null) {
    const m = /^(\d{4})\s*[-–]\s*(\d{4}|atual)$/i.exec(serieHistorica);
    const ano = Number(hojeIso().slice(0, 4));
    if (!m) l.err('serieHistorica', 'Série histórica deve ser o intervalo entre o registro mais antigo e o mais novo, ex.: 2001-2007 ou 2016-atual');
    else {
      const inicio = Number(m[1]);
      const fim = m[2].toLowerCase() === 'atual' ? ano : Number(m[2]);
      if (inicio < 1554 || inicio > ano || fim > ano || fim < inicio) {
        l.err('serieHistorica', `Série histórica inválida: o ano inicial deve ser anterior ou igual ao final, e nenhum posterior a ${ano}`);
      } else serieHistorica = `${m[1]}-${m[2].toLowerCase()}`;
    }
  }
  return serieHistorica;
}

/** Situação: ATIVA, or INATIVA with the date it stopped being used. */
function lerSituacao(l: Leitura): { situacao: (typeof SITUACOES)[number] | null; inativaDesde: string | null } {
  const situacao = enumeracao(l, 'situacao', 'Situação', SITUACOES);
  let inativaDesde: string | null = null;
  const desde = l.e['inativaDesde'];
  if (situacao === 'INATIVA') {
    if (desde === undefined || desde === null || desde === '') l.err('inativaDesde', 'Base INATIVA: informe desde quando deixou de ser utilizada (inativaDesde, AAAA-MM-DD)');
    else if (!ehDataValida(desde) || desde > hojeIso()) l.err('inativaDesde', 'inativaDesde deve ser uma data válida no formato AAAA-MM-DD, não futura');
    else inativaDesde = desde;
  } else if (situacao === 'ATIVA' && desde !== undefined && desde !== null) {
    l.err('inativaDesde', 'Base ATIVA não tem data de inativação: retire inativaDesde ou marque a situação como INATIVA');
  }
  return { situacao, inativaDesde };
}

/** Sigilo, with the legislation that determines the classification. */
function lerSigilo(l: Leitura): { sigilo: boolean | null; sigiloBaseLegal: string | null } {
  const { e, prefixo } = l;
  const sigilo = booleano(l, 'sigilo', 'Sigilo (existe informação classificada em algum grau de sigilo?)');
  let sigiloBaseLegal: string | null = null;
  if (sigilo === true) {
    sigiloBaseLegal = texto(l, 'sigiloBaseLegal', false);
    if (sigiloBaseLegal === null && !l.erros.some((x) => x.path === `${prefixo}sigiloBaseLegal`)) {
      l.err('sigiloBaseLegal', 'Base com informação sigilosa: indique a legislação que determina a classificação (sigiloBaseLegal)');
    }
  } else if (sigilo === false && e['sigiloBaseLegal'] !== undefined && e['sigiloBaseLegal'] !== null && e['sigiloBaseLegal'] !== '') {
    l.err('sigiloBaseLegal', 'sigiloBaseLegal só se preenche quando a base tem informação classificada como sigilosa (sigilo = true)');
  }
  return { sigilo, sigiloBaseLegal };
}

/** Extensão do arquivo: ".xlsx", ".csv, .ods", or "Não se aplica". */
function lerExtensaoArquivo(l: Leitura): string | null {
  let extensaoArquivo = texto(l, 'extensaoArquivo');
  if (extensaoArquivo !== null) {
    if (chave(extensaoArquivo) === 'nao se aplica') extensaoArquivo = NAO_SE_APLICA_PRODAM;
    else {
      const partes = extensaoArquivo.split(/[,;]/).map((p) => p.trim()).filter(Boolean).map((p) => (p.startsWith('.') ? p : `.${p}`).toLowerCase());
      if (partes.length === 0 || partes.some((p) => !/^\.[a-z0-9]{1,10}$/.test(p))) {
        l.err('extensaoArquivo', 'Extensão do arquivo inválida: informe as extensões separadas por vírgula (ex.: .xlsx, .csv) ou “Não se aplica”');
      } else extensaoArquivo = [...new Set(partes)].join(', ');
    }
  }
  return extensaoArquivo;
}

/** Tipos de representação: at least one of TIPOS_REPRESENTACAO, in the manual's order. */
function lerTiposRepresentacao(l: Leitura): string[] | null {
  const tr = l.e['tiposRepresentacao'];
  if (!Array.isArray(tr) || tr.length === 0) {
    l.err('tiposRepresentacao', `Informe ao menos um tipo de representação (${TIPOS_REPRESENTACAO.join(', ')})`);
    return null;
  }
  const achados = tr.map((x) => (typeof x === 'string' ? TIPOS_REPRESENTACAO.find((t) => chave(t) === chave(x)) : undefined));
  if (achados.some((x) => !x)) {
    l.err('tiposRepresentacao', `Tipo de representação inválido: use ${TIPOS_REPRESENTACAO.join(', ')}`);
    return null;
  }
  return TIPOS_REPRESENTACAO.filter((t) => achados.includes(t));
}

/** Map-only fields: for a digital map, required; otherwise exactly "NÃO SE APLICA". A map is vector or raster. */
function lerCamposDeMapa(
  l: Leitura, formato: (typeof FORMATOS)[number] | null, tiposRepresentacao: string[] | null,
): Record<'escala' | 'sistemaReferencia' | 'baseCartografica', string | null> {
  const ehMapa = formato === 'Mapa';
  const mapa: Record<'escala' | 'sistemaReferencia' | 'baseCartografica', string | null> = { escala: null, sistemaReferencia: null, baseCartografica: null };
  for (const campo of ['escala', 'sistemaReferencia', 'baseCartografica'] as const) {
    const v = l.e[campo];
    const rotulo = ROTULOS[campo];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      l.err(campo, ehMapa
        ? `${rotulo} é obrigatório para mapas digitais e arquivos cartográficos`
        : `${rotulo} é obrigatório: para bases que não são mapas, preencha com “${NAO_SE_APLICA_MAPA}”`);
      continue;
    }
    if (typeof v !== 'string') {
      l.err(campo, `${rotulo} deve ser texto`);
      continue;
    }
    const naoSeAplica = chave(v) === 'nao se aplica';
    if (ehMapa && naoSeAplica) l.err(campo, `${rotulo} é obrigatório para mapas digitais e arquivos cartográficos (“${NAO_SE_APLICA_MAPA}” só vale para bases que não são mapas)`);
    else if (!ehMapa && formato !== null && !naoSeAplica) l.err(campo, `${rotulo} só se preenche quando a base é um mapa digital ou arquivo cartográfico; para as demais use “${NAO_SE_APLICA_MAPA}”`);
    else mapa[campo] = naoSeAplica ? NAO_SE_APLICA_MAPA : v.trim().replace(/\s+/g, ' ');
  }
  if (ehMapa && tiposRepresentacao && !tiposRepresentacao.some((t) => t === 'Vetorial' || t === 'Matricial')) {
    l.err('tiposRepresentacao', 'Um mapa deve ter representação vetorial ou matricial (a escala só se aplica a essas representações)');
  }
  return mapa;
}

/** Link to the central record: personal data, the batch source, the migration's state and schedule. */
function lerVinculoCadastroBase(l: Leitura): Pick<BaseDados, 'fonteCarga' | 'situacaoMigracao' | 'cronogramaMigracao'> & { possuiDadosPessoais: boolean | null } {
  const { e } = l;
  const possuiDadosPessoais = booleano(l, 'possuiDadosPessoais', 'possuiDadosPessoais', false);
  let fonteCarga: string | null = null;
  let situacaoMigracao: string = SITUACAO_MIGRACAO_NAO_SE_APLICA;
  let cronogramaMigracao: string | null = null;
  if (possuiDadosPessoais === true) {
    situacaoMigracao = enumeracao(l, 'situacaoMigracao', 'Situação da migração para o cadastro base', SITUACOES_MIGRACAO) ?? situacaoMigracao;
    const fc = e['fonteCarga'];
    if (fc !== undefined && fc !== null) {
      if (typeof fc !== 'string' || !/^[a-z0-9][a-z0-9-]{1,59}$/.test(fc)) l.err('fonteCarga', 'fonteCarga deve ser o identificador da fonte de carga em lote (letras minúsculas, dígitos e hífen, ex.: smads-bdc)');
      else fonteCarga = fc;
    }
    const cr = e['cronogramaMigracao'];
    if (cr !== undefined && cr !== null) {
      if (!ehDataValida(cr)) l.err('cronogramaMigracao', 'cronogramaMigracao deve ser uma data no formato AAAA-MM-DD');
      else cronogramaMigracao = cr;
    } else if (situacaoMigracao === 'planejada' || situacaoMigracao === 'em-andamento') {
      l.err('cronogramaMigracao', 'Migração planejada ou em andamento: informe a data prevista no cronograma de atualização (cronogramaMigracao)');
    }
  } else if (possuiDadosPessoais === false) {
    for (const campo of ['fonteCarga', 'cronogramaMigracao'] as const) {
      if (e[campo] !== undefined && e[campo] !== null) l.err(campo, `${campo} só se aplica a bases com dados pessoais (possuiDadosPessoais = true)`);
    }
    const sm = e['situacaoMigracao'];
    if (sm !== undefined && sm !== null && sm !== SITUACAO_MIGRACAO_NAO_SE_APLICA) l.err('situacaoMigracao', 'situacaoMigracao só se aplica a bases com dados pessoais (possuiDadosPessoais = true)');
  }
  return { possuiDadosPessoais, fonteCarga, situacaoMigracao, cronogramaMigracao };
}

/**
 * Validates a complete entry (create, or current entry merged with a change) and returns it normalised, or
 * throws DadosInvalidos (400) listing every broken rule. `prefixo` prefixes paths (CSV import: `linha 3.`).
 * The steps run in the manual's field order, so the errors come in that order.
 */
export function validarBase(entrada: unknown, prefixo = ''): BaseDados & { orgao?: string } {
  if (typeof entrada !== 'object' || entrada === null || Array.isArray(entrada)) {
    throw new DadosInvalidos([{ path: prefixo.replace(/\.$/, ''), message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  }
  const erros: DetalheDeErro[] = [];
  const l: Leitura = { e: entrada as Record<string, unknown>, prefixo, erros, err: (path, message) => erros.push({ path: `${prefixo}${path}`, message }) };
  for (const k of Object.keys(l.e)) if (!ACEITOS.has(k)) l.err(k, `Campo não permitido: ${k}`);

  const sigla = lerSigla(l);
  const orgao = l.e['orgao'] === undefined ? undefined : (texto(l, 'orgao') ?? undefined);
  const secaoResponsavel = texto(l, 'secaoResponsavel');
  const codigoProdam = lerCodigoProdam(l);
  const titulo = texto(l, 'titulo');
  const categoriaTematica = texto(l, 'categoriaTematica');
  const palavrasChave = lista(l, 'palavrasChave', 'Palavras-chave', PALAVRAS_CHAVE_MINIMO,
    'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base');
  const resumo = texto(l, 'resumo');
  const historico = texto(l, 'historico');
  const serieHistorica = lerSerieHistorica(l);
  const periodicidade = enumeracao(l, 'periodicidade', 'Periodicidade', PERIODICIDADES);
  const procedencia = texto(l, 'procedencia');
  const extensaoGeografica = texto(l, 'extensaoGeografica');
  const nivelDesagregacao = texto(l, 'nivelDesagregacao');
  const { situacao, inativaDesde } = lerSituacao(l);
  const { sigilo, sigiloBaseLegal } = lerSigilo(l);
  const formasDisponibilizacao = lista(l, 'formasDisponibilizacao', 'Forma(s) de disponibilização', 1,
    'Informe ao menos uma forma de disponibilização (ex.: download pela internet, e-mail, CD / DVD / pendrive)');
  const enderecoAcesso = texto(l, 'enderecoAcesso');
  const tipoArmazenamento = enumeracao(l, 'tipoArmazenamento', 'Tipo de armazenamento', TIPOS_ARMAZENAMENTO);
  const sgbd = texto(l, 'sgbd');
  const formato = enumeracao(l, 'formato', 'Formato do arquivo', FORMATOS);
  const extensaoArquivo = lerExtensaoArquivo(l);
  const ambienteProducao = texto(l, 'ambienteProducao');
  const tiposRepresentacao = lerTiposRepresentacao(l);
  const mapa = lerCamposDeMapa(l, formato, tiposRepresentacao);
  const { possuiDadosPessoais, fonteCarga, situacaoMigracao, cronogramaMigracao } = lerVinculoCadastroBase(l);

  if (erros.length > 0) throw new DadosInvalidos(erros);
  return {
    sigla: sigla!, ...(orgao !== undefined ? { orgao } : {}), secaoResponsavel: secaoResponsavel!, codigoProdam: codigoProdam!, titulo: titulo!,
    categoriaTematica: categoriaTematica!, palavrasChave: palavrasChave!, resumo: resumo!, historico: historico!, serieHistorica: serieHistorica!,
    periodicidade: periodicidade!, procedencia: procedencia!, extensaoGeografica: extensaoGeografica!, nivelDesagregacao: nivelDesagregacao!,
    situacao: situacao!, inativaDesde, sigilo: sigilo!, sigiloBaseLegal, formasDisponibilizacao: formasDisponibilizacao!,
    enderecoAcesso: enderecoAcesso!, tipoArmazenamento: tipoArmazenamento!, sgbd: sgbd!, formato: formato!, extensaoArquivo: extensaoArquivo!,
    ambienteProducao: ambienteProducao!, tiposRepresentacao: tiposRepresentacao!, escala: mapa.escala!, sistemaReferencia: mapa.sistemaReferencia!,
    baseCartografica: mapa.baseCartografica!, possuiDadosPessoais: possuiDadosPessoais!, fonteCarga, situacaoMigracao, cronogramaMigracao,
  };
}
