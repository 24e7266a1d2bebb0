import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsCpf, ListaOpcional, NormalizarCpf } from '../validation/decorators.js';
import { DataNaoFutura, DataNascimento, IsTituloEleitor, IsUf, NormalizarTexto, NormalizarTitulo, TextoLegivel } from '../validation/decorators-cadastro.js';
import { SITUACOES_PESSOA, type Pessoa } from './pessoa.entity.js';

/**
 * The person record as the API reads and writes it. Every write path (steward, citizen, Keycloak event; batch rows
 * once a loader exists) validates its body with these classes inside the Entrada Única pipeline (`validar` step).
 * In a PATCH a field set to `null` is a deletion request (the PMCC decides); an absent field is left alone.
 */

export const GENEROS = ['feminino', 'masculino', 'nao-binario', 'outro', 'nao-informado'] as const;
export const ESTADOS_CIVIS = ['solteiro', 'casado', 'uniao-estavel', 'separado', 'divorciado', 'viuvo', 'nao-informado'] as const;
const TIPOS_RELACAO = ['conjuge', 'companheiro', 'filho', 'enteado', 'irmao', 'avo', 'neto', 'tutor', 'tutelado', 'curador', 'curatelado', 'responsavel-legal', 'dependente'] as const;
const TIPOS_TELEFONE = ['celular', 'fixo', 'recado'] as const;

const texto = (campo: string, max: number) => [
  IsString({ message: `${campo} deve ser texto` }),
  NormalizarTexto(),
  Length(1, max, { message: `${campo} deve ter entre 1 e ${max} caracteres` }),
  TextoLegivel(),
];
function Texto(campo: string, max = 300): PropertyDecorator {
  return (alvo, prop) => {
    // Decorators run bottom-up: list them in reverse so NormalizarTexto transforms before validation.
    for (const d of texto(campo, max).reverse()) d(alvo, prop);
  };
}

export class EvidenciaDto {
  @IsDefined({ message: 'evidencia.tipo é obrigatório' })
  @IsIn(['certidao-nascimento', 'certidao-casamento', 'certidao-obito', 'rg', 'cnh', 'passaporte', 'titulo-eleitor', 'decisao-judicial', 'outro'], {
    message: 'evidencia.tipo deve ser um de: certidao-nascimento, certidao-casamento, certidao-obito, rg, cnh, passaporte, titulo-eleitor, decisao-judicial, outro',
  })
  tipo: string;

  @IsOptional()
  @Texto('evidencia.numero', 100)
  numero?: string;

  @IsOptional()
  @Texto('evidencia.descricao', 500)
  descricao?: string;
}

export class LocalNascimentoDto {
  @IsDefined({ message: 'localNascimento.municipio é obrigatório' })
  @Texto('localNascimento.municipio', 120)
  municipio: string;

  @IsDefined({ message: 'localNascimento.uf é obrigatória' })
  @IsUf()
  uf: string;
}

export class RgDto {
  @IsDefined({ message: 'rg.numero é obrigatório' })
  @IsString({ message: 'rg.numero deve ser texto' })
  @Matches(/^[0-9]{5,12}$/, { message: 'rg.numero deve ter de 5 a 12 dígitos, sem pontuação' })
  numero: string;

  @IsOptional()
  @IsString({ message: 'rg.digito deve ser texto' })
  @Matches(/^[0-9X]$/, { message: 'rg.digito deve ser um dígito ou X' })
  digito?: string;

  @IsDefined({ message: 'rg.uf (UF emissora) é obrigatória' })
  @IsUf()
  uf: string;
}

export class ObitoDto {
  @IsDefined({ message: 'obitoRegistro.data é obrigatória' })
  @DataNaoFutura()
  data: string;

  @IsDefined({ message: 'obitoRegistro.fonte é obrigatória' })
  @IsIn(['sirc', 'certidao', 'declaracao-obito'], { message: 'obitoRegistro.fonte deve ser um de: sirc, certidao, declaracao-obito' })
  fonte: string;

