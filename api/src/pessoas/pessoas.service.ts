import type { DataSource } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { ehViolacaoDeUnicidade } from '../db/data-source.js';
import { Conflito } from '../errors/conflito.error.js';
import type { CriarPessoaDto } from './pessoa.dto.js';
import { Pessoa } from './pessoa.entity.js';

export const CAMPOS_PESSOA = ['cpf', 'nome', 'data_nascimento', 'obito', 'situacao'] as const;

/** Creates a master record; the audit row commits with it. 409 when the CPF already exists. */
export async function criarPessoa(dataSource: DataSource, dados: CriarPessoaDto, ctx: ContextoAuditoria): Promise<Pessoa> {
  return dataSource.transaction(async (manager) => {
    try {
      await manager.insert(Pessoa, { cpf: dados.cpf, nome: dados.nome, dataNascimento: dados.dataNascimento });
    } catch (err) {
      if (ehViolacaoDeUnicidade(err)) throw new Conflito('Já existe pessoa com este CPF no cadastro base');
      throw err;
    }
    await registrarAuditoria(manager, { ...ctx, acao: 'pessoa.criada', pessoaCpf: dados.cpf, campos: ['cpf', 'nome', 'data_nascimento'] });
    return manager.findOneOrFail(Pessoa, { where: { cpf: dados.cpf } });
  });
}

/** Reads a master record; the read is audited (also when nothing is found: a lookup reveals existence). */
export async function lerPessoa(dataSource: DataSource, cpf: string, ctx: ContextoAuditoria): Promise<Pessoa | null> {
  return dataSource.transaction(async (manager) => {
    const pessoa = await manager.findOne(Pessoa, { where: { cpf } });
    await registrarAuditoria(manager, {
      ...ctx,
      acao: 'pessoa.lida',
      pessoaCpf: cpf,
      campos: pessoa ? [...CAMPOS_PESSOA] : [],
      detalhe: { encontrada: pessoa !== null },
    });
    return pessoa;
  });
}
