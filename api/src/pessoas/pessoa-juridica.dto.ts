import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsCpf, ListaOpcional, NormalizarCpf } from '../validation/decorators.js';
import { IsCnpj, NormalizarCnpj, NormalizarTexto, TextoLegivel } from '../validation/decorators-cadastro.js';
import { EnderecoDto, EvidenciaDto } from './pessoa.dto.js';
import { SITUACOES_PJ, type PessoaJuridica } from './pessoa-juridica.entity.js';

const PAPEIS_RESPONSAVEL = ['socio-administrador', 'socio', 'administrador', 'representante-legal', 'procurador', 'contador'] as const;

export class ResponsavelDto {
  @IsDefined({ message: 'responsaveis[].cpf é obrigatório' })
  @NormalizarCpf()
  @IsCpf({ message: 'responsaveis[].cpf: CPF inválido' })
  cpf: string;

  @IsDefined({ message: 'responsaveis[].papel é obrigatório' })
  @IsIn(PAPEIS_RESPONSAVEL, { message: `responsaveis[].papel deve ser um de: ${PAPEIS_RESPONSAVEL.join(', ')}` })
  papel: string;
}

/** Fields of a company record (all optional; creation requires cnpj and razaoSocial). */
export class CamposPessoaJuridicaDto {
  @IsOptional()
  @NormalizarCnpj()
  @IsCnpj()
  cnpj?: string;

  @IsOptional()
  @TextoLegivel()
  @Length(1, 300, { message: 'razaoSocial deve ter entre 1 e 300 caracteres' })
  @NormalizarTexto()
  @IsString({ message: 'razaoSocial deve ser texto' })
  razaoSocial?: string | null;

  @IsOptional()
  @TextoLegivel()
  @Length(1, 300, { message: 'nomeFantasia deve ter entre 1 e 300 caracteres' })
  @NormalizarTexto()
  @IsString({ message: 'nomeFantasia deve ser texto' })
  nomeFantasia?: string | null;

  @IsOptional()
  @IsIn(SITUACOES_PJ, { message: `situacao deve ser um de: ${SITUACOES_PJ.join(', ')}` })
  situacao?: string | null;

  @IsOptional()
  @IsObject({ message: 'endereco deve ser um objeto' })
  @ValidateNested()
  @Type(() => EnderecoDto)
  endereco?: EnderecoDto | null;

  @ListaOpcional()
  @ArrayMaxSize(50, { message: 'responsaveis: no máximo 50' })
  @IsArray({ message: 'responsaveis deve ser uma lista' })
  @ValidateNested({ each: true })
  @Type(() => ResponsavelDto)
  responsaveis?: ResponsavelDto[] | null;

  @IsOptional()
  @IsObject({ message: 'evidencia deve ser um objeto { tipo, numero, descricao }' })
  @ValidateNested()
  @Type(() => EvidenciaDto)
  evidencia?: EvidenciaDto;
}

export const OBRIGATORIOS_CRIACAO_PJ: ReadonlyArray<readonly [keyof CamposPessoaJuridicaDto, string]> = [
  ['cnpj', 'cnpj é obrigatório'],
  ['razaoSocial', 'razaoSocial é obrigatória'],
];

export const CAMPOS_PJ_API = ['cnpj', 'razaoSocial', 'nomeFantasia', 'situacao', 'endereco', 'responsaveis'] as const;

export interface PessoaJuridicaJson {
  cnpj: string;
  razaoSocial: string;
  nomeFantasia: string | null;
  situacao: string;
  endereco: object | null;
  responsaveis: object[];
  versao: number;
  criadoEm: string;
  atualizadoEm: string;
}

/** The one function that turns a company record into its JSON. */
export function pessoaJuridicaParaJson(p: PessoaJuridica): PessoaJuridicaJson {
  return {
    cnpj: p.cnpj,
    razaoSocial: p.razaoSocial,
    nomeFantasia: p.nomeFantasia ?? null,
    situacao: p.situacao,
    endereco: p.endereco ?? null,
    responsaveis: p.responsaveis ?? [],
    versao: p.versao,
    criadoEm: p.criadoEm.toISOString(),
    atualizadoEm: p.atualizadoEm.toISOString(),
  };
}
