/**
 * Security invariants of the realm file, checked on the git document (by `realm:diff` and `realm:apply`, which
 * refuse a file that breaks them, and by the tests):
 *
 * - every client requires PKCE with S256 and has `fullScopeAllowed: false` (its role scope is its scope mappings);
 * - no client uses the implicit flow; no user-facing client (standard flow or public) allows the password grant;
 * - every client that is not one of the city's own systems requires consent; only the city's own clients carry the
 *   `lum.cliente-da-prefeitura` marker, and only `lum-api` the shared-secret exception `lum.segredo-compartilhado`;
 * - confidential clients authenticate with private_key_jwt (`client-jwt`) unless they carry that exception;
 * - every client falls under the realm's client policies (evaluated here as Keycloak would: access type and
 *   attribute conditions) that enforce PKCE, no implicit, no password grant, no full scope, the redirect-URI rule,
 *   private_key_jwt for confidential clients and consent for external ones (`politicaCobre`);
 * - refresh tokens are rotated (revokeRefreshToken, no reuse): RFC 9700 §4.14 for the public clients;
 * - the city's user-facing clients carry the `cpf`, `nivel_confianca` and `lum-api` (audience) default scopes;
 * - the `cpf` and `nivel_confianca` scopes show a consent text;
 * - brute-force protection on, a password policy with a minimum length of 8 or more;
 * - events stored, with the project's listener (`lum-api`) enabled;
 * - the Sala de Espera: each login client's requirement, the authenticator in the browser and post-broker flows
 *   (`sala-espera.ts`).
 */
import { comoTexto, isObj, type Obj } from './normalizar.js';
import { violacoesDaSalaDeEspera } from './sala-espera.js';

/**
 * The city's own clients (the systems the source names, the citizen portal, the API, and the Descomplica points'
 * service account that records biometric captures). Any other is external.
 */
const CLIENTES_DA_PREFEITURA = [
  'lum-api', 'portal-cidadao', 'sgm-governo', 'sf-fazenda', 'sms-saude', 'smads-assistencia', 'sme-educacao', 'smit-inovacao', 'descomplica', 'descomplica-biometria',
];

const ESCOPOS_DA_CIDADE = ['cpf', 'nivel_confianca', 'lum-api'];

/** Client attribute that marks the city's own clients (external ones lack it: consent is required of them). */
const MARCA_DA_PREFEITURA = 'lum.cliente-da-prefeitura';
/** Client attribute that exempts a confidential client from private_key_jwt (only lum-api: docs/realm-gitops.md). */
const EXCECAO_SEGREDO = 'lum.segredo-compartilhado';
const CLIENTES_COM_SEGREDO = ['lum-api'];

/** Executors every client must be under, and those of confidential and of external clients. */
const EXECUTORES_DE_TODOS = ['pkce-enforcer', 'reject-implicit-grant', 'reject-ropc-grant', 'full-scope-disabled', 'secure-redirect-uris-enforcer'];

const lista = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const atributos = (c: Obj): Obj => (isObj(c['attributes']) ? c['attributes'] : {});
const tipoDeAcesso = (c: Obj): string => (c['bearerOnly'] === true ? 'bearer-only' : c['publicClient'] === true ? 'public' : 'confidential');

/** Whether a policy condition matches a client, as Keycloak evaluates the two condition kinds this realm uses. */
function condicaoCasa(cond: Obj, c: Obj): boolean | null {
  const conf = isObj(cond['configuration']) ? cond['configuration'] : {};
  const negar = conf['is-negative-logic'] === true;
  let r: boolean;
  if (cond['condition'] === 'client-access-type') r = (Array.isArray(conf['type']) ? conf['type'].map(String) : []).includes(tipoDeAcesso(c));
  else if (cond['condition'] === 'client-attributes') {
    const pares = JSON.parse(comoTexto(conf['attributes'] ?? '[]')) as { key: string; value: string }[];
    r = pares.every((p) => atributos(c)[p.key] === p.value);
  } else if (cond['condition'] === 'any-client') r = true;
  else return null;
  return negar ? !r : r;
}

