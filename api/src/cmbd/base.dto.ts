import 'reflect-metadata';
import { JSONSchema } from 'class-validator-jsonschema';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { validarCorpo } from '../validation/validar.js';
import {
  Booleano, CampoDeMapa, CodigoProdam, CronogramaMigracao, Enumeracao, ExtensaoArquivo, FonteCarga, InativaDesde, ListaDeTextos,
  MapaVetorialOuMatricial, NormalizarEnumeracao, NormalizarExtensaoArquivo, NormalizarListaDeTextos, NormalizarNaoSeAplica,
  NormalizarSerieHistorica, NormalizarSigla, NormalizarTextoCmbd, NormalizarTiposRepresentacao, SerieHistorica, SigiloBaseLegal, Sigla,
  SituacaoMigracao, TextoCmbd, TextoSeEnviado, TiposRepresentacao,
} from './base.decorators.js';
import {
  FORMATOS, NAO_SE_APLICA_MAPA, NAO_SE_APLICA_PRODAM, PERIODICIDADES, SITUACAO_MIGRACAO_NAO_SE_APLICA, SITUACOES, SITUACOES_MIGRACAO,
  TIPOS_ARMAZENAMENTO, type BaseDados,
} from './base.dominio.js';

/** Fields a client may leave out (some are required by another field's value: the rule says which). */
const OPCIONAIS = ['orgao', 'inativaDesde', 'sigiloBaseLegal', 'possuiDadosPessoais', 'situacaoMigracao', 'fonteCarga', 'cronogramaMigracao'];

/**
 * A catalogue entry as a client sends it (create, or the current entry merged with a change; a CSV row), with every
 * field of the CMBD manual. Validated like the person DTOs: `validarCorpo` (strict: an unknown field is refused by
 * name; one message per field, the first rule it breaks). Fields are declared in the manual's order, which is the
 * order of the errors. Within a field the decorators run bottom-up: the nearest one to the field is checked first.
 */
@JSONSchema((esquema) => ({ ...esquema, required: (esquema.required ?? []).filter((c) => !OPCIONAIS.includes(c)) }))
class BaseDto {
  @NormalizarSigla()
  @Sigla()
  sigla: string;

  /** Accepted only to be checked against the sigla's registered name (`conferirNomeOrgao`; the CSV import registers it). */
  @NormalizarTextoCmbd()
  @TextoSeEnviado('Órgão ou entidade')
  orgao?: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Seção responsável')
  secaoResponsavel: string;

  @NormalizarNaoSeAplica(NAO_SE_APLICA_PRODAM)
  @NormalizarTextoCmbd()
  @CodigoProdam()
  codigoProdam: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Título da base', 300)
  titulo: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Categoria temática')
  categoriaTematica: string;

  @NormalizarListaDeTextos()
  @ListaDeTextos('Palavras-chave', 3, 'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base')
  palavrasChave: string[];

  @NormalizarTextoCmbd({ quebras: true })
  @TextoCmbd('Resumo', 4000)
  resumo: string;

  @NormalizarTextoCmbd({ quebras: true })
  @TextoCmbd('Histórico', 4000)
  historico: string;

  @NormalizarSerieHistorica()
  @SerieHistorica()
  serieHistorica: string;

  @NormalizarEnumeracao(PERIODICIDADES)
  @Enumeracao('Periodicidade', PERIODICIDADES)
  periodicidade: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Procedência dos dados')
  procedencia: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Extensão geográfica')
  extensaoGeografica: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Nível de desagregação')
  nivelDesagregacao: string;

  @NormalizarEnumeracao(SITUACOES)
  @Enumeracao('Situação', SITUACOES)
  situacao: (typeof SITUACOES)[number];

  @InativaDesde()
  inativaDesde?: string | null;

  @Booleano('Sigilo (existe informação classificada em algum grau de sigilo?)')
  sigilo: boolean;

  @NormalizarTextoCmbd()
  @SigiloBaseLegal()
  sigiloBaseLegal?: string | null;

  @NormalizarListaDeTextos()
  @ListaDeTextos('Forma(s) de disponibilização', 1,
    'Informe ao menos uma forma de disponibilização (ex.: download pela internet, e-mail, CD / DVD / pendrive)')
  formasDisponibilizacao: string[];

  @NormalizarTextoCmbd({ quebras: true })
  @TextoCmbd('Endereço e procedimentos para acesso')
  enderecoAcesso: string;

  @NormalizarEnumeracao(TIPOS_ARMAZENAMENTO)
  @Enumeracao('Tipo de armazenamento', TIPOS_ARMAZENAMENTO)
  tipoArmazenamento: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Sistema gerenciador de banco de dados')
  sgbd: string;

