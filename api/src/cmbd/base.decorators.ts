import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { ehDataIso } from '../validation/decorators-cadastro.js';
import {
  chave, FORMATOS, hojeIso, NAO_SE_APLICA_MAPA, SITUACAO_MIGRACAO_NAO_SE_APLICA, SITUACOES_MIGRACAO, TIPOS_REPRESENTACAO,
} from './base.dominio.js';

/**
 * The CMBD manual's rules ("Descrição dos Campos") as class-validator decorators, each with its pt-BR message; the
 * normalisations (spaces, canonical spelling of an enumeration, “Não se aplica”) as class-transformer transforms,
 * which leave a value they cannot normalise as it came, for the rule to refuse. `BaseDto` only stacks them.
 * A rule is a function saying why a value is refused, or null; cross-field rules read the whole entry (`o`, the DTO
 * after its transforms). Every rule takes any JSON value without throwing (no 500 on odd input).
 */

type Entrada = Record<string, unknown>;
type Motivo = (valor: unknown, o: Entrada) => string | null;

/**
 * A rule as a decorator: valid when `motivo` returns null; its message is what `motivo` says. `esquema`: the field's
 * JSON Schema in the OpenAPI document (the generator only sees the TypeScript type, and a list or `T | null` as a
 * reference to a schema that does not exist).
 */
function Regra(nome: string, motivo: Motivo, esquema: Record<string, unknown> = { type: 'string' }): PropertyDecorator {
  const validar = ValidateBy({
    name: nome,
    validator: {
      validate: (valor: unknown, args) => motivo(valor, (args?.object ?? {}) as Entrada) === null,
      defaultMessage: (args) => motivo(args?.value, (args?.object ?? {}) as Entrada) ?? '',
    },
  });
  const documentar = JSONSchema(() => esquema);
  return (alvo, propriedade) => {
    validar(alvo, propriedade);
    documentar(alvo, propriedade as string);
  };
}

const LISTA_DE_TEXTOS = { type: 'array', items: { type: 'string' } };
const DATA = { type: ['string', 'null'], format: 'date' };

const ausente = (v: unknown): boolean => v === undefined || v === null;
const vazio = (v: unknown): boolean => ausente(v) || (typeof v === 'string' && v.trim() === '');
const colapsar = (s: string): string => s.trim().replace(/\s+/g, ' ');

// ---------------------------------------------------------------------------------------------------------------
// Normalisations (class-transformer): run before the rules, so the rules see (and the entry keeps) the canonical form.
// ---------------------------------------------------------------------------------------------------------------

/** Text trimmed, inner runs of spaces collapsed (`quebras`: long texts only trimmed, keeping their line breaks). Blank text is left as is. */
export function NormalizarTextoCmbd(opcoes: { quebras?: boolean } = {}): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string' || value.trim() === '') return value;
    return opcoes.quebras ? value.trim() : colapsar(value);
  });
}

/** Sigla upper-cased when it is a valid one. */
export function NormalizarSigla(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string' || value.trim() === '') return value;
    const t = colapsar(value);
    return SIGLA.test(t.toUpperCase()) ? t.toUpperCase() : t;
  });
}

/** “não se aplica” in any case or accent → `canonica` (the manual's spelling for this field). */
export function NormalizarNaoSeAplica(canonica: string): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && chave(value) === 'nao se aplica' ? canonica : value));
}

/** One of `valores`, matched accent- and case-insensitively → its canonical spelling. */
export function NormalizarEnumeracao(valores: readonly string[]): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (valores.find((x) => chave(x) === chave(value)) ?? value) : value));
}

/** A list of texts: each trimmed and collapsed, blanks and duplicates (accent- and case-insensitive) dropped. */
export function NormalizarListaDeTextos(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) return value;
    const vistos = new Set<string>();
    const out: string[] = [];
    for (const t of (value as string[]).map(colapsar)) {
      if (t === '' || vistos.has(chave(t))) continue;
      vistos.add(chave(t));
      out.push(t);
    }
    return out;
  });
}

/** Série histórica “2001 - 2007” → “2001-2007”, “2016-Atual” → “2016-atual”. */
export function NormalizarSerieHistorica(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    const m = typeof value === 'string' ? SERIE.exec(colapsar(value)) : null;
    return m ? `${m[1]}-${m[2].toLowerCase()}` : value;
  });
}

/** Extensões “XLSX, csv” → “.xlsx, .csv” (when every one is valid). */
export function NormalizarExtensaoArquivo(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string' || chave(value) === 'nao se aplica') return value;
    const partes = extensoes(colapsar(value));
    return partes.length > 0 && partes.every((p) => EXTENSAO.test(p)) ? [...new Set(partes)].join(', ') : value;
  });
}

