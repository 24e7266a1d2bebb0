/**
 * The normalised form of the realm — the shape of realm-export/prefeitura-sp.json and of `realm:export`.
 *
 * One function, `normalizar`, turns either a Keycloak export (partial-export plus what the tool reads besides) or the
 * git file into the same canonical document: keys sorted, arrays of objects sorted by their stable key (clientId,
 * name, alias…; authentication executions keep their priority order and user-profile attributes keep their display
 * order), string arrays sorted (they are sets in Keycloak), generated ids, timestamps and secrets removed, built-in
 * clients and their roles left out (Keycloak creates them). Everything else the server reports, built-in defaults
 * included, is KEPT, so a change of any of them by hand shows as drift.
 *
 * `paraVisao` turns a normalised document into a "view" where every keyed array is an object keyed by that key and the
 * user profile is parsed: diffs on the view name paths such as `clients[sf-fazenda].redirectUris`.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON value as text: scalars as `String` writes them, objects and arrays as JSON (never `[object Object]`). */
export const comoTexto = (v: Json | undefined): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** Clients Keycloak creates in every realm; their settings follow the server version and are not managed here. */
export const CLIENTES_EMBUTIDOS = ['account', 'account-console', 'admin-cli', 'broker', 'realm-management', 'security-admin-console'];

/** Component type holding the declarative user profile (its config is one JSON string). */
export const UP_COMPONENTE = 'org.keycloak.userprofile.UserProfileProvider';
export const UP_CHAVE = 'kc.user.profile.config';

/** Top-level realm keys that are never managed (volatile, server-version bound or handled elsewhere). */
const CHAVES_REALM_IGNORADAS = new Set([
  'id', 'keycloakVersion', 'federatedUsers', 'organizations', 'userManagedAccessAllowed_', 'localizationTexts',
  'clientTemplates', 'applications', 'oauthClients', 'socialProviders', 'social', 'updateProfileOnInitialSocialLogin',
  'applicationScopeMappings', 'certificate', 'codeSecret', 'publicKey', 'privateKey', 'userFederationProviders',
  'userFederationMappers', 'protocolMappers',
]);

/** Keys removed wherever they appear (generated ids, timestamps, counters). */
const CHAVES_GERADAS = new Set([
  'id', 'containerId', 'internalId', 'createdTimestamp', 'parentId', 'subGroupCount', 'flowId', 'registrationAccessToken',
  // executions: Keycloak exports `authenticatorFlow` twice, once under its old misspelt name
  'autheticatorFlow',
]);

/** Client attributes that are timestamps or generated. */
const ATRIBUTOS_CLIENTE_GERADOS = new Set(['client.secret.creation.time', 'client.secret.rotated', 'client.secret.rotated.creation.time', 'client.secret.expiration.time', 'client.secret.rotated.expiration.time']);

/** The stable key of an element of the array found under `caminho` (property names from the root), or null. */
export function chaveEstavel(caminho: readonly string[], item: Json): string | null {
  if (!isObj(item)) return null;
  const ultimo = caminho[caminho.length - 1] ?? '';
  const pai = caminho[caminho.length - 2] ?? '';
  const s = (k: string) => (typeof item[k] === 'string' ? item[k] : null);
  switch (ultimo) {
    case 'clients':
      return s('clientId');
    case 'clientScopes':
    case 'protocolMappers':
    case 'groups':
    case 'subGroups':
    case 'policies':
    case 'profiles':
    case 'executors':
    case 'conditions':
      return s('name') ?? s('executor') ?? s('condition');
    case 'identityProviders':
      return s('alias');
    case 'identityProviderMappers':
      return `${s('identityProviderAlias')}/${s('name')}`;
    case 'authenticationFlows':
    case 'authenticatorConfig':
    case 'requiredActions':
      return s('alias');
    case 'users':
      return s('username');
    case 'scopeMappings':
      return s('client') ?? s('clientScope');
    case 'authenticationExecutions':
      return `${comoTexto(item['priority'] ?? '')}:${s('authenticator') ?? s('flowAlias') ?? ''}`;
    case 'attributes':
      return pai === 'userProfile' ? s('name') : null;
  }
  if (pai === 'roles' && ultimo === 'realm') return s('name');
  if (caminho[caminho.length - 3] === 'roles' && pai === 'client') return s('name');
  if (pai === 'clientScopeMappings') return s('client') ?? s('clientScope');
  if (pai === 'components') return s('name') ?? s('providerId');
  if (ultimo === 'groups' || pai === 'userProfile') return s('name');
  return null;
}

