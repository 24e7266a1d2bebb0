/**
 * Security invariants of the realm file, checked on the git document (by `realm:diff` and `realm:apply`, which
 * refuse a file that breaks them, and by the tests):
 *
 * - every standard-flow (authorization-code) client requires PKCE with S256;
 * - no client uses the implicit flow; no user-facing client (standard flow or public) allows the password grant;
 * - every client that is not one of the city's own systems requires consent, and gets no full role scope;
 * - the city's user-facing clients carry the `cpf`, `nivel_confianca` and `lum-api` (audience) default scopes;
 * - the `cpf` and `nivel_confianca` scopes show a consent text;
 * - brute-force protection on, a password policy with a minimum length of 8 or more;
 * - events stored, with the project's listener (`lum-api`) enabled.
 */
import { comoTexto, isObj, type Obj } from './normalizar.js';

/** The city's own clients (the systems the source names, the citizen portal and the API). Any other is external. */
const CLIENTES_DA_PREFEITURA = [
  'lum-api', 'portal-cidadao', 'sgm-governo', 'sf-fazenda', 'sms-saude', 'smads-assistencia', 'sme-educacao', 'smit-inovacao', 'descomplica',
];

const ESCOPOS_DA_CIDADE = ['cpf', 'nivel_confianca', 'lum-api'];

export function violacoesDePolitica(doc: Obj): string[] {
  const v: string[] = [];
  const clientes = (Array.isArray(doc['clients']) ? doc['clients'] : []) as Obj[];
  for (const c of clientes) {
    const id = comoTexto(c['clientId']);
    const at = isObj(c['attributes']) ? c['attributes'] : {};
    const usuario = c['standardFlowEnabled'] === true || c['publicClient'] === true;
    if (c['standardFlowEnabled'] === true && at['pkce.code.challenge.method'] !== 'S256') v.push(`clients[${id}]: fluxo de código sem PKCE S256 (attributes.pkce.code.challenge.method)`);
    if (c['implicitFlowEnabled'] === true) v.push(`clients[${id}]: fluxo implícito habilitado`);
    if (usuario && c['directAccessGrantsEnabled'] === true) v.push(`clients[${id}]: concessão por senha (directAccessGrantsEnabled) em cliente de usuário`);
    if (!CLIENTES_DA_PREFEITURA.includes(id)) {
      if (c['consentRequired'] !== true) v.push(`clients[${id}]: cliente externo à Prefeitura sem consentimento (consentRequired)`);
      if (c['fullScopeAllowed'] !== false) v.push(`clients[${id}]: cliente externo com fullScopeAllowed (recebe todos os papéis)`);
    } else if (c['standardFlowEnabled'] === true) {
      const escopos = Array.isArray(c['defaultClientScopes']) ? c['defaultClientScopes'].map(String) : [];
      for (const e of ESCOPOS_DA_CIDADE) if (!escopos.includes(e)) v.push(`clients[${id}]: falta o escopo padrão ${e}`);
    }
  }
  const escopos = (Array.isArray(doc['clientScopes']) ? doc['clientScopes'] : []) as Obj[];
  for (const nome of ['cpf', 'nivel_confianca']) {
    const e = escopos.find((x) => x['name'] === nome);
    const at = e && isObj(e['attributes']) ? e['attributes'] : {};
    if (!e) v.push(`clientScopes[${nome}]: não existe`);
    else if (at['display.on.consent.screen'] !== 'true' || !comoTexto(at['consent.screen.text'] ?? '').trim()) v.push(`clientScopes[${nome}]: sem texto na tela de consentimento`);
  }
  if (doc['bruteForceProtected'] !== true) v.push('bruteForceProtected: proteção contra força bruta desligada');
  const pp = comoTexto(doc['passwordPolicy'] ?? '');
  const m = /length\((\d+)\)/.exec(pp);
  if (!m || Number(m[1]) < 8) v.push(`passwordPolicy: sem comprimento mínimo de 8 (${pp || 'vazia'})`);
  if (doc['eventsEnabled'] !== true) v.push('eventsEnabled: eventos não são registrados');
  if (!(Array.isArray(doc['eventsListeners']) && doc['eventsListeners'].includes('lum-api'))) v.push('eventsListeners: o listener lum-api do projeto não está habilitado');
  return v;
}