  @IsDefined({ message: 'obitoRegistro.certidao (matrícula da certidão de óbito) é obrigatória' })
  @IsString({ message: 'obitoRegistro.certidao deve ser texto' })
  @Matches(/^[0-9]{32}$/, { message: 'obitoRegistro.certidao deve ser a matrícula de 32 dígitos da certidão' })
  certidao: string;
}

export class EmailDto {
  @IsDefined({ message: 'emails[].endereco é obrigatório' })
  @IsEmail({}, { message: 'emails[].endereco deve ser um e-mail válido' })
  @Length(3, 254, { message: 'emails[].endereco deve ter no máximo 254 caracteres' })
  endereco: string;

  @IsDefined({ message: 'emails[].verificado é obrigatório' })
  @IsBoolean({ message: 'emails[].verificado deve ser verdadeiro ou falso' })
  verificado: boolean;
}

export class TelefoneDto {
  @IsDefined({ message: 'telefones[].numero é obrigatório' })
  @IsString({ message: 'telefones[].numero deve ser texto' })
  @Matches(/^\+?[0-9]{10,13}$/, { message: 'telefones[].numero deve ter DDD e número, só dígitos (10 a 13)' })
  numero: string;

  @IsOptional()
  @IsIn(TIPOS_TELEFONE, { message: `telefones[].tipo deve ser um de: ${TIPOS_TELEFONE.join(', ')}` })
  tipo?: string;

  @IsDefined({ message: 'telefones[].verificado é obrigatório' })
  @IsBoolean({ message: 'telefones[].verificado deve ser verdadeiro ou falso' })
  verificado: boolean;
}

export class EnderecoDto {
  @IsDefined({ message: 'cep é obrigatório' })
  @IsString({ message: 'cep deve ser texto' })
  @Matches(/^[0-9]{8}$/, { message: 'cep deve ter 8 dígitos, sem pontuação' })
  cep: string;

  @IsDefined({ message: 'logradouro é obrigatório' })
  @Texto('logradouro', 200)
  logradouro: string;

  @IsDefined({ message: 'numero é obrigatório (use "S/N" quando não houver)' })
  @Texto('numero', 20)
  numero: string;

  @IsOptional()
  @Texto('complemento', 100)
  complemento?: string;

  @IsDefined({ message: 'bairro é obrigatório' })
  @Texto('bairro', 120)
  bairro: string;

  @IsDefined({ message: 'municipio é obrigatório' })
  @Texto('municipio', 120)
  municipio: string;

  @IsDefined({ message: 'uf é obrigatória' })
  @IsUf()
  uf: string;

  @IsOptional()
  @DataNaoFutura()
  desde?: string;
}

export class RelacaoFamiliarDto {
  @IsDefined({ message: 'relacoesFamiliares[].tipo é obrigatório' })
  @IsIn(TIPOS_RELACAO, { message: `relacoesFamiliares[].tipo deve ser um de: ${TIPOS_RELACAO.join(', ')}` })
  tipo: string;

  @IsDefined({ message: 'relacoesFamiliares[].cpf é obrigatório' })
  @NormalizarCpf()
  @IsCpf()
  cpf: string;
}

export class ReferenciaDto {
  @IsDefined({ message: 'referencia é obrigatória' })
  @Texto('referencia', 200)
  referencia: string;

  @IsOptional()
  @Texto('origem', 120)
  origem?: string;

  @IsOptional()
  @DataNaoFutura()
  em?: string;
}

/** Fields a write may carry (all optional here; `CriarPessoaDto` makes the required ones required). */
export class CamposPessoaDto {
  @IsOptional()
  @NormalizarCpf()
  @IsCpf()
  cpf?: string;

  @IsOptional()
  @Texto('nome')
  nome?: string | null;