  @NormalizarEnumeracao(FORMATOS)
  @Enumeracao('Formato do arquivo', FORMATOS)
  formato: string;

  @NormalizarNaoSeAplica(NAO_SE_APLICA_PRODAM)
  @NormalizarExtensaoArquivo()
  @NormalizarTextoCmbd()
  @ExtensaoArquivo()
  extensaoArquivo: string;

  @NormalizarTextoCmbd()
  @TextoCmbd('Ambiente de produção e versão')
  ambienteProducao: string;

  @NormalizarTiposRepresentacao()
  @MapaVetorialOuMatricial()
  @TiposRepresentacao()
  tiposRepresentacao: string[];

  @NormalizarNaoSeAplica(NAO_SE_APLICA_MAPA)
  @NormalizarTextoCmbd()
  @CampoDeMapa('Escala')
  escala: string;

  @NormalizarNaoSeAplica(NAO_SE_APLICA_MAPA)
  @NormalizarTextoCmbd()
  @CampoDeMapa('Sistemas de referência')
  sistemaReferencia: string;

  @NormalizarNaoSeAplica(NAO_SE_APLICA_MAPA)
  @NormalizarTextoCmbd()
  @CampoDeMapa('Base cartográfica utilizada')
  baseCartografica: string;

  @Booleano('possuiDadosPessoais', { opcional: true })
  possuiDadosPessoais?: boolean | null;

  @NormalizarEnumeracao(SITUACOES_MIGRACAO)
  @SituacaoMigracao()
  situacaoMigracao?: string | null;

  @FonteCarga()
  fonteCarga?: string | null;

  @CronogramaMigracao()
  cronogramaMigracao?: string | null;
}

/** The validated DTO as the stored entry: the fields a rule makes absent are null, the defaults filled in. */
function paraBaseDados(d: BaseDto): BaseDados & { orgao?: string } {
  const pessoais = d.possuiDadosPessoais === true;
  return {
    sigla: d.sigla, ...(d.orgao !== undefined ? { orgao: d.orgao } : {}), secaoResponsavel: d.secaoResponsavel, codigoProdam: d.codigoProdam,
    titulo: d.titulo, categoriaTematica: d.categoriaTematica, palavrasChave: d.palavrasChave, resumo: d.resumo, historico: d.historico,
    serieHistorica: d.serieHistorica, periodicidade: d.periodicidade, procedencia: d.procedencia, extensaoGeografica: d.extensaoGeografica,
    nivelDesagregacao: d.nivelDesagregacao, situacao: d.situacao, inativaDesde: d.situacao === 'INATIVA' ? (d.inativaDesde ?? null) : null,
    sigilo: d.sigilo, sigiloBaseLegal: d.sigilo ? (d.sigiloBaseLegal ?? null) : null, formasDisponibilizacao: d.formasDisponibilizacao,
    enderecoAcesso: d.enderecoAcesso, tipoArmazenamento: d.tipoArmazenamento, sgbd: d.sgbd, formato: d.formato, extensaoArquivo: d.extensaoArquivo,
    ambienteProducao: d.ambienteProducao, tiposRepresentacao: d.tiposRepresentacao, escala: d.escala, sistemaReferencia: d.sistemaReferencia,
    baseCartografica: d.baseCartografica, possuiDadosPessoais: pessoais, fonteCarga: pessoais ? (d.fonteCarga ?? null) : null,
    situacaoMigracao: pessoais ? (d.situacaoMigracao ?? SITUACAO_MIGRACAO_NAO_SE_APLICA) : SITUACAO_MIGRACAO_NAO_SE_APLICA,
    cronogramaMigracao: pessoais ? (d.cronogramaMigracao ?? null) : null,
  };
}

/** `linha 3.` + `titulo` → `linha 3.titulo`; the whole row (path '') → `linha 3`. */
function comPrefixo(path: string, prefixo: string): string {
  return path === '' ? prefixo.replace(/\.$/, '') : `${prefixo}${path}`;
}

/**
 * Validates a complete entry (create, or current entry merged with a change) and returns it normalised, or
 * throws DadosInvalidos (400) listing every broken rule, one per field. `prefixo` prefixes paths (CSV import: `linha 3.`).
 */
export async function validarBase(entrada: unknown, prefixo = ''): Promise<BaseDados & { orgao?: string }> {
  try {
    return paraBaseDados(await validarCorpo(BaseDto, entrada));
  } catch (e) {
    if (!(e instanceof DadosInvalidos) || prefixo === '') throw e;
    throw new DadosInvalidos(e.details.map((d) => ({ path: comPrefixo(d.path, prefixo), message: d.message })));
  }
}
