/**
 * Signing in at the Gov.br simulator without a browser (a cookie jar over fetch), for tests that need Gov.br's real
 * answers: codes, id_tokens, access tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SimuladorGovbr } from '../../scripts/support/govbr/simulador.js';

/** A tiny cookie jar: the simulator's session and interaction cookies across redirects. */
export class Navegador {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly origem: string) {}

  async ir(url: string, init: RequestInit = {}): Promise<Response> {
    const r = await fetch(url, {
      ...init, redirect: 'manual',
      headers: { ...(init.headers as Record<string, string> | undefined), cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of r.headers.getSetCookie()) {
      const [par] = c.split(';');
      const i = par.indexOf('=');
      this.cookies.set(par.slice(0, i), par.slice(i + 1));
    }
    return r;
  }

  /** Follows redirects on the simulator's origin until one leaves it (or a page answers). */
  async seguir(url: string, init: RequestInit = {}): Promise<Response> {
    let r = await this.ir(url, init);
    while ([302, 303].includes(r.status)) {
      const destino = new URL(r.headers.get('location')!, url).href;
      if (!destino.startsWith(this.origem)) return r;
      url = destino;
      r = await this.ir(url);
    }
    return r;
  }

  /** Posts the page's first form (its action) with `campos`. */
  async enviarFormulario(pagina: Response, campos: Record<string, string>): Promise<Response> {
    const acao = /action="([^"]+)"/.exec(await pagina.text())?.[1];
    if (!acao) throw new Error('página sem formulário');
    return this.seguir(new URL(acao, this.origem).href, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(campos).toString(),
    });
  }
}

export interface ClienteDoSimulador {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** An authorization request as a relying party builds it for Gov.br (nonce, state, PKCE S256). */
export function pedidoGovbr(sim: SimuladorGovbr, cliente: ClienteDoSimulador, extra: Record<string, string | null> = {}) {
  const verificador = b64url(randomBytes(32));
  const p: Record<string, string | null> = {
    response_type: 'code', client_id: cliente.clientId, redirect_uri: cliente.redirectUri,
    scope: 'openid email phone profile govbr_confiabilidades govbr_confiabilidades_idtoken',
    nonce: b64url(randomBytes(8)), state: b64url(randomBytes(8)), code_challenge: b64url(createHash('sha256').update(verificador).digest()),
    code_challenge_method: 'S256', ...extra,
  };
  const url = new URL('authorize', sim.issuer);
  for (const [k, v] of Object.entries(p)) if (v !== null) url.searchParams.set(k, v);
  return { url: url.href, verificador, nonce: p.nonce, state: p.state };
}

/** The token endpoint with HTTP Basic (or the secret in the body, which Gov.br refuses). */
export function trocarCodigo(sim: SimuladorGovbr, cliente: ClienteDoSimulador, code: string, verificador: string, auth: 'basic' | 'post' = 'basic') {
  const corpo = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: cliente.redirectUri, code_verifier: verificador });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${cliente.clientId}:${cliente.clientSecret}`).toString('base64')}`;
  } else {
    corpo.set('client_id', cliente.clientId);
    corpo.set('client_secret', cliente.clientSecret);
  }
  return fetch(new URL('token', sim.issuer), { method: 'POST', headers, body: corpo.toString() });
}

/** Signs in as `cpf` and returns the token response (throws if any step fails). */
export async function tokensDoSimulador(sim: SimuladorGovbr, cliente: ClienteDoSimulador, cpf: string, senha: string, extra: Record<string, string | null> = {}) {
  const nav = new Navegador(sim.issuer);
  const p = pedidoGovbr(sim, cliente, extra);
  const volta = await nav.enviarFormulario(await nav.seguir(p.url), { cpf, senha });
  const code = new URL(volta.headers.get('location')!).searchParams.get('code');
  if (!code) throw new Error(`sem code: ${volta.status}`);
  const r = await trocarCodigo(sim, cliente, code, p.verificador);
  if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
  return { nav, p, tokens: (await r.json()) as Record<string, string | number> };
}
