/**
 * Request bodies of the stewards' batch-load routes (strict: an unknown field is a 400 naming it). Their JSON schemas
 * are generated into the OpenAPI document (openapi/documento.ts imports this module).
 */
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Aparar } from '../../validation/decorators.js';
import { TIPOS_DECISAO } from './identidades.service.js';

const NOME_FONTE = /^[a-z][a-z0-9-]{1,39}$/;
const ID = /^[1-9][0-9]{0,17}$/;

/** A steward's reason: kept forever with the decision (the table requires at least 10 characters). */
function Justificativa(): PropertyDecorator {
  return (alvo, propriedade) => {
    IsDefined({ message: 'justificativa é obrigatória' })(alvo, propriedade);
    Aparar()(alvo, propriedade);
    IsString({ message: 'justificativa deve ser texto' })(alvo, propriedade);
    Length(10, 1000, { message: 'justificativa deve ter entre 10 e 1000 caracteres (diga por que, com a evidência consultada)' })(alvo, propriedade);
  };
}

export class NovaCargaDto {
  @IsDefined({ message: 'fonte é obrigatória' })
  @Matches(NOME_FONTE, { message: 'fonte deve ser o nome de um mapeamento (letras minúsculas, dígitos e hífen, ex.: bdc)' })
  @IsString({ message: 'fonte deve ser texto' })
  fonte: string;

  @IsDefined({ message: 'arquivo é obrigatório' })
  @Length(1, 255, { message: 'arquivo deve ter entre 1 e 255 caracteres' })
  @IsString({ message: 'arquivo deve ser texto' })
  arquivo: string;
}

export class ResolverRevisaoVinculoDto {
  @IsDefined({ message: 'resolucao é obrigatória' })
  @IsIn(TIPOS_DECISAO, { message: `resolucao deve ser um de: ${TIPOS_DECISAO.join(', ')}` })
  resolucao: (typeof TIPOS_DECISAO)[number];

  @Justificativa()
  justificativa: string;
}

export class FundirIdentidadesDto {
  @IsDefined({ message: 'com é obrigatório (o id da identidade que será fundida nesta)' })
  @Matches(ID, { message: 'com deve ser o id de uma identidade (número inteiro positivo, como texto)' })
  @IsString({ message: 'com deve ser o id da identidade, como texto (ex.: "42")' })
  com: string;

  @Justificativa()
  justificativa: string;
}

export class LinhaDto {
  @IsDefined({ message: 'linhas[].fonte é obrigatória' })
  @Matches(NOME_FONTE, { message: 'linhas[].fonte deve ser o nome de uma fonte (ex.: bdc)' })
  @IsString({ message: 'linhas[].fonte deve ser texto' })
  fonte: string;

  @IsDefined({ message: 'linhas[].chave é obrigatória' })
  @Length(1, 200, { message: 'linhas[].chave deve ter entre 1 e 200 caracteres' })
  @IsString({ message: 'linhas[].chave deve ser texto' })
  chave: string;
}

export class SepararIdentidadeDto {
  @IsDefined({ message: 'linhas é obrigatória: [{ fonte, chave }] das linhas que são outra pessoa' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(500, { message: 'linhas: no máximo 500' })
  @ArrayMinSize(1, { message: 'linhas: ao menos uma linha' })
  @IsArray({ message: 'linhas deve ser uma lista de { fonte, chave }' })
  @Type(() => LinhaDto)
  linhas: LinhaDto[];

  @Justificativa()
  justificativa: string;
}

/** A bigint id in a path (`/identidades/:id`, `/revisoes-vinculo/:id`). */
export function ehIdNumerico(v: string | undefined): v is string {
  return v !== undefined && ID.test(v);
}
