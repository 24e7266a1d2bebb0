import 'reflect-metadata';
import { IsDefined, IsString, Length } from 'class-validator';
import { Aparar, DataPassada, IsCpf, NormalizarCpf } from '../validation/decorators.js';
import type { Pessoa } from './pessoa.entity.js';

/** `POST /pessoas` — minimal for now; the full person model grows here. */
export class CriarPessoaDto {
  @IsDefined({ message: 'cpf é obrigatório' })
  @NormalizarCpf()
  @IsCpf()
  cpf: string;

  @IsDefined({ message: 'nome é obrigatório' })
  @Aparar()
  @IsString({ message: 'nome deve ser texto' })
  @Length(1, 300, { message: 'nome deve ter entre 1 e 300 caracteres' })
  nome: string;

  @IsDefined({ message: 'dataNascimento é obrigatória' })
  @DataPassada({ message: 'dataNascimento deve ser uma data válida no formato AAAA-MM-DD, não futura e não anterior a 1890' })
  dataNascimento: string;
}

export interface PessoaJson {
  cpf: string;
  nome: string;
  dataNascimento: string;
  obito: boolean;
  situacao: string;
  versao: number;
  criadoEm: string;
  atualizadoEm: string;
}

export function pessoaParaJson(p: Pessoa): PessoaJson {
  return {
    cpf: p.cpf,
    nome: p.nome,
    dataNascimento: p.dataNascimento,
    obito: p.obito,
    situacao: p.situacao,
    versao: p.versao,
    criadoEm: p.criadoEm.toISOString(),
    atualizadoEm: p.atualizadoEm.toISOString(),
  };
}
