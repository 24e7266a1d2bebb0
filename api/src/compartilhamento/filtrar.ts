/**
 * Applies the data-sharing rules (regras.ts) to a person JSON. Pure; every person read by a steward or a client
 * goes through `filtrarPessoa` before it leaves the API, and the fields it returns are what the audit records.
 */
import type { Principal } from '../auth/principal.js';
import { REGRAS, type RegrasCompartilhamento } from './regras.js';

export interface Visao {
  /** Fields this principal may receive (sorted); empty = reads nothing. */
  campos: readonly string[];
  versaoRegras: string;
}

/** (∪ organ rules of the principal) ∩ (client rule of its azp); default deny. */
export function visaoDoGestor(principal: Pick<Principal, 'orgaos' | 'clientId'>, regras: RegrasCompartilhamento = REGRAS): Visao {
  const porOrgao = new Set<string>();
  for (const o of principal.orgaos) for (const c of regras.orgaos[o]?.campos ?? []) porOrgao.add(c);
  const cliente = principal.clientId !== null && Object.hasOwn(regras.clientes, principal.clientId) ? regras.clientes[principal.clientId] : null;
  const campos = cliente ? cliente.campos.filter((c) => porOrgao.has(c)) : [];
  return { campos: [...new Set(campos)].sort(), versaoRegras: regras.versao };
}

/** What a citizen sees of their own record (the caller has already proven it is their own). */
export function visaoDoCidadao(regras: RegrasCompartilhamento = REGRAS): Visao {
  return { campos: [...regras.cidadao.campos].sort(), versaoRegras: regras.versao };
}

export interface PessoaFiltrada {
  pessoa: Record<string, unknown>;
  /** Fields actually returned (present in the record and allowed), sorted: what the audit row records. */
  campos: string[];
}

/** Keeps only the allowed top-level fields of `json`. A field not in the view is never returned. */
export function filtrarPorVisao(json: object, visao: Visao): PessoaFiltrada {
  const permitidos = new Set(visao.campos);
  const pessoa: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) if (permitidos.has(k)) pessoa[k] = v;
  return { pessoa, campos: Object.keys(pessoa).sort() };
}

/** The one call the steward person routes make on every read: the JSON filtered for this principal. */
export function filtrarPessoa(json: object, principal: Pick<Principal, 'orgaos' | 'clientId'>, regras: RegrasCompartilhamento = REGRAS): PessoaFiltrada {
  return filtrarPorVisao(json, visaoDoGestor(principal, regras));
}