/** Arrays whose order means something: never sorted. */
function ordemSignificativa(caminho: readonly string[]): boolean {
  const ultimo = caminho[caminho.length - 1];
  if (ultimo === 'authenticationExecutions' || ultimo === 'executors' || ultimo === 'conditions') return true;
  // user profile (parsed): attributes and groups keep the display order; validator args are not sets either
  return caminho.includes('userProfile');
}

function ordenarChaves(v: Json, caminho: string[] = []): Json {
  if (Array.isArray(v)) {
    const itens = v.map((x) => ordenarChaves(x, caminho));
    if (ordemSignificativa(caminho)) {
      if (caminho[caminho.length - 1] === 'authenticationExecutions') {
        // only the order matters: priorities become ranks (the API numbers 0,1,2…; an import keeps 10,20…)
        return [...itens]
          .sort((a, b) => Number((a as Obj)['priority'] ?? 0) - Number((b as Obj)['priority'] ?? 0))
          .map((e, i) => ({ ...(e as Obj), priority: i }));
      }
      return itens;
    }
    if (itens.every((x) => typeof x === 'string')) return [...itens].sort();
    if (itens.every((x) => isObj(x))) {
      const k = (x: Json) => chaveEstavel(caminho, x) ?? JSON.stringify(x);
      return [...itens].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
    }
    return itens;
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) out[k] = ordenarChaves(v[k], [...caminho, k]);
    return out;
  }
  return v;
}

function semGerados(v: Json): Json {
  if (Array.isArray(v)) return v.map(semGerados);
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (!CHAVES_GERADAS.has(k) && x !== undefined) out[k] = semGerados(x);
    return out;
  }
  return v;
}

/** The user-profile JSON string in canonical form (keys sorted, attribute order kept). */
export function upCanonico(texto: string): string {
  return JSON.stringify(ordenarChaves(JSON.parse(texto) as Json, ['userProfile']));
}

function normalizarCliente(c: Obj): Obj {
  const out: Obj = { ...c };
  delete out['secret'];
  if (isObj(out['attributes'])) {
    const a: Obj = {};
    for (const [k, x] of Object.entries(out['attributes'])) if (!ATRIBUTOS_CLIENTE_GERADOS.has(k)) a[k] = x;
    out['attributes'] = a;
  }
  // Keycloak reports these only for the server's own use
  delete out['access'];
  delete out['authorizationSettings'];
  return out;
}

/**
 * Canonical document. Input: a RealmRepresentation-like object (the git file, raw or resolved, or what
 * `lerRealm` read from the server). Secrets (client `secret`, IdP `config.clientSecret`, smtp password) are
 * kept as they come: the caller decides (the git file holds `${ENV}` placeholders, a server read holds values).
 */
