import type { Request } from 'express';
import type { ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { PAPEIS_GESTOR } from '../auth/papeis.js';
import { visaoDoGestor } from '../compartilhamento/filtrar.js';

/**
 * Audit context of a steward request: who (username, else sub), through which client, for what purpose, and the
 * data-sharing view the response is filtered to and the reader's organs and steward roles (both recorded in the audit row).
 */
export function contextoGestor(req: Request): ContextoAuditoria & { username: string } {
  const p = principalDe(req);
  const username = p.username ?? p.sub;
  const leitor = { orgaos: p.orgaos, papeis: p.roles.filter((r) => PAPEIS_GESTOR.includes(r)).sort() };
  return { ator: username, username, cliente: p.clientId, finalidade: 'gestao-cadastro', visao: visaoDoGestor(p), leitor };
}