  @IsOptional()
  @Texto('nomeSocial')
  nomeSocial?: string | null;

  @IsOptional()
  @IsIn(GENEROS, { message: `genero deve ser um de: ${GENEROS.join(', ')}` })
  genero?: string | null;

  @IsOptional()
  @IsIn(ESTADOS_CIVIS, { message: `estadoCivil deve ser um de: ${ESTADOS_CIVIS.join(', ')}` })
  estadoCivil?: string | null;

  @IsOptional()
  @DataNascimento()
  dataNascimento?: string | null;

  @IsOptional()
  @IsObject({ message: 'localNascimento deve ser um objeto { municipio, uf }' })
  @ValidateNested()
  @Type(() => LocalNascimentoDto)
  localNascimento?: LocalNascimentoDto | null;

  @IsOptional()
  @IsObject({ message: 'rg deve ser um objeto { numero, digito, uf }' })
  @ValidateNested()
  @Type(() => RgDto)
  rg?: RgDto | null;

  @IsOptional()
  @NormalizarTitulo()
  @IsTituloEleitor()
  tituloEleitor?: string | null;

  @IsOptional()
  @NormalizarCpf()
  @IsCpf({ message: 'cpfMae: CPF inválido' })
  cpfMae?: string | null;

  @IsOptional()
  @Texto('nomeMae')
  nomeMae?: string | null;

  @IsOptional()
  @NormalizarCpf()
  @IsCpf({ message: 'cpfPai: CPF inválido' })
  cpfPai?: string | null;

  @IsOptional()
  @Texto('nomePai')
  nomePai?: string | null;

  @IsOptional()
  @IsObject({ message: 'obitoRegistro deve ser um objeto { data, fonte, certidao }' })
  @ValidateNested()
  @Type(() => ObitoDto)
  obitoRegistro?: ObitoDto | null;

  @ListaOpcional()
  @ArrayMaxSize(10, { message: 'emails: no máximo 10' })
  @IsArray({ message: 'emails deve ser uma lista' })
  @ValidateNested({ each: true })
  @Type(() => EmailDto)
  emails?: EmailDto[] | null;

  @ListaOpcional()
  @ArrayMaxSize(10, { message: 'telefones: no máximo 10' })
  @IsArray({ message: 'telefones deve ser uma lista' })
  @ValidateNested({ each: true })
  @Type(() => TelefoneDto)
  telefones?: TelefoneDto[] | null;

  @ListaOpcional()
  @ArrayMaxSize(10, { message: 'enderecos: no máximo 10' })
  @IsArray({ message: 'enderecos deve ser uma lista' })
  @ValidateNested({ each: true })
  @Type(() => EnderecoDto)
  enderecos?: EnderecoDto[] | null;

  @ListaOpcional()
  @ArrayMaxSize(50, { message: 'relacoesFamiliares: no máximo 50' })
  @IsArray({ message: 'relacoesFamiliares deve ser uma lista' })
  @ValidateNested({ each: true })
  @Type(() => RelacaoFamiliarDto)
  relacoesFamiliares?: RelacaoFamiliarDto[] | null;

  @IsOptional()
  @IsObject({ message: 'biometria deve ser um objeto { referencia, origem, em }' })
  @ValidateNested()
  @Type(() => ReferenciaDto)
  biometria?: ReferenciaDto | null;

  @IsOptional()
  @IsObject({ message: 'certificadoIcp deve ser um objeto { referencia, origem, em }' })
  @ValidateNested()
  @Type(() => ReferenciaDto)
  certificadoIcp?: ReferenciaDto | null;

  @IsOptional()
  @IsObject({ message: 'vinculoGovbr deve ser um objeto { referencia, origem, em }' })
  @ValidateNested()
  @Type(() => ReferenciaDto)
  vinculoGovbr?: ReferenciaDto | null;

  @IsOptional()
  @IsIn(SITUACOES_PESSOA, { message: `situacao deve ser um de: ${SITUACOES_PESSOA.join(', ')}` })
  situacao?: string | null;

