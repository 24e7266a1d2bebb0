/**
 * Who may do what in the CMBD (realm roles; see docs/cmbd.md):
 * - `cmbd-cgm` — the transparency division (CGM/COPI/DTA): runs campaigns, registers organs and focal points,
 *   imports, may correct any entry;
 * - `cmbd-ponto-focal` + `cmbd-orgao-<sigla>` — an organ's focal point: edits only the entries of the organs whose
 *   `cmbd-orgao-*` role they hold (sigla in lower case, “/” written as “-”: SMIT/CTI → `cmbd-orgao-smit-cti`);
 * - the public reads the published catalogue without a token.
 */
import type { Request, RequestHandler } from 'express';
import { principalDe } from '../auth/autenticacao.middleware.js';
import type { Principal } from '../auth/principal.js';
import { Proibido } from '../errors/proibido.error.js';

export const PAPEL_CMBD_CGM = 'cmbd-cgm';
export const PAPEL_CMBD_PONTO_FOCAL = 'cmbd-ponto-focal';
const PREFIXO_PAPEL_ORGAO = 'cmbd-orgao-';

function papelDoOrgao(sigla: string): string {
  return `${PREFIXO_PAPEL_ORGAO}${sigla.toLowerCase().replace(/\//g, '-')}`;
}

function ehCgm(p: Principal): boolean {
  return p.roles.includes(PAPEL_CMBD_CGM);
}

function podeEditarOrgao(p: Principal, sigla: string): boolean {
  return ehCgm(p) || (p.roles.includes(PAPEL_CMBD_PONTO_FOCAL) && p.roles.includes(papelDoOrgao(sigla)));
}

/** Throws 403 unless the caller may edit the entries of this organ. */
export function autorizarOrgao(p: Principal, sigla: string): void {
  if (!podeEditarOrgao(p, sigla)) {
    throw new Proibido(`Acesso restrito ao ponto focal do órgão ${sigla} (papéis ${PAPEL_CMBD_PONTO_FOCAL} e ${papelDoOrgao(sigla)}) ou à CGM (${PAPEL_CMBD_CGM})`);
  }
}

/** Route guard: the caller holds one of the CMBD roles. */
export function exigirPapelCmbd(...papeis: string[]): RequestHandler {
  return (req, _res, next) => {
    const p = principalDe(req);
    if (!papeis.some((x) => p.roles.includes(x))) {
      throw new Proibido(papeis.length === 1 && papeis[0] === PAPEL_CMBD_CGM
        ? 'Acesso restrito à Divisão de Transparência Ativa da CGM (papel cmbd-cgm)'
        : `Acesso restrito aos papéis ${papeis.join(' ou ')}`);
    }
    next();
  };
}

export function atorDe(req: Request): string {
  const p = principalDe(req);
  return p.username ?? p.sub;
}