/** The executors (with their configuration) the realm's enabled client policies apply to a client. */
function executoresDoCliente(doc: Obj, c: Obj): Obj[] {
  const perfis = new Map(lista((doc['clientProfiles'] as Obj | undefined)?.['profiles']).map((p) => [comoTexto(p['name']), p]));
  const out: Obj[] = [];
  for (const pol of lista((doc['clientPolicies'] as Obj | undefined)?.['policies'])) {
    if (pol['enabled'] !== true) continue;
    const conds = lista(pol['conditions']);
    if (!conds.length || !conds.every((x) => condicaoCasa(x, c) === true)) continue;
    for (const nome of Array.isArray(pol['profiles']) ? pol['profiles'].map(String) : []) out.push(...lista(perfis.get(nome)?.['executors']));
  }
  return out;
}

/** What is missing from the policies that cover a client (empty: fully covered). */
function politicaCobre(doc: Obj, c: Obj): string[] {
  const ex = executoresDoCliente(doc, c);
  const tem = (n: string) => ex.some((e) => e['executor'] === n);
  const faltam = EXECUTORES_DE_TODOS.filter((n) => !tem(n));
  const id = comoTexto(c['clientId']);
  if (tipoDeAcesso(c) === 'confidential' && atributos(c)[EXCECAO_SEGREDO] !== 'true') {
    const autenticador = ex.find((e) => e['executor'] === 'secure-client-authenticator');
    const permitidos = isObj(autenticador?.['configuration']) && Array.isArray(autenticador['configuration']['allowed-client-authenticators']) ? autenticador['configuration']['allowed-client-authenticators'].map(String) : [];
    if (!autenticador || permitidos.join() !== 'client-jwt') faltam.push('secure-client-authenticator (só client-jwt)');
  }
  if (!CLIENTES_DA_PREFEITURA.includes(id) && !tem('consent-required')) faltam.push('consent-required');
  return faltam;
}

