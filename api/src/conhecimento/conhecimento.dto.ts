import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsString, Matches, ValidateNested } from 'class-validator';

export class RespostaConhecimentoDto {
  @IsDefined({ message: 'pergunta é obrigatória' })
  @IsString({ message: 'pergunta deve ser texto' })
  @Matches(/^p[1-9]$/, { message: 'pergunta deve ser o id de uma pergunta (p1, p2…)' })
  pergunta: string;

  @IsDefined({ message: 'opcao é obrigatória' })
  @IsString({ message: 'opcao deve ser texto' })
  @Matches(/^[a-e]$/, { message: 'opcao deve ser a letra de uma opção (a a e)' })
  opcao: string;
}

/** `POST /me/verificacao-conhecimento/:id/respostas`: one answer per question of the check. */
export class RespostasConhecimentoDto {
  // class-validator runs these bottom-up (stopAtFirstError): first the list, then its size, then each item.
  @IsDefined({ message: 'respostas é obrigatório' })
  @ValidateNested({ each: true, message: 'cada resposta deve ser um objeto { pergunta, opcao }' })
  @ArrayMaxSize(9, { message: 'respostas deve ter no máximo 9 itens' })
  @IsArray({ message: 'respostas deve ser uma lista de { pergunta, opcao }' })
  @Type(() => RespostaConhecimentoDto)
  respostas: RespostaConhecimentoDto[];
}
