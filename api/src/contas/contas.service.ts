import type { DataSource } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { Conflito } from '../errors/conflito.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import type { VinculoDto } from './conta.dto.js';
import { Conta } from './conta.entity.js';
import { Evidencia } from './evidencia.entity.js';

export interface ContaComEvidencias {
  conta: Conta;
  evidencias: Evidencia[];
}

/** Reads an account with its evidence; audited. */
export async function lerConta(dataSource: DataSource, contaId: string, ctx: ContextoAuditoria): Promise<ContaComEvidencias> {
  return dataSource.transaction(async (manager) => {
    const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId } });
    if (!conta) throw new NaoEncontrado('Conta não encontrada');
    const evidencias = await manager.find(Evidencia, { where: { contaId }, order: { registradoEm: 'ASC', id: 'ASC' } });
    await registrarAuditoria(manager, {
      ...ctx,
      acao: 'conta.lida',
      pessoaCpf: conta.pessoaCpf,
      campos: ['username', 'cpf_declarado', 'pessoa_cpf', 'nivel_confianca', 'evidencias'],
      detalhe: { contaId },
    });
    return { conta, evidencias };
  });
}

export interface ResultadoVinculo extends ContaComEvidencias {
  evidencia: Evidencia;
  recalculo: ResultadoRecalculo;
}

/**
 * Records the steward's in-person confirmation that the account belongs to the master record `dados.cpf`,
 * links the account, recomputes the level and audits — all in one transaction.
 * Refuses (404/422/409) before writing anything when the facts do not line up.
 */
export async function confirmarVinculo(
  dataSource: DataSource,
  contaId: string,
  dados: VinculoDto,
  ctx: ContextoAuditoria & { username: string },
): Promise<ResultadoVinculo> {
  return dataSource.transaction(async (manager) => {
    const pessoa = await manager.findOne(Pessoa, { where: { cpf: dados.cpf } });
    if (!pessoa) throw new NaoEncontrado('Pessoa não encontrada no cadastro base');
    const conta = await manager.findOne(Conta, { where: { keycloakUserId: contaId }, lock: { mode: 'pessimistic_write' } });
    if (!conta) throw new NaoEncontrado('Conta não encontrada');

    if (conta.situacao !== 'ativa') throw new RegraDeNegocioViolada('A conta foi excluída no Login Único; não é possível vinculá-la');
    if (conta.cpfDeclarado === null) {
      throw new RegraDeNegocioViolada('A conta não tem CPF declarado: o cidadão precisa informar o CPF na conta antes do vínculo', [
        { path: 'cpf', message: 'A conta não tem CPF declarado' },
      ]);
    }
    if (conta.cpfDeclarado !== dados.cpf) {
      throw new RegraDeNegocioViolada(
        'O CPF declarado na conta não confere com o CPF informado: confira os documentos ou peça ao cidadão para corrigir o CPF na conta',
        [{ path: 'cpf', message: 'CPF diferente do declarado na conta' }],
      );
    }
    if (pessoa.obito) throw new RegraDeNegocioViolada('Há registro de óbito para esta pessoa no cadastro base; vínculo recusado');
    if (pessoa.situacao !== 'ativa') throw new RegraDeNegocioViolada('O registro desta pessoa está inativo no cadastro base; vínculo recusado');
    if (conta.pessoaCpf !== null && conta.pessoaCpf !== dados.cpf) throw new Conflito('A conta já está vinculada a outra pessoa do cadastro base');

    const evidencia = manager.create(Evidencia, {
      contaId,
      tipo: 'vinculo-confirmado-gestor',
      pessoaCpf: dados.cpf,
      detalhe: { documento: { tipo: dados.documento.tipo, numero: dados.documento.numero }, ...(dados.observacao ? { observacao: dados.observacao } : {}) },
      registradoPor: ctx.username,
    });
    await manager.save(evidencia);
    if (conta.pessoaCpf !== dados.cpf) await manager.update(Conta, { keycloakUserId: contaId }, { pessoaCpf: dados.cpf });

    const recalculo = await recalcular(contaId, manager, { evidenciaNova: true });
    await registrarAuditoria(manager, {
      ...ctx,
      acao: 'conta.vinculo-confirmado',
      pessoaCpf: dados.cpf,
      campos: recalculo.mudou ? ['pessoa_cpf', 'nivel_confianca'] : ['pessoa_cpf'],
      detalhe: { contaId, evidenciaId: evidencia.id, documentoTipo: dados.documento.tipo, nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel, versao: recalculo.versao },
    });
    const atualizada = await manager.findOneOrFail(Conta, { where: { keycloakUserId: contaId } });
    const evidencias = await manager.find(Evidencia, { where: { contaId }, order: { registradoEm: 'ASC', id: 'ASC' } });
    return { conta: atualizada, evidencias, evidencia, recalculo };
  });
}
