/**
 * HTTP helpers of the Cadastro Base routes: the acting steward as a PMCC actor, ETag / If-Match, `dryRun`,
 * paginated query strings validated like bodies.
 */
import type { Request } from 'express';
import { principalDe } from '../auth/autenticacao.middleware.js';
import { ApiError } from '../errors/api-error.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import type { Ator } from '../pmcc/decidir.js';
import { contextoGestor } from './contexto.js';

/** The steward's organ: from a realm role `gestor-<orgao>` other than `gestor-cadastro`, else `cadastro`. */
function orgaoDoGestor(req: Request): string {
  const papel = principalDe(req).roles.find((r) => r.startsWith('gestor-') && r !== 'gestor-cadastro');
  return papel ? papel.slice('gestor-'.length) : 'cadastro';
}

export function atorGestor(req: Request): Ator & { tipo: 'gestor' } {
  return { tipo: 'gestor', username: contextoGestor(req).username, orgao: orgaoDoGestor(req) };
}

/** Strong ETag of a record version. */
export const etag = (versao: number): string => `"v${versao}"`;

/** 428: a conditional write without If-Match. */
export class PreCondicaoObrigatoria extends ApiError {
  constructor() {
    super(428, 'DadosInvalidos', 'Cabeçalho If-Match obrigatório: envie o ETag recebido no GET (ex.: If-Match: "v3") para não sobrescrever alteração alheia', [
      { path: 'If-Match', message: 'Cabeçalho If-Match obrigatório' },
    ]);
  }
}

/** The version in If-Match (`"v3"`, `W/"v3"` or `3`); undefined when absent; 400 when unreadable. */
export function versaoDoIfMatch(req: Request): number | undefined {
  const h = req.get('if-match');
  if (h === undefined) return undefined;
  const m = /^(?:W\/)?"?v?(\d{1,9})"?$/.exec(h.trim());
  if (!m) throw DadosInvalidos.campo('If-Match', 'If-Match deve ser o ETag do registro, ex.: "v3"');
  return Number(m[1]);
}

/** `?dryRun=true|false`; anything else is a 400. */
export function ehDryRun(req: Request): boolean {
  const v = req.query['dryRun'];
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw DadosInvalidos.campo('dryRun', 'dryRun deve ser true ou false');
}

const LIMITE_PAGINA_PADRAO = 20;
const LIMITE_PAGINA_MAXIMO = 100;
const OFFSET_MAXIMO = 10_000;

/** Query string: only `permitidos` keys, each a single string. */
export function consulta(req: Request, permitidos: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const erros = [];
  for (const [k, v] of Object.entries(req.query)) {
    if (!permitidos.includes(k)) erros.push({ path: k, message: `Parâmetro não permitido: ${k}` });
    else if (typeof v !== 'string') erros.push({ path: k, message: `${k} deve aparecer uma única vez, como texto` });
    else out[k] = v;
  }
  if (erros.length > 0) throw new DadosInvalidos(erros);
  return out;
}

export function paginacao(q: Record<string, string>): { limit: number; offset: number } {
  const erros = [];
  const limit = q['limit'] === undefined ? LIMITE_PAGINA_PADRAO : Number(q['limit']);
  const offset = q['offset'] === undefined ? 0 : Number(q['offset']);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITE_PAGINA_MAXIMO || !/^\d+$/.test(q['limit'] ?? '1')) {
    erros.push({ path: 'limit', message: `limit deve ser um inteiro de 1 a ${LIMITE_PAGINA_MAXIMO}` });
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > OFFSET_MAXIMO || !/^\d+$/.test(q['offset'] ?? '0')) {
    erros.push({ path: 'offset', message: `offset deve ser um inteiro de 0 a ${OFFSET_MAXIMO}` });
  }
  if (erros.length > 0) throw new DadosInvalidos(erros);
  return { limit, offset };
}
