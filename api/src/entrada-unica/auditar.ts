/**
 * Step 4 — auditar. One audit row in the write's own transaction: who, which record, which fields (column names),
 * through which client and for what purpose, with the decisions and the new version.
 */
import type { EntityManager } from 'typeorm';
import { registrarAuditoria, type ContextoAuditoria } from '../auditoria/auditoria.service.js';
import type { Cadastro } from './cadastros.js';
import type { MudancaCampo } from './tipos.js';

function acaoDeAuditoria(cad: Cadastro, tipo: 'criada' | 'alterada' | 'simulada'): string {
  return `${cad.entidade === 'pessoa' ? 'pessoa' : 'pessoa-juridica'}.${tipo}`;
}

export async function auditar(
  manager: EntityManager,
  cad: Cadastro,
  ctx: ContextoAuditoria,
  args: { chave: string; tipo: 'criada' | 'alterada' | 'simulada'; mudancas: readonly MudancaCampo[]; versao: number; revisoes: readonly string[] },
): Promise<void> {
  await registrarAuditoria(manager, {
    ...ctx,
    acao: acaoDeAuditoria(cad, args.tipo),
    pessoaCpf: cad.entidade === 'pessoa' ? args.chave : null,
    campos: args.mudancas.map((m) => cad.coluna(m.campo)),
    detalhe: {
      ...(cad.entidade === 'pessoa_juridica' ? { cnpj: args.chave } : {}),
      versao: args.versao,
      decisoes: args.mudancas.map((m) => ({ campo: m.campo, operacao: m.operacao, codigo: m.decisao.codigo, aplicado: m.decisao.aplicar })),
      ...(args.revisoes.length > 0 ? { revisoes: [...args.revisoes] } : {}),
    },
  });
}