export function normalizar(entrada: Obj): Obj {
  const r: Obj = {};
  for (const [k, v] of Object.entries(entrada)) if (!CHAVES_REALM_IGNORADAS.has(k) && v !== null && v !== undefined) r[k] = v;

  const clientes = Array.isArray(r['clients']) ? (r['clients'] as Obj[]) : [];
  const gerenciados = clientes.filter((c) => !CLIENTES_EMBUTIDOS.includes(comoTexto(c['clientId'])));
  const segredos = new Map(gerenciados.map((c) => [comoTexto(c['clientId']), c['secret']]));
  r['clients'] = gerenciados.map(normalizarCliente);

  if (isObj(r['roles'])) {
    const roles = { ...r['roles'] };
    if (isObj(roles['client'])) {
      const cr: Obj = {};
      for (const [cid, lista] of Object.entries(roles['client'])) {
        if (CLIENTES_EMBUTIDOS.includes(cid)) continue;
        if (Array.isArray(lista) && lista.length === 0) continue;
        cr[cid] = lista;
      }
      roles['client'] = cr;
    }
    r['roles'] = roles;
  }

  // clientScopeMappings: keep mappings whose receiving client is managed
  if (isObj(r['clientScopeMappings'])) {
    const csm: Obj = {};
    for (const [dono, lista] of Object.entries(r['clientScopeMappings'])) {
      const l = (lista as Obj[]).filter((m) => !CLIENTES_EMBUTIDOS.includes(comoTexto(m['client'] ?? '')) || m['clientScope'] !== undefined);
      if (l.length) csm[dono] = l;
    }
    r['clientScopeMappings'] = csm;
  }

  // components: only the user profile, its config string canonical
  if (isObj(r['components'])) {
    const up = (r['components'][UP_COMPONENTE] as Obj[] | undefined) ?? [];
    r['components'] = up.length
      ? {
          [UP_COMPONENTE]: up.map((c): Obj => {
            const conf = isObj(c['config']) ? c['config'] : {};
            const texto = Array.isArray(conf[UP_CHAVE]) ? comoTexto(conf[UP_CHAVE][0]) : null;
            return {
              providerId: c['providerId'] ?? 'declarative-user-profile',
              subComponents: {},
              config: texto ? { [UP_CHAVE]: [upCanonico(texto)] } : {},
            };
          }),
        }
      : {};
  }

  // only custom authentication flows (built-in ones follow the server version)
  if (Array.isArray(r['authenticationFlows'])) {
    const fluxos = (r['authenticationFlows'] as Obj[]).filter((f) => f['builtIn'] !== true);
    r['authenticationFlows'] = fluxos;
    const usados = new Set<string>();
    for (const f of fluxos) for (const e of (f['authenticationExecutions'] as Obj[] | undefined) ?? []) if (e['authenticatorConfig']) usados.add(comoTexto(e['authenticatorConfig']));
    r['authenticatorConfig'] = ((r['authenticatorConfig'] as Obj[] | undefined) ?? []).filter((c) => usados.has(comoTexto(c['alias'])));
  }

  // users: service accounts only (their role mappings), other users are data, not configuration
  if (Array.isArray(r['users'])) {
    r['users'] = (r['users'] as Obj[])
      .filter((u) => typeof u['serviceAccountClientId'] === 'string')
      .map((u) => {
        const o: Obj = { username: u['username']!, enabled: u['enabled'] ?? true, serviceAccountClientId: u['serviceAccountClientId']! };
        if (Array.isArray(u['realmRoles'])) o['realmRoles'] = u['realmRoles'];
        if (isObj(u['clientRoles'])) {
          const cr: Obj = {};
          for (const [k, v] of Object.entries(u['clientRoles'])) if (Array.isArray(v) && v.length) cr[k] = v;
          o['clientRoles'] = cr;
        }
        return o;
      });
  }

  const limpo = ordenarChaves(semGerados(r)) as Obj;
  // put the secrets back as they came (placeholders or values), after the id/secret stripping
  for (const c of limpo['clients'] as Obj[]) {
    const s = segredos.get(comoTexto(c['clientId']));
    if (typeof s === 'string' && c['publicClient'] !== true && c['bearerOnly'] !== true) c['secret'] = s;
  }
  return ordenarChaves(limpo) as Obj;
}

/** The view used for diffs: keyed arrays become objects keyed by their stable key; the user profile is parsed. */
export function paraVisao(doc: Obj): Obj {
  return chavear(expandir(doc), []) as Obj;
}

/** Deep copy with the user-profile string parsed into a top-level `userProfile` (for diffs only). */
export function expandir(doc: Obj): Obj {
  const copia = JSON.parse(JSON.stringify(doc)) as Obj;
  const comps = isObj(copia['components']) ? copia['components'] : {};
  const up = (comps[UP_COMPONENTE] as Obj[] | undefined)?.[0];
  const upTexto = up && isObj(up['config']) && Array.isArray(up['config'][UP_CHAVE]) ? comoTexto(up['config'][UP_CHAVE][0]) : null;
  if (upTexto) {
    copia['userProfile'] = JSON.parse(upTexto) as Json;
    delete comps[UP_COMPONENTE];
    if (Object.keys(comps).length === 0) delete copia['components'];
  }
  return copia;
}

function chavear(v: Json, caminho: string[]): Json {
  if (Array.isArray(v)) {
    const chaves = v.map((x) => chaveEstavel(caminho, x));
    if (v.length && chaves.every((k) => k !== null) && new Set(chaves).size === chaves.length) {
      const o: Obj = {};
      v.forEach((x, i) => (o[chaves[i]] = chavear(x, caminho)));
      return o;
    }
    return v.map((x) => chavear(x, caminho));
  }
  if (isObj(v)) {
    const o: Obj = {};
    for (const [k, x] of Object.entries(v)) o[k] = chavear(x, [...caminho, k]);
    return o;
  }
  return v;
}

/** Pretty, stable text of a normalised document (what git holds). */
export function texto(doc: Obj): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
