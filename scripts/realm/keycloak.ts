/**
 * Talking to the running Keycloak: an admin session (admin client for the token) and a tiny REST helper for the
 * admin API, plus `lerRealm`, which reads the realm in the same shape as the git file.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { CLIENTES_EMBUTIDOS, comoTexto, isObj, normalizar, type Json, type Obj } from './normalizar.js';

export interface Conexao {
  url: string;
  realm: string;
  /** Admin API call; JSON in and out. 404 → undefined when `opcional`. */
  api<T = Json>(metodo: string, caminho: string, corpo?: unknown, opcoes?: { opcional?: boolean }): Promise<T>;
  /** Number of write calls (POST/PUT/DELETE) made so far: "nothing to change" means zero. */
  escritas(): number;
}

export interface Credenciais {
  url: string;
  realm: string;
  /** master-realm admin user (KEYCLOAK_ADMIN / KEYCLOAK_ADMIN_PASSWORD) … */
  usuario?: string;
  senha?: string;
  /** … or a service client of the master realm (KEYCLOAK_ADMIN_CLIENT_ID / KEYCLOAK_ADMIN_CLIENT_SECRET). */
  clientId?: string;
  clientSecret?: string;
}

export function credenciaisDoAmbiente(env: NodeJS.ProcessEnv): Credenciais {
  const url = (env['KEYCLOAK_URL'] ?? 'http://localhost:8080').replace(/\/+$/, '');
  return {
    url,
    realm: env['LUM_REALM'] ?? 'prefeitura-sp',
    usuario: env['KEYCLOAK_ADMIN'] ?? 'admin',
    senha: env['KEYCLOAK_ADMIN_PASSWORD'] ?? 'admin',
    ...(env['KEYCLOAK_ADMIN_CLIENT_ID'] ? { clientId: env['KEYCLOAK_ADMIN_CLIENT_ID'], clientSecret: env['KEYCLOAK_ADMIN_CLIENT_SECRET'] ?? '' } : {}),
  };
}

export class ErroApi extends Error {
  constructor(readonly status: number, metodo: string, caminho: string, corpo: string) {
    super(`${metodo} ${caminho} → ${status} ${corpo.slice(0, 500)}`);
  }
}

export async function conectar(c: Credenciais): Promise<Conexao> {
  const kc = new KcAdminClient({ baseUrl: c.url, realmName: 'master' });
  const autenticar = async () => {
    if (c.clientId) await kc.auth({ grantType: 'client_credentials', clientId: c.clientId, clientSecret: c.clientSecret ?? '' });
    else await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: c.usuario ?? 'admin', password: c.senha ?? '' });
  };
  await autenticar();
  let obtidoEm = Date.now();
  let escritas = 0;
  const base = `${c.url}/admin/realms/${encodeURIComponent(c.realm)}`;
  const api = async <T>(metodo: string, caminho: string, corpo?: unknown, opcoes: { opcional?: boolean } = {}): Promise<T> => {
    if (Date.now() - obtidoEm > 30_000) {
      await autenticar();
      obtidoEm = Date.now();
    }
    // partial-export is a POST that only reads
    if (metodo !== 'GET' && !caminho.startsWith('/partial-export')) escritas++;
    const url = caminho.startsWith('/admin/') ? `${c.url}${caminho}` : `${base}${caminho}`;
    const res = await fetch(url, {
      method: metodo,
      headers: { authorization: `Bearer ${kc.accessToken}`, ...(corpo !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(corpo !== undefined ? { body: JSON.stringify(corpo) } : {}),
    });
    const txt = await res.text();
    if (res.status === 404 && opcoes.opcional) return undefined as T;
    if (!res.ok) throw new ErroApi(res.status, metodo, caminho, txt);
    return (txt ? JSON.parse(txt) : undefined) as T;
  };
  return { url: c.url, realm: c.realm, api, escritas: () => escritas };
}

export async function realmExiste(k: Conexao): Promise<boolean> {
  const r = await k.api('GET', `/admin/realms/${encodeURIComponent(k.realm)}`, undefined, { opcional: true });
  return r !== undefined;
}

/**
 * The running realm as one RealmRepresentation in the git file's shape, normalised, with REAL client secrets
 * (the caller replaces them by placeholders or compares them with the env): partial-export (clients, groups,
 * roles, scopes, flows, components) plus the client secrets and the service accounts' role mappings, which the
 * partial export masks or leaves out.
 */
export async function lerRealm(k: Conexao): Promise<Obj> {
  const rep = await k.api<Obj>('POST', '/partial-export?exportClients=true&exportGroupsAndRoles=true');
  const clientes = ((rep['clients'] as Obj[] | undefined) ?? []).filter((c) => !CLIENTES_EMBUTIDOS.includes(comoTexto(c['clientId'])));
  const usuarios: Obj[] = [];
  for (const c of clientes) {
    const id = comoTexto(c['id']);
    if (c['publicClient'] !== true && c['bearerOnly'] !== true && c['clientAuthenticatorType'] === 'client-secret') {
      const s = await k.api<{ value?: string }>('GET', `/clients/${id}/client-secret`);
      c['secret'] = s?.value ?? null;
    } else delete c['secret'];
    if (c['serviceAccountsEnabled'] === true) {
      const u = await k.api<Obj>('GET', `/clients/${id}/service-account-user`);
      const m = await k.api<Obj>('GET', `/users/${comoTexto(u['id'])}/role-mappings`);
      const realmRoles = ((m['realmMappings'] as Obj[] | undefined) ?? []).map((r) => comoTexto(r['name']));
      const clientRoles: Obj = {};
      for (const [cid, cm] of Object.entries((m['clientMappings'] as Obj | undefined) ?? {})) {
        clientRoles[cid] = (((cm as Obj)['mappings'] as Obj[] | undefined) ?? []).map((r) => comoTexto(r['name']));
      }
      usuarios.push({ username: u['username']!, enabled: u['enabled'] ?? true, serviceAccountClientId: c['clientId']!, realmRoles, clientRoles });
    }
  }
  rep['users'] = usuarios;
  // the identity providers' client secrets come back masked; they are compared only by presence
  for (const idp of (rep['identityProviders'] as Obj[] | undefined) ?? []) {
    if (isObj(idp['config']) && typeof idp['config']['clientSecret'] === 'string') idp['config']['clientSecret'] = '**********';
  }
  return normalizar(rep);
}
