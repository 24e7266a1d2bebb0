/**
 * Drives Keycloak's real HTML forms without a browser: authorization code + PKCE through openid-client,
 * registration and password login through the themed forms. Used by the demo seed and by the tests.
 */
import * as client from 'openid-client';

export class CookieJar {
  private cookies = new Map<string, string>();
  store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const decode = (s: string) =>
  s.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');

export function formAction(html: string, formId: string): string {
  const m = new RegExp(`<form[^>]*id="${formId}"[^>]*action="([^"]+)"`).exec(html)
    ?? new RegExp(`<form[^>]*action="([^"]+)"[^>]*id="${formId}"`).exec(html);
  if (!m) throw new Error(`form #${formId} not found in page:\n${html.slice(0, 2000)}`);
  return decode(m[1]);
}

/** Every field error and alert on a Keycloak page, as `field: message` lines (for assertion messages). */
export function pageErrors(html: string): string {
  const out = [...html.matchAll(/id="input-error-(?!container-)([\w-]+)"[^>]*>([\s\S]*?)<\/div>/g)]
    .map((m) => `${m[1]}: ${m[2].replace(/<[^>]+>/g, '').trim()}`);
  const alert = /class="[^"]*(?:alert|kc-feedback-text|pf-v5-c-alert__title)[^"]*"[^>]*>([\s\S]*?)<\/(?:span|div|h4)>/.exec(html);
  if (alert) out.push(`alert: ${alert[1].replace(/<[^>]+>/g, '').trim()}`);
  return out.join('\n') || html.slice(0, 1500);
}

/**
 * OIDC discovery of a realm (`issuer` = `<keycloak>/realms/<realm>`); plain http is allowed for loopback stacks.
 * `credencial`: a client secret, or a client-authentication method (e.g. openid-client's `PrivateKeyJwt`).
 */
export async function discover(issuer: string, clientId: string, credencial?: string | client.ClientAuth): Promise<client.Configuration> {
  const insecure = new URL(issuer).protocol === 'http:';
  const segredo = typeof credencial === 'string' ? credencial : undefined;
  const metodo = typeof credencial === 'function' ? credencial : undefined;
  return client.discovery(new URL(issuer), clientId, segredo, metodo, {
    execute: insecure ? [client.allowInsecureRequests] : [],
  });
}

export interface FlowOptions {
  config: client.Configuration;
  redirectUri: string;
  scope?: string;
  extraParams?: Record<string, string>;
}

/** Opens an authorization request; returns the jar, the first page and the PKCE/state to finish it. */
export async function openAuthorization(opts: FlowOptions) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(opts.config, {
    redirect_uri: opts.redirectUri,
    scope: opts.scope ?? 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    ...opts.extraParams,
  });
  const jar = new CookieJar();
  const res = await fetch(url, { redirect: 'manual' });
  jar.store(res);
  return { jar, page: { html: await res.text(), status: res.status, url: url.href }, codeVerifier, state };
}

export async function postForm(jar: CookieJar, action: string, fields: Record<string, string>): Promise<Response> {
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams(fields),
  });
  jar.store(res);
  return res;
}

async function finish(
  opts: FlowOptions, res: Response, codeVerifier: string, state: string,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const location = res.headers.get('location');
  if (res.status !== 302 || !location || !location.startsWith(opts.redirectUri)) {
    throw new Error(`expected a redirect to ${opts.redirectUri}, got ${res.status} ${location ?? ''}\n${(await res.text()).slice(0, 1500)}`);
  }
  return client.authorizationCodeGrant(opts.config, new URL(location), {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
  });
}

/** Authorization code + PKCE with a password typed into the login form. */
export async function loginWithPassword(opts: FlowOptions & { username: string; password: string }) {
  const { jar, page, codeVerifier, state } = await openAuthorization(opts);
  const res = await postForm(jar, formAction(page.html, 'kc-form-login'), {
    username: opts.username,
    password: opts.password,
    credentialId: '',
  });
  return finish(opts, res, codeVerifier, state);
}

export interface Registration {
  cpf: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
  dataNascimento?: string;
  extra?: Record<string, string>;
}

/** Registration through Keycloak's real registration form (prompt=create). Returns tokens or the error page. */
export async function register(opts: FlowOptions & { user: Registration }) {
  const { jar, page, codeVerifier, state } = await openAuthorization({
    ...opts,
    extraParams: { prompt: 'create', ...opts.extraParams },
  });
  const u = opts.user;
  const res = await postForm(jar, formAction(page.html, 'kc-register-form'), {
    username: u.cpf,
    password: u.password,
    'password-confirm': u.password,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    ...(u.dataNascimento ? { data_nascimento: u.dataNascimento } : {}),
    ...u.extra,
  });
  if (res.status === 200) return { ok: false as const, html: await res.text() };
  return { ok: true as const, tokens: await finish(opts, res, codeVerifier, state) };
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
