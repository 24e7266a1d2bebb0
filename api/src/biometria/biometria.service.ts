/**
 * Level 4 — biometria cadastrada (issue 13, item 5): a Descomplica point's service account records that a biometric
 * capture was made for a person. The product stores the fact — point, operator, time, the capture's reference in
 * the point's system — as evidence `biometria`, never a template. The level is recomputed by the rules
 * (confianca/calcular-nivel.ts: 4 = a valid master record with the account's CPF and `biometria` evidence for it),
 * the outbox row is written in the same transaction, and a booking the citizen made from the Sala de Espera is
 * marked done.
 */
import type { DataSource } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { recalcular, type ResultadoRecalculo } from '../confianca/confianca.service.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';
import { Conflito } from '../errors/conflito.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import { RegraDeNegocioViolada } from '../errors/regra-de-negocio.error.js';
import { Pessoa } from '../pessoas/pessoa.entity.js';
import type { CapturaBiometricaDto } from './biometria.dto.js';

export interface ResultadoCaptura {
  evidencia: Evidencia;
  contaId: string;
  recalculo: ResultadoRecalculo;
  /** The citizen's booking this capture completed (Sala de Espera), if any. */
  agendamentoId: string | null;
}

export async function registrarCaptura(
  dataSource: DataSource, dados: CapturaBiometricaDto & { capturadaEmData: Date }, ctx: ContextoAuditoria & { username: string },
): Promise<ResultadoCaptura> {
  return dataSource.transaction(async (manager) => {
    const contas = await manager.find(Conta, { where: { cpfDeclarado: dados.cpf, situacao: 'ativa' }, lock: { mode: 'pessimistic_write' } });
    if (contas.length === 0) throw new NaoEncontrado('Não há conta ativa no Login Único com este CPF: a pessoa precisa criar a conta antes do registro da biometria');
    if (contas.length > 1) throw new Conflito('Há mais de uma conta ativa com este CPF declarado; a equipe do cadastro precisa resolver antes do registro');
    const conta = contas[0];
    const pessoa = await manager.findOne(Pessoa, { where: { cpf: dados.cpf } });
    if (!pessoa) throw new RegraDeNegocioViolada('Não há registro com este CPF no cadastro base: o nível 4 exige o registro; cadastre a pessoa antes de registrar a biometria');
    if (pessoa.obito || pessoa.situacao !== 'ativa') throw new RegraDeNegocioViolada('O registro desta pessoa no cadastro base está inativo ou tem óbito; biometria não registrada');
    const [repetida] = await manager.query<Array<{ id: string }>>(
      `SELECT id::text FROM evidencia WHERE tipo = 'biometria' AND detalhe->>'ponto' = $1 AND detalhe->>'referenciaCaptura' = $2 LIMIT 1`,
      [dados.ponto, dados.referenciaCaptura],
    );
    if (repetida) throw new Conflito(`Esta captura (${dados.ponto}, ${dados.referenciaCaptura}) já foi registrada`);

    const evidencia = manager.create(Evidencia, {
      contaId: conta.keycloakUserId,
      tipo: 'biometria',
      pessoaCpf: dados.cpf,
      detalhe: { ponto: dados.ponto, operador: dados.operador, capturadaEm: dados.capturadaEmData.toISOString(), referenciaCaptura: dados.referenciaCaptura },
      registradoPor: ctx.username,
    });
    await manager.save(evidencia);
    const recalculo = await recalcular(conta.keycloakUserId, manager, { evidenciaNova: true });
    const [feito] = await manager.query<[Array<{ id: string }>, number]>(
      `UPDATE agendamento_descomplica SET situacao = 'realizado', evidencia_id = $2, atualizado_em = now() WHERE conta_id = $1 AND situacao = 'agendado' RETURNING id::text`,
      [conta.keycloakUserId, evidencia.id],
    );
    const agendamentoId = feito[0]?.id ?? null;
    await registrarAuditoria(manager, {
      ...ctx,
      acao: 'biometria.registrada',
      pessoaCpf: dados.cpf,
      campos: recalculo.mudou ? ['evidencias', 'nivel_confianca'] : ['evidencias'],
      detalhe: {
        contaId: conta.keycloakUserId, evidenciaId: evidencia.id, ponto: dados.ponto, operador: dados.operador, referenciaCaptura: dados.referenciaCaptura,
        nivelAnterior: recalculo.nivelAnterior, nivel: recalculo.nivel, agendamentoId,
      },
    });
    return { evidencia, contaId: conta.keycloakUserId, recalculo, agendamentoId };
  });
}
