import type { Request } from 'express';
import type { ContextoAuditoria } from '../auditoria/auditoria.service.js';
import { principalDe } from '../auth/autenticacao.middleware.js';

/** Audit context of a steward request: who (username, else sub), through which client, for what purpose. */
export function contextoGestor(req: Request): ContextoAuditoria & { username: string } {
  const p = principalDe(req);
  const username = p.username ?? p.sub;
  return { ator: username, username, cliente: p.clientId, finalidade: 'gestao-cadastro' };
}