  /** Documentary evidence behind the write (PMCC `com-evidencia`). Not a field of the record. */
  @IsOptional()
  @IsObject({ message: 'evidencia deve ser um objeto { tipo, numero, descricao }' })
  @ValidateNested()
  @Type(() => EvidenciaDto)
  evidencia?: EvidenciaDto;
}

/**
 * `POST /pessoas`: CPF, nome and data de nascimento required (PMCC insert rules). Checked by the pipeline's
 * `validar` step (class-validator's inherited `@IsOptional` would skip a subclass's `@IsDefined`).
 */
export type CriarPessoaDto = CamposPessoaDto & { cpf: string; nome: string; dataNascimento: string };
export const OBRIGATORIOS_CRIACAO_PESSOA: ReadonlyArray<readonly [keyof CamposPessoaDto, string]> = [
  ['cpf', 'cpf é obrigatório'],
  ['nome', 'nome é obrigatório'],
  ['dataNascimento', 'dataNascimento é obrigatória'],
];

/** The fields of the record (API names), in display order. `obitoRegistro` is the PMCC field `obito`. */
export const CAMPOS_PESSOA_API = [
  'cpf', 'nome', 'nomeSocial', 'genero', 'dataNascimento', 'localNascimento', 'rg', 'tituloEleitor', 'cpfMae', 'nomeMae', 'cpfPai', 'nomePai',
  'estadoCivil', 'obitoRegistro', 'emails', 'telefones', 'enderecos', 'relacoesFamiliares', 'biometria', 'certificadoIcp', 'vinculoGovbr', 'situacao',
] as const;

export interface PessoaJson {
  cpf: string;
  nome: string;
  nomeSocial: string | null;
  genero: string | null;
  dataNascimento: string;
  localNascimento: object | null;
  rg: object | null;
  tituloEleitor: string | null;
  cpfMae: string | null;
  nomeMae: string | null;
  cpfPai: string | null;
  nomePai: string | null;
  estadoCivil: string | null;
  obito: boolean;
  obitoRegistro: object | null;
  emails: object[];
  telefones: object[];
  enderecos: object[];
  relacoesFamiliares: object[];
  biometria: object | null;
  certificadoIcp: object | null;
  vinculoGovbr: object | null;
  situacao: string;
  versao: number;
  criadoEm: string;
  atualizadoEm: string;
}

/**
 * THE one function that turns a record into its JSON: every route and the citizen's `/me` use it, so a
 * field-level sharing filter can be applied to its output.
 */
export function pessoaParaJson(p: Pessoa): PessoaJson {
  return {
    cpf: p.cpf,
    nome: p.nome,
    nomeSocial: p.nomeSocial ?? null,
    genero: p.genero ?? null,
    dataNascimento: p.dataNascimento,
    localNascimento: p.localNascimento ?? null,
    rg: p.rg ?? null,
    tituloEleitor: p.tituloEleitor ?? null,
    cpfMae: p.cpfMae ?? null,
    nomeMae: p.nomeMae ?? null,
    cpfPai: p.cpfPai ?? null,
    nomePai: p.nomePai ?? null,
    estadoCivil: p.estadoCivil ?? null,
    obito: p.obito,
    obitoRegistro: p.obitoRegistro ?? null,
    emails: p.emails ?? [],
    telefones: p.telefones ?? [],
    enderecos: p.enderecos ?? [],
    relacoesFamiliares: p.relacoesFamiliares ?? [],
    biometria: p.biometria ?? null,
    certificadoIcp: p.certificadoIcp ?? null,
    vinculoGovbr: p.vinculoGovbr ?? null,
    situacao: p.situacao,
    versao: p.versao,
    criadoEm: p.criadoEm.toISOString(),
    atualizadoEm: p.atualizadoEm.toISOString(),
  };
}
