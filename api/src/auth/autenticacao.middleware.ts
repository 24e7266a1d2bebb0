import type { RequestHandler } from 'express';
import { NaoAutenticado } from '../errors/nao-autenticado.error.js';
import { Proibido } from '../errors/proibido.error.js';
import type { VerificadorToken } from './verificador-token.js';
import type { Principal } from './principal.js';

const BEARER = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/;

/** Requires a valid bearer token; puts the caller on `req.principal`. 401 (pt-BR) otherwise. */
export function autenticar(verificar: VerificadorToken): RequestHandler {
  return async (req, _res, next) => {
    const cabecalho = req.headers.authorization;
    const m = typeof cabecalho === 'string' ? BEARER.exec(cabecalho.trim()) : null;
    if (!m) throw new NaoAutenticado('Autenticação necessária: envie um token de acesso (Authorization: Bearer)');
    try {
      req.principal = await verificar(m[1]);
    } catch (err) {
      req.log?.info({ motivo: (err as Error).message }, 'token recusado');
      throw new NaoAutenticado('Token de acesso inválido ou expirado');
    }
    next();
  };
}

/** The authenticated caller, or 401 if a route forgot `autenticar`. */
export function principalDe(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new NaoAutenticado();
  return req.principal;
}

/** Requires at least one of the realm roles (after `autenticar`). 403 with `mensagem` otherwise. */
export function exigirAlgumPapel(papeis: readonly string[], mensagem: string): RequestHandler {
  return (req, _res, next) => {
    const roles = principalDe(req).roles;
    if (!papeis.some((p) => roles.includes(p))) throw new Proibido(mensagem);
    next();
  };
}

/** Requires a realm role (after `autenticar`). 403 otherwise. */
export function exigirPapel(papel: string): RequestHandler {
  return (req, _res, next) => {
    if (!principalDe(req).roles.includes(papel)) {
      throw new Proibido(papel === 'gestor-cadastro' ? 'Acesso restrito a gestores do cadastro (papel gestor-cadastro)' : `Acesso restrito ao papel ${papel}`);
    }
    next();
  };
}