export function violacoesDePolitica(doc: Obj): string[] {
  const v: string[] = [];
  const clientes = (Array.isArray(doc['clients']) ? doc['clients'] : []) as Obj[];
  for (const c of clientes) {
    const id = comoTexto(c['clientId']);
    const at = isObj(c['attributes']) ? c['attributes'] : {};
    const usuario = c['standardFlowEnabled'] === true || c['publicClient'] === true;
    if (at['pkce.code.challenge.method'] !== 'S256') v.push(`clients[${id}].attributes.pkce.code.challenge.method: sem PKCE S256`);
    if (c['fullScopeAllowed'] !== false) v.push(`clients[${id}].fullScopeAllowed: recebe todos os papéis do usuário (deve ser false, com scopeMappings)`);
    if (c['implicitFlowEnabled'] === true) v.push(`clients[${id}]: fluxo implícito habilitado`);
    if (usuario && c['directAccessGrantsEnabled'] === true) v.push(`clients[${id}]: concessão por senha (directAccessGrantsEnabled) em cliente de usuário`);
    if (at[MARCA_DA_PREFEITURA] === 'true' && !CLIENTES_DA_PREFEITURA.includes(id)) v.push(`clients[${id}].attributes.${MARCA_DA_PREFEITURA}: só os clientes da Prefeitura levam a marca`);
    if (at[EXCECAO_SEGREDO] !== undefined && !CLIENTES_COM_SEGREDO.includes(id)) v.push(`clients[${id}].attributes.${EXCECAO_SEGREDO}: exceção ao private_key_jwt reservada a ${CLIENTES_COM_SEGREDO.join(', ')}`);
    if (tipoDeAcesso(c) === 'confidential' && at[EXCECAO_SEGREDO] !== 'true' && c['clientAuthenticatorType'] !== 'client-jwt') v.push(`clients[${id}].clientAuthenticatorType: cliente confidencial sem private_key_jwt (client-jwt)`);
    const faltam = politicaCobre(doc, c);
    if (faltam.length) v.push(`clients[${id}]: fora das políticas de cliente do realm (faltam ${faltam.join(', ')})`);
    if (!CLIENTES_DA_PREFEITURA.includes(id)) {
      if (c['consentRequired'] !== true) v.push(`clients[${id}]: cliente externo à Prefeitura sem consentimento (consentRequired)`);
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
  if (doc['revokeRefreshToken'] !== true || doc['refreshTokenMaxReuse'] !== 0) v.push('revokeRefreshToken/refreshTokenMaxReuse: refresh tokens sem rotação (RFC 9700 §4.14: clientes públicos)');
  if (doc['bruteForceProtected'] !== true) v.push('bruteForceProtected: proteção contra força bruta desligada');
  const pp = comoTexto(doc['passwordPolicy'] ?? '');
  const m = /length\((\d+)\)/.exec(pp);
  if (!m || Number(m[1]) < 8) v.push(`passwordPolicy: sem comprimento mínimo de 8 (${pp || 'vazia'})`);
  if (doc['eventsEnabled'] !== true) v.push('eventsEnabled: eventos não são registrados');
  if (!(Array.isArray(doc['eventsListeners']) && doc['eventsListeners'].includes('lum-api'))) v.push('eventsListeners: o listener lum-api do projeto não está habilitado');
  v.push(...violacoesDaSalaDeEspera(doc));
  return v;
}

const URI_DE_CLIENTE = (c: Obj): [string, string[]][] => {
  const at = atributos(c);
  const texto = (v: unknown) => (typeof v === 'string' && v ? [v] : []);
  return [
    ['redirectUris', Array.isArray(c['redirectUris']) ? c['redirectUris'].map(String) : []],
    ['webOrigins', Array.isArray(c['webOrigins']) ? c['webOrigins'].map(String) : []],
    ['rootUrl', texto(c['rootUrl'])],
    ['baseUrl', texto(c['baseUrl'])],
    ['attributes.post.logout.redirect.uris', typeof at['post.logout.redirect.uris'] === 'string' ? at['post.logout.redirect.uris'].split('##').filter((x) => x && x !== '+') : []],
    ['attributes.backchannel.logout.url', texto(at['backchannel.logout.url'])],
  ];
};

/**
 * Checks of the document RESOLVED for one environment (`--ambiente`): outside `dev` every client URI is exact,
 * https and not loopback (no `*`), the redirect-URI rule is the strict profile, and no development key is trusted;
 * in every environment a user-facing client has at least one redirect URI and `dev` wildcards stay on localhost.
 */
export function violacoesDoAmbiente(doc: Obj, ambiente: string): string[] {
  const v: string[] = [];
  const producao = ambiente !== 'dev';
  for (const c of lista(doc['clients'])) {
    const id = comoTexto(c['clientId']);
    if (c['standardFlowEnabled'] === true && !(Array.isArray(c['redirectUris']) && c['redirectUris'].length)) v.push(`clients[${id}].redirectUris: vazio num cliente de fluxo de código`);
    for (const [campo, uris] of URI_DE_CLIENTE(c)) {
      for (const u of uris) {
        const url = URL.canParse(u) ? new URL(u) : null;
        const local = url !== null && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
        if (producao) {
          if (u.includes('*')) v.push(`clients[${id}].${campo}: curinga fora do desenvolvimento (${u})`);
          else if (!url || url.protocol !== 'https:') v.push(`clients[${id}].${campo}: não é uma URI https absoluta (${u})`);
          else if (local) v.push(`clients[${id}].${campo}: loopback fora do desenvolvimento (${u})`);
        } else if (u.includes('*') && !local) v.push(`clients[${id}].${campo}: curinga fora de localhost (${u})`);
      }
    }
    const at = atributos(c);
    if (producao && typeof at['jwks.string'] === 'string') {
      const kids = lista((JSON.parse(at['jwks.string']) as Obj)['keys']).map((k) => comoTexto(k['kid'] ?? ''));
      for (const kid of kids.filter((k) => k.startsWith('dev-'))) v.push(`clients[${id}].attributes.jwks.string: chave de desenvolvimento (${kid}) fora do desenvolvimento`);
    }
    if (producao) {
      const uris = executoresDoCliente(doc, c).filter((e) => e['executor'] === 'secure-redirect-uris-enforcer');
      const frouxo = uris.some((e) => isObj(e['configuration']) && Object.entries(e['configuration']).some(([k, x]) => k.startsWith('allow-') && x === true));
      if (!uris.length || frouxo) v.push(`clients[${id}]: a regra de URIs de redirecionamento do ambiente ${ambiente} não é a estrita (LUM_REALM_PERFIL_URIS=uris-de-redirecionamento-exatas)`);
    }
  }
  const frontend = isObj(doc['attributes']) ? comoTexto(doc['attributes']['frontendUrl'] ?? '') : '';
  if (producao && !/^https:\/\/[^/*]+$/.test(frontend)) v.push(`attributes.frontendUrl: o endereço público do realm fora do desenvolvimento deve ser https (${frontend || 'vazio'})`);
  return v;
}