/** Tipos de representação in their canonical spelling and the manual's order (when every one is valid). */
export function NormalizarTiposRepresentacao(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    const achados = Array.isArray(value) ? (value as unknown[]).map(tipoRepresentacao) : [];
    return achados.length > 0 && achados.every(Boolean) ? TIPOS_REPRESENTACAO.filter((t) => achados.includes(t)) : value;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Rules (class-validator)
// ---------------------------------------------------------------------------------------------------------------

const SIGLA = /^[A-Z0-9][A-Z0-9/-]{0,29}$/;
const SERIE = /^(\d{4})\s*[-–]\s*(\d{4}|atual)$/i;
const EXTENSAO = /^\.[a-z0-9]{1,10}$/;
const FONTE_CARGA = /^[a-z0-9][a-z0-9-]{1,59}$/;
const PRODAM_SEM_REGISTRO = ['n/a', 'na', 'n.a.', '-', '--', 'nenhum', 'nao ha', 'nao possui', 'sem codigo', 'nao tem', 'inexistente'];
const ITEM_MAXIMO = 200;
/** The year of the series' oldest possible record (São Paulo's founding). */
const ANO_MINIMO_SERIE = 1554;

function extensoes(valor: string): string[] {
  return valor.split(/[,;]/).map((p) => p.trim()).filter(Boolean).map((p) => (p.startsWith('.') ? p : `.${p}`).toLowerCase());
}

function tipoRepresentacao(x: unknown): string | undefined {
  return typeof x === 'string' ? TIPOS_REPRESENTACAO.find((t) => chave(t) === chave(x)) : undefined;
}

/** Why a text is refused: missing or blank (when required), not text, or longer than `max` (spaces collapsed). */
function motivoTexto(v: unknown, rotulo: string, max: number, obrigatorio = true): string | null {
  if (vazio(v)) return obrigatorio ? `${rotulo} é obrigatório` : null;
  if (typeof v !== 'string') return `${rotulo} deve ser texto`;
  if (colapsar(v).length > max) return `${rotulo} deve ter no máximo ${max} caracteres`;
  return null;
}

/** Required text of at most `max` characters. */
export function TextoCmbd(rotulo: string, max = 2000): PropertyDecorator {
  return Regra('textoCmbd', (v) => motivoTexto(v, rotulo, max));
}

/** Text that is optional, but not blank when sent (`orgao`: the sigla's registered name, checked later). */
export function TextoSeEnviado(rotulo: string, max = 2000): PropertyDecorator {
  return Regra('textoSeEnviado', (v) => (v === undefined ? null : motivoTexto(v, rotulo, max)));
}

/** Sigla: letters, digits, “/” or “-”. */
export function Sigla(): PropertyDecorator {
  return Regra('sigla', (v) => motivoTexto(v, 'Sigla', 30)
    ?? (SIGLA.test((v as string).toUpperCase()) ? null : 'Sigla inválida: use letras, dígitos, “/” ou “-” (ex.: SMADS, SMIT/CTI)'));
}

/** Código / Nome PRODAM: the code, or the expression “Não se aplica” (its look-alikes are refused). */
export function CodigoProdam(): PropertyDecorator {
  return Regra('codigoProdam', (v) => {
    if (v === undefined || v === null || v === '') return 'Código / Nome PRODAM é obrigatório: sem registro na PRODAM, preencha com “Não se aplica”';
    return motivoTexto(v, 'Código / Nome PRODAM', 2000) ?? (PRODAM_SEM_REGISTRO.includes(chave(v as string))
      ? 'Código / Nome PRODAM: quando a base não tem registro na PRODAM, preencha com a expressão “Não se aplica”'
      : null);
  });
}

/** A list of texts without “;” (it separates the items in the published file), each ≤ 200 characters, at least `minimo` distinct. */
export function ListaDeTextos(rotulo: string, minimo: number, mensagemMinimo: string): PropertyDecorator {
  return Regra('listaDeTextos', (v) => {
    if (ausente(v)) return mensagemMinimo;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `${rotulo} deve ser uma lista de textos`;
    for (const x of v as string[]) {
      if (x.includes(';')) return `${rotulo}: o caractere “;” não é permitido (separa os itens no arquivo publicado)`;
      if (colapsar(x).length > ITEM_MAXIMO) return `${rotulo}: cada item deve ter no máximo ${ITEM_MAXIMO} caracteres`;
    }
    return new Set((v as string[]).map(colapsar).filter(Boolean).map(chave)).size < minimo ? mensagemMinimo : null;
  }, { ...LISTA_DE_TEXTOS, minItems: minimo });
}

function motivoEnumeracao(v: unknown, rotulo: string, valores: readonly string[]): string | null {
  if (v === undefined || v === null || v === '') return `${rotulo} é obrigatório (valores aceitos: ${valores.join(', ')})`;
  return typeof v === 'string' && valores.includes(v) ? null : `${rotulo} inválido: use um destes valores: ${valores.join(', ')}`;
}

/** One of `valores` (combine with `@NormalizarEnumeracao`, which accepts any case or accent). */
export function Enumeracao(rotulo: string, valores: readonly string[]): PropertyDecorator {
  return Regra('enumeracao', (v) => motivoEnumeracao(v, rotulo, valores), { type: 'string', enum: [...valores] });
}

/** true or false; `opcional`: absent means false. */
export function Booleano(rotulo: string, opcoes: { opcional?: boolean } = {}): PropertyDecorator {
  return Regra('booleano', (v) => ((ausente(v) && opcoes.opcional) || typeof v === 'boolean' ? null : `${rotulo} deve ser verdadeiro ou falso (true/false)`),
    opcoes.opcional ? { type: ['boolean', 'null'] } : { type: 'boolean' });
}

/** Série histórica: “2001-2007”, “2016-atual”; no year after the current one. */
export function SerieHistorica(): PropertyDecorator {
  return Regra('serieHistorica', (v) => {
    const texto = motivoTexto(v, 'serieHistorica', 2000);
    if (texto) return texto;
    const m = SERIE.exec(colapsar(v as string));
    if (!m) return 'Série histórica deve ser o intervalo entre o registro mais antigo e o mais novo, ex.: 2001-2007 ou 2016-atual';
    const ano = Number(hojeIso().slice(0, 4));
    const inicio = Number(m[1]);
    const fim = m[2].toLowerCase() === 'atual' ? ano : Number(m[2]);
    return inicio < ANO_MINIMO_SERIE || inicio > ano || fim > ano || fim < inicio
      ? `Série histórica inválida: o ano inicial deve ser anterior ou igual ao final, e nenhum posterior a ${ano}`
      : null;
  });
}

/** inativaDesde: required for an INATIVA base (a past date), absent for an ATIVA one. */
export function InativaDesde(): PropertyDecorator {
  return Regra('inativaDesde', (v, o) => {
    if (o['situacao'] === 'INATIVA') {
      if (v === undefined || v === null || v === '') return 'Base INATIVA: informe desde quando deixou de ser utilizada (inativaDesde, AAAA-MM-DD)';
      return ehDataIso(v) && v <= hojeIso() ? null : 'inativaDesde deve ser uma data válida no formato AAAA-MM-DD, não futura';
    }
    if (o['situacao'] === 'ATIVA' && !ausente(v)) return 'Base ATIVA não tem data de inativação: retire inativaDesde ou marque a situação como INATIVA';
    return null;
  }, DATA);
}

/** sigiloBaseLegal: the legislation behind the classification, required when `sigilo` is true and only then. */
export function SigiloBaseLegal(): PropertyDecorator {
  return Regra('sigiloBaseLegal', (v, o) => {
    if (o['sigilo'] === true) {
      return motivoTexto(v, 'sigiloBaseLegal', 2000, false)
        ?? (vazio(v) ? 'Base com informação sigilosa: indique a legislação que determina a classificação (sigiloBaseLegal)' : null);
    }
    if (o['sigilo'] === false && v !== undefined && v !== null && v !== '') {
      return 'sigiloBaseLegal só se preenche quando a base tem informação classificada como sigilosa (sigilo = true)';
    }
    return null;
  }, { type: ['string', 'null'] });
}

/** Extensão do arquivo: “.xlsx”, “.csv, .ods”, or “Não se aplica”. */
export function ExtensaoArquivo(): PropertyDecorator {
  return Regra('extensaoArquivo', (v) => {
    const texto = motivoTexto(v, 'Extensão do arquivo', 2000);
    if (texto) return texto;
    if (chave(v as string) === 'nao se aplica') return null;
    const partes = extensoes(colapsar(v as string));
    return partes.length === 0 || partes.some((p) => !EXTENSAO.test(p))
      ? 'Extensão do arquivo inválida: informe as extensões separadas por vírgula (ex.: .xlsx, .csv) ou “Não se aplica”'
      : null;
  });
}

/** Tipos de representação: at least one of TIPOS_REPRESENTACAO. */
export function TiposRepresentacao(): PropertyDecorator {
  return Regra('tiposRepresentacao', (v) => {
    if (!Array.isArray(v) || v.length === 0) return `Informe ao menos um tipo de representação (${TIPOS_REPRESENTACAO.join(', ')})`;
    return v.every((x) => tipoRepresentacao(x)) ? null : `Tipo de representação inválido: use ${TIPOS_REPRESENTACAO.join(', ')}`;
  }, { type: 'array', items: { type: 'string', enum: [...TIPOS_REPRESENTACAO] }, minItems: 1 });
}

/** A map (formato “Mapa”) is vector or raster: the scale applies only to those. */
export function MapaVetorialOuMatricial(): PropertyDecorator {
  return Regra('mapaVetorialOuMatricial', (v, o) => (o['formato'] === 'Mapa' && Array.isArray(v) && !v.some((t) => t === 'Vetorial' || t === 'Matricial')
    ? 'Um mapa deve ter representação vetorial ou matricial (a escala só se aplica a essas representações)'
    : null), { type: 'array', items: { type: 'string', enum: [...TIPOS_REPRESENTACAO] }, minItems: 1 });
}

/** A map-only field (escala, sistemas de referência, base cartográfica): required for a map, “NÃO SE APLICA” otherwise. */
export function CampoDeMapa(rotulo: string): PropertyDecorator {
  return Regra('campoDeMapa', (v, o) => {
    const ehMapa = o['formato'] === 'Mapa';
    if (vazio(v)) {
      return ehMapa
        ? `${rotulo} é obrigatório para mapas digitais e arquivos cartográficos`
        : `${rotulo} é obrigatório: para bases que não são mapas, preencha com “${NAO_SE_APLICA_MAPA}”`;
    }
    if (typeof v !== 'string') return `${rotulo} deve ser texto`;
    const naoSeAplica = chave(v) === 'nao se aplica';
    if (ehMapa && naoSeAplica) return `${rotulo} é obrigatório para mapas digitais e arquivos cartográficos (“${NAO_SE_APLICA_MAPA}” só vale para bases que não são mapas)`;
    const formatoValido = (FORMATOS as readonly unknown[]).includes(o['formato']);
    if (!ehMapa && formatoValido && !naoSeAplica) return `${rotulo} só se preenche quando a base é um mapa digital ou arquivo cartográfico; para as demais use “${NAO_SE_APLICA_MAPA}”`;
    return null;
  });
}

const SO_COM_DADOS_PESSOAIS = 'só se aplica a bases com dados pessoais (possuiDadosPessoais = true)';

/** situacaoMigracao: required for a base with personal data; for the others absent or “nao-se-aplica”. */
export function SituacaoMigracao(): PropertyDecorator {
  return Regra('situacaoMigracao', (v, o) => {
    if (o['possuiDadosPessoais'] === true) return motivoEnumeracao(v, 'Situação da migração para o cadastro base', SITUACOES_MIGRACAO);
    if (ausente(o['possuiDadosPessoais']) || o['possuiDadosPessoais'] === false) {
      return ausente(v) || v === SITUACAO_MIGRACAO_NAO_SE_APLICA ? null : `situacaoMigracao ${SO_COM_DADOS_PESSOAIS}`;
    }
    return null;
  }, { type: ['string', 'null'], enum: [...SITUACOES_MIGRACAO, SITUACAO_MIGRACAO_NAO_SE_APLICA, null] });
}

/** fonteCarga: the batch source's id, only for a base with personal data. */
export function FonteCarga(): PropertyDecorator {
  return Regra('fonteCarga', (v, o) => {
    if (ausente(v)) return null;
    if (o['possuiDadosPessoais'] === true) {
      return typeof v === 'string' && FONTE_CARGA.test(v) ? null : 'fonteCarga deve ser o identificador da fonte de carga em lote (letras minúsculas, dígitos e hífen, ex.: smads-bdc)';
    }
    return ausente(o['possuiDadosPessoais']) || o['possuiDadosPessoais'] === false ? `fonteCarga ${SO_COM_DADOS_PESSOAIS}` : null;
  }, { type: ['string', 'null'] });
}

/** cronogramaMigracao: the migration's planned date, required while it is planned or under way; only with personal data. */
export function CronogramaMigracao(): PropertyDecorator {
  return Regra('cronogramaMigracao', (v, o) => {
    if (o['possuiDadosPessoais'] === true) {
      if (!ausente(v)) return ehDataIso(v) ? null : 'cronogramaMigracao deve ser uma data no formato AAAA-MM-DD';
      return o['situacaoMigracao'] === 'planejada' || o['situacaoMigracao'] === 'em-andamento'
        ? 'Migração planejada ou em andamento: informe a data prevista no cronograma de atualização (cronogramaMigracao)'
        : null;
    }
    return !ausente(v) && (ausente(o['possuiDadosPessoais']) || o['possuiDadosPessoais'] === false) ? `cronogramaMigracao ${SO_COM_DADOS_PESSOAIS}` : null;
  }, DATA);
}
