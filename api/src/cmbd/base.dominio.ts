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

export const NAO_SE_APLICA_PRODAM = 'Não se aplica';
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
export const PALAVRAS_CHAVE_MINIMO = 3;

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
export const CAMPOS_BASE = [
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

/**
 * Validates a complete entry (create, or current entry merged with a change) and returns it normalised, or
 * throws DadosInvalidos (400) listing every broken rule. `prefixo` prefixes paths (CSV import: `linha 3.`).
 */
export function validarBase(entrada: unknown, prefixo = ''): BaseDados & { orgao?: string } {
  const erros: DetalheDeErro[] = [];
  const err = (path: string, message: string) => erros.push({ path: `${prefixo}${path}`, message });
  if (typeof entrada !== 'object' || entrada === null || Array.isArray(entrada)) {
    throw new DadosInvalidos([{ path: prefixo.replace(/\.$/, ''), message: 'O corpo da requisição deve ser um objeto JSON (Content-Type: application/json)' }]);
  }
  const e = entrada as Record<string, unknown>;
  for (const k of Object.keys(e)) if (!ACEITOS.has(k)) err(k, `Campo não permitido: ${k}`);

  const texto = (campo: string, obrigatorio = true): string | null => {
    const v = e[campo];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (obrigatorio) err(campo, `${ROTULOS[campo] ?? campo} é obrigatório`);
      return null;
    }
    if (typeof v !== 'string') {
      err(campo, `${ROTULOS[campo] ?? campo} deve ser texto`);
      return null;
    }
    const t = v.trim().replace(/\s+/g, ' ');
    const max = LIMITES[campo] ?? 2000;
    if (t.length > max) {
      err(campo, `${ROTULOS[campo] ?? campo} deve ter no máximo ${max} caracteres`);
      return null;
    }
    return campo === 'resumo' || campo === 'historico' || campo === 'enderecoAcesso' ? v.trim() : t;
  };
  const lista = (campo: string, rotulo: string, minimo: number, msgMinimo: string): string[] | null => {
    const v = e[campo];
    if (v === undefined || v === null) {
      err(campo, msgMinimo);
      return null;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      err(campo, `${rotulo} deve ser uma lista de textos`);
      return null;
    }
    const vistos = new Set<string>();
    const out: string[] = [];
    for (const x of v as string[]) {
      const t = x.trim().replace(/\s+/g, ' ');
      if (t === '') continue;
      if (t.includes(';')) {
        err(campo, `${rotulo}: o caractere “;” não é permitido (separa os itens no arquivo publicado)`);
        return null;
      }
      if (t.length > 200) {
        err(campo, `${rotulo}: cada item deve ter no máximo 200 caracteres`);
        return null;
      }
      if (vistos.has(chave(t))) continue;
      vistos.add(chave(t));
      out.push(t);
    }
    if (out.length < minimo) {
      err(campo, msgMinimo);
      return null;
    }
    return out;
  };
  const enumeracao = <T extends string>(campo: string, rotulo: string, valores: readonly T[]): T | null => {
    const v = e[campo];
    if (v === undefined || v === null || v === '') {
      err(campo, `${rotulo} é obrigatório (valores aceitos: ${valores.join(', ')})`);
      return null;
    }
    const achado = typeof v === 'string' ? valores.find((x) => chave(x) === chave(v)) : undefined;
    if (!achado) err(campo, `${rotulo} inválido: use um destes valores: ${valores.join(', ')}`);
    return achado ?? null;
  };
  const booleano = (campo: string, rotulo: string, padrao?: boolean): boolean | null => {
    const v = e[campo];
    if ((v === undefined || v === null) && padrao !== undefined) return padrao;
    if (typeof v !== 'boolean') {
      err(campo, `${rotulo} deve ser verdadeiro ou falso (true/false)`);
      return null;
    }
    return v;
  };

  // Órgão, sigla
  const siglaTxt = texto('sigla');
  let sigla: string | null = null;
  if (siglaTxt !== null) {
    sigla = siglaTxt.toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9/-]{0,29}$/.test(sigla)) err('sigla', 'Sigla inválida: use letras, dígitos, “/” ou “-” (ex.: SMADS, SMIT/CTI)');
  }
  const orgao = e['orgao'] === undefined ? undefined : (texto('orgao') ?? undefined);

  const secaoResponsavel = texto('secaoResponsavel');

  // Código / Nome PRODAM: the code, or the expression "Não se aplica".
  let codigoProdam = texto('codigoProdam');
  if (codigoProdam === null && (e['codigoProdam'] === undefined || e['codigoProdam'] === null || e['codigoProdam'] === '')) {
    erros.pop();
    err('codigoProdam', 'Código / Nome PRODAM é obrigatório: sem registro na PRODAM, preencha com “Não se aplica”');
  }
  if (codigoProdam !== null) {
    const k = chave(codigoProdam);
    if (k === 'nao se aplica') codigoProdam = NAO_SE_APLICA_PRODAM;
    else if (['n/a', 'na', 'n.a.', '-', '--', 'nenhum', 'nao ha', 'nao possui', 'sem codigo', 'nao tem', 'inexistente'].includes(k)) {
      err('codigoProdam', 'Código / Nome PRODAM: quando a base não tem registro na PRODAM, preencha com a expressão “Não se aplica”');
    }
  }

  const titulo = texto('titulo');
  const categoriaTematica = texto('categoriaTematica');
  const palavrasChave = lista('palavrasChave', 'Palavras-chave', PALAVRAS_CHAVE_MINIMO,
    'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base');
  const resumo = texto('resumo');
  const historico = texto('historico');

  // Série histórica: "2001-2007", "2016-atual".
  let serieHistorica = texto('serieHistorica');
  if (serieHistorica !== null) {
    const m = /^(\d{4})\s*[-–]\s*(\d{4}|atual)$/i.exec(serieHistorica);
    const ano = Number(hojeIso().slice(0, 4));
    if (!m) err('serieHistorica', 'Série histórica deve ser o intervalo entre o registro mais antigo e o mais novo, ex.: 2001-2007 ou 2016-atual');
    else {
      const inicio = Number(m[1]);
      const fim = m[2]!.toLowerCase() === 'atual' ? ano : Number(m[2]);
      if (inicio < 1554 || inicio > ano || fim > ano || fim < inicio) {
        err('serieHistorica', `Série histórica inválida: o ano inicial deve ser anterior ou igual ao final, e nenhum posterior a ${ano}`);
      } else serieHistorica = `${m[1]}-${m[2]!.toLowerCase()}`;
    }
  }

  const periodicidade = enumeracao('periodicidade', 'Periodicidade', PERIODICIDADES);
  const procedencia = texto('procedencia');
  const extensaoGeografica = texto('extensaoGeografica');
  const nivelDesagregacao = texto('nivelDesagregacao');

  // Situação: ATIVA, or INATIVA with the date it stopped being used.
  const situacao = enumeracao('situacao', 'Situação', SITUACOES);
  let inativaDesde: string | null = null;
  const desde = e['inativaDesde'];
  if (situacao === 'INATIVA') {
    if (desde === undefined || desde === null || desde === '') err('inativaDesde', 'Base INATIVA: informe desde quando deixou de ser utilizada (inativaDesde, AAAA-MM-DD)');
    else if (!ehDataValida(desde) || desde > hojeIso()) err('inativaDesde', 'inativaDesde deve ser uma data válida no formato AAAA-MM-DD, não futura');
    else inativaDesde = desde;
  } else if (situacao === 'ATIVA' && desde !== undefined && desde !== null) {
    err('inativaDesde', 'Base ATIVA não tem data de inativação: retire inativaDesde ou marque a situação como INATIVA');
  }

  // Sigilo, with the legislation that determines the classification.
  const sigilo = booleano('sigilo', 'Sigilo (existe informação classificada em algum grau de sigilo?)');
  let sigiloBaseLegal: string | null = null;
  if (sigilo === true) {
    sigiloBaseLegal = texto('sigiloBaseLegal', false);
    if (sigiloBaseLegal === null && !erros.some((x) => x.path === `${prefixo}sigiloBaseLegal`)) {
      err('sigiloBaseLegal', 'Base com informação sigilosa: indique a legislação que determina a classificação (sigiloBaseLegal)');
    }
  } else if (sigilo === false && e['sigiloBaseLegal'] !== undefined && e['sigiloBaseLegal'] !== null && e['sigiloBaseLegal'] !== '') {
    err('sigiloBaseLegal', 'sigiloBaseLegal só se preenche quando a base tem informação classificada como sigilosa (sigilo = true)');
  }

  const formasDisponibilizacao = lista('formasDisponibilizacao', 'Forma(s) de disponibilização', 1,
    'Informe ao menos uma forma de disponibilização (ex.: download pela internet, e-mail, CD / DVD / pendrive)');
  const enderecoAcesso = texto('enderecoAcesso');
  const tipoArmazenamento = enumeracao('tipoArmazenamento', 'Tipo de armazenamento', TIPOS_ARMAZENAMENTO);
  const sgbd = texto('sgbd');
  const formato = enumeracao('formato', 'Formato do arquivo', FORMATOS);

  // Extensão do arquivo: ".xlsx", ".csv, .ods", or "Não se aplica".
  let extensaoArquivo = texto('extensaoArquivo');
  if (extensaoArquivo !== null) {
    if (chave(extensaoArquivo) === 'nao se aplica') extensaoArquivo = NAO_SE_APLICA_PRODAM;
    else {
      const partes = extensaoArquivo.split(/[,;]/).map((p) => p.trim()).filter(Boolean).map((p) => (p.startsWith('.') ? p : `.${p}`).toLowerCase());
      if (partes.length === 0 || partes.some((p) => !/^\.[a-z0-9]{1,10}$/.test(p))) {
        err('extensaoArquivo', 'Extensão do arquivo inválida: informe as extensões separadas por vírgula (ex.: .xlsx, .csv) ou “Não se aplica”');
      } else extensaoArquivo = [...new Set(partes)].join(', ');
    }
  }
  const ambienteProducao = texto('ambienteProducao');

  let tiposRepresentacao: string[] | null = null;
  const tr = e['tiposRepresentacao'];
  if (!Array.isArray(tr) || tr.length === 0) {
    err('tiposRepresentacao', `Informe ao menos um tipo de representação (${TIPOS_REPRESENTACAO.join(', ')})`);
  } else {
    const achados = tr.map((x) => (typeof x === 'string' ? TIPOS_REPRESENTACAO.find((t) => chave(t) === chave(x)) : undefined));
    if (achados.some((x) => !x)) err('tiposRepresentacao', `Tipo de representação inválido: use ${TIPOS_REPRESENTACAO.join(', ')}`);
    else tiposRepresentacao = TIPOS_REPRESENTACAO.filter((t) => achados.includes(t));
  }

  // Map-only fields: for a digital map, required; otherwise exactly "NÃO SE APLICA".
  const ehMapa = formato === 'Mapa';
  const mapa: Record<'escala' | 'sistemaReferencia' | 'baseCartografica', string | null> = { escala: null, sistemaReferencia: null, baseCartografica: null };
  for (const campo of ['escala', 'sistemaReferencia', 'baseCartografica'] as const) {
    const v = e[campo];
    const rotulo = ROTULOS[campo]!;
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      err(campo, ehMapa
        ? `${rotulo} é obrigatório para mapas digitais e arquivos cartográficos`
        : `${rotulo} é obrigatório: para bases que não são mapas, preencha com “${NAO_SE_APLICA_MAPA}”`);
      continue;
    }
    if (typeof v !== 'string') {
      err(campo, `${rotulo} deve ser texto`);
      continue;
    }
    const naoSeAplica = chave(v) === 'nao se aplica';
    if (ehMapa && naoSeAplica) err(campo, `${rotulo} é obrigatório para mapas digitais e arquivos cartográficos (“${NAO_SE_APLICA_MAPA}” só vale para bases que não são mapas)`);
    else if (!ehMapa && formato !== null && !naoSeAplica) err(campo, `${rotulo} só se preenche quando a base é um mapa digital ou arquivo cartográfico; para as demais use “${NAO_SE_APLICA_MAPA}”`);
    else mapa[campo] = naoSeAplica ? NAO_SE_APLICA_MAPA : v.trim().replace(/\s+/g, ' ');
  }
  if (ehMapa && tiposRepresentacao && !tiposRepresentacao.some((t) => t === 'Vetorial' || t === 'Matricial')) {
    err('tiposRepresentacao', 'Um mapa deve ter representação vetorial ou matricial (a escala só se aplica a essas representações)');
  }

  // Link to the central record.
  const possuiDadosPessoais = booleano('possuiDadosPessoais', 'possuiDadosPessoais', false);
  let fonteCarga: string | null = null;
  let situacaoMigracao: string = SITUACAO_MIGRACAO_NAO_SE_APLICA;
  let cronogramaMigracao: string | null = null;
  if (possuiDadosPessoais === true) {
    situacaoMigracao = enumeracao('situacaoMigracao', 'Situação da migração para o cadastro base', SITUACOES_MIGRACAO) ?? situacaoMigracao;
    const fc = e['fonteCarga'];
    if (fc !== undefined && fc !== null) {
      if (typeof fc !== 'string' || !/^[a-z0-9][a-z0-9-]{1,59}$/.test(fc)) err('fonteCarga', 'fonteCarga deve ser o identificador da fonte de carga em lote (letras minúsculas, dígitos e hífen, ex.: smads-bdc)');
      else fonteCarga = fc;
    }
    const cr = e['cronogramaMigracao'];
    if (cr !== undefined && cr !== null) {
      if (!ehDataValida(cr)) err('cronogramaMigracao', 'cronogramaMigracao deve ser uma data no formato AAAA-MM-DD');
      else cronogramaMigracao = cr;
    } else if (situacaoMigracao === 'planejada' || situacaoMigracao === 'em-andamento') {
      err('cronogramaMigracao', 'Migração planejada ou em andamento: informe a data prevista no cronograma de atualização (cronogramaMigracao)');
    }
  } else if (possuiDadosPessoais === false) {
    for (const campo of ['fonteCarga', 'cronogramaMigracao'] as const) {
      if (e[campo] !== undefined && e[campo] !== null) err(campo, `${campo} só se aplica a bases com dados pessoais (possuiDadosPessoais = true)`);
    }
    const sm = e['situacaoMigracao'];
    if (sm !== undefined && sm !== null && sm !== SITUACAO_MIGRACAO_NAO_SE_APLICA) err('situacaoMigracao', 'situacaoMigracao só se aplica a bases com dados pessoais (possuiDadosPessoais = true)');
  }

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
