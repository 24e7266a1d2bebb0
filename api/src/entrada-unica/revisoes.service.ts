/**
 * The stewards' review queue: losing conflicting values of critical fields and citizens' requests. A steward claims
 * an item (aberta → em-analise) and resolves it: keep the current value, or adopt the alternative — which is a write
 * like any other, through Entrada Única (PMCC, provenance, audit, level), closing the item in the same transaction.
 */
import { In, type DataSource } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { Conflito } from '../errors/conflito.error.js';
import { NaoEncontrado } from '../errors/nao-encontrado.error.js';
import type { FilaSyncNivel } from '../keycloak-sync/fila.js';
import { entradaUnica } from './pipeline.js';
import { Revisao, type Resolucao, type SituacaoRevisao } from './revisao.entity.js';
import { ValorCampo } from './valor-campo.entity.js';
import { relogio } from '../relogio.js';

export interface RevisaoJson {
  id: string;
  entidade: string;
  chave: string;
  campo: string;
  codigo: string;
  motivo: string;
  situacao: SituacaoRevisao;
  responsavel: string | null;
  resolucao: Resolucao | null;
  justificativa: string | null;
  alternativa: { id: string; valor: unknown; fonte: string; ator: string; observadoEm: string; estado: string } | null;
  criadaEm: string;
  assumidaEm: string | null;
  resolvidaEm: string | null;
}

function revisaoParaJson(r: Revisao, v: ValorCampo | null): RevisaoJson {
  return {
    id: String(r.id),
    entidade: r.entidade,
    chave: r.chave,
    campo: r.campo,
    codigo: r.codigo,
    motivo: r.motivo,
    situacao: r.situacao,
    responsavel: r.responsavel,
    resolucao: r.resolucao,
    justificativa: r.justificativa,
    alternativa: v ? { id: String(v.id), valor: v.valor, fonte: v.fonte, ator: v.ator, observadoEm: v.observadoEm.toISOString(), estado: v.estado } : null,
    criadaEm: r.criadaEm.toISOString(),
    assumidaEm: r.assumidaEm?.toISOString() ?? null,
    resolvidaEm: r.resolvidaEm?.toISOString() ?? null,
  };
}

export async function listarRevisoes(
  dataSource: DataSource,
  f: { situacao?: SituacaoRevisao; chave?: string; limit: number; offset: number },
  ctx: ContextoAuditoria,
): Promise<{ itens: RevisaoJson[]; limit: number; offset: number; proximoOffset: number | null }> {
  return dataSource.transaction(async (manager) => {
    const where = { ...(f.situacao ? { situacao: f.situacao } : {}), ...(f.chave ? { chave: f.chave } : {}) };
    const linhas = await manager.find(Revisao, { where, order: { id: 'ASC' }, take: f.limit + 1, skip: f.offset });
    const itens = linhas.slice(0, f.limit);
    const valores = itens.length > 0 ? await manager.findBy(ValorCampo, { id: In(itens.map((r) => r.valorCampoId)) }) : [];
    const porId = new Map(valores.map((v) => [String(v.id), v]));
    await registrarAuditoria(manager, { ...ctx, acao: 'revisao.listada', campos: [...new Set(itens.map((r) => r.campo))], detalhe: { chaves: [...new Set(itens.map((r) => r.chave))] } });
    return { itens: itens.map((r) => revisaoParaJson(r, porId.get(String(r.valorCampoId)) ?? null)), limit: f.limit, offset: f.offset, proximoOffset: linhas.length > f.limit ? f.offset + f.limit : null };
  });
}

/** aberta → em-analise, owned by this steward. 409 when someone else holds it or it is closed. */
export async function assumirRevisao(dataSource: DataSource, id: string, ctx: ContextoAuditoria & { username: string }): Promise<RevisaoJson> {
  return dataSource.transaction(async (manager) => {
    const r = await manager.findOne(Revisao, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!r) throw new NaoEncontrado('Item de revisão não encontrado');
    if (r.situacao === 'resolvida') throw new Conflito('Este item de revisão já foi resolvido');
    if (r.situacao === 'em-analise' && r.responsavel !== ctx.username) throw new Conflito(`Este item de revisão já está em análise por ${r.responsavel}`);
    await manager.update(Revisao, { id }, { situacao: 'em-analise', responsavel: ctx.username, assumidaEm: relogio().agora() });
    await registrarAuditoria(manager, { ...ctx, acao: 'revisao.assumida', pessoaCpf: r.entidade === 'pessoa' ? r.chave : null, campos: [r.campo], detalhe: { revisao: id } });
    const atual = await manager.findOneOrFail(Revisao, { where: { id } });
    return revisaoParaJson(atual, await manager.findOne(ValorCampo, { where: { id: r.valorCampoId } }));
  });
}

function conferirResponsavel(r: Revisao, username: string): void {
  if (r.situacao === 'resolvida') throw new Conflito('Este item de revisão já foi resolvido');
  if (r.situacao !== 'em-analise' || r.responsavel !== username) throw new Conflito('Assuma o item de revisão (POST /revisoes/:id/assumir) antes de resolvê-lo');
}

export interface ResolverRevisao {
  resolucao: Resolucao;
  justificativa: string;
  evidencia?: Record<string, unknown>;
}

export async function resolverRevisao(
  deps: { dataSource: DataSource; fila?: FilaSyncNivel; logger: { error(obj: object, msg: string): void } },
  id: string,
  dados: ResolverRevisao,
  ctx: ContextoAuditoria & { username: string; orgao: string },
): Promise<RevisaoJson> {
  const { dataSource } = deps;
  const r = await dataSource.getRepository(Revisao).findOneBy({ id });
  if (!r) throw new NaoEncontrado('Item de revisão não encontrado');
  // Checked again under lock inside the write's transaction; here so a refused resolution is a 409, not a PMCC 422.
  conferirResponsavel(r, ctx.username);
  const fechar = async (manager: import('typeorm').EntityManager) => {
    const travada = await manager.findOneOrFail(Revisao, { where: { id }, lock: { mode: 'pessimistic_write' } });
    conferirResponsavel(travada, ctx.username);
    await manager.update(Revisao, { id }, { situacao: 'resolvida', resolucao: dados.resolucao, justificativa: dados.justificativa, resolvidaEm: relogio().agora() });
    await registrarAuditoria(manager, { ...ctx, acao: 'revisao.resolvida', pessoaCpf: r.entidade === 'pessoa' ? r.chave : null, campos: [r.campo], detalhe: { revisao: id, resolucao: dados.resolucao } });
  };
  if (dados.resolucao === 'adotar-alternativo') {
    const alternativa = await dataSource.getRepository(ValorCampo).findOneByOrFail({ id: r.valorCampoId });
    await entradaUnica(deps, {
      entidade: r.entidade,
      tipo: 'alterar',
      chave: r.chave,
      corpo: { [r.campo]: alternativa.valor as unknown, ...(dados.evidencia ? { evidencia: dados.evidencia } : {}) },
      ator: { tipo: 'gestor', username: ctx.username, orgao: ctx.orgao },
      chaveFonte: `revisao:${id}`,
      contexto: ctx,
      dentroDaTransacao: fechar,
    });
  } else {
    await dataSource.transaction(fechar);
  }
  const final = await dataSource.getRepository(Revisao).findOneByOrFail({ id });
  return revisaoParaJson(final, await dataSource.getRepository(ValorCampo).findOneBy({ id: r.valorCampoId }));
}
