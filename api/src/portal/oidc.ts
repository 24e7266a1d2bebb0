/**
 * The portal signs in through the realm as the public client `portal-cidadao`: authorization code + PKCE (S256),
 * state and nonce, with openid-client. Keycloak's own required actions (password, one-time codes, passkeys) are
 * started the same way with `kc_action`.
 */
import * as oidc from 'openid-client';
import type { TokensDaSessao } from './sessao.js';

export interface ClienteOidc {
  /** The authorization request's URL and what the callback needs to finish it. */
  /** `idioma`: the portal's language, asked of the realm's screens (`ui_locales`) when it is not the realm's default pt-BR. */
  iniciar(opcoes: { redirectUri: string; acao?: string; idp?: string; idioma?: 'pt-BR' | 'en' }): Promise<{ url: string; state: string; verificador: string; nonce: string }>;
  concluir(urlAtual: URL, esperado: { state: string; verificador: string; nonce: string }): Promise<TokensDaSessao>;
  renovar(refreshToken: string): Promise<TokensDaSessao>;
  /** RP-initiated logout at the realm, or null when the realm has no end-session endpoint. */
  urlDeSaida(idToken: string | null, voltarPara: string): Promise<string | null>;
}

function paraSessao(t: oidc.TokenEndpointResponse, renovacaoAnterior: string | null = null): TokensDaSessao {
  return {
    acesso: t.access_token,
    renovacao: t.refresh_token ?? renovacaoAnterior,
    id: t.id_token ?? null,
    expiraEm: Date.now() + (t.expires_in ?? 60) * 1000,
  };
}

/** Discovery on first use (and again after a failure), so the API starts while Keycloak is still starting. */
export function criarClienteOidc(issuer: string, clientId: string): ClienteOidc {
  let config: Promise<oidc.Configuration> | undefined;
  const obter = () => {
    config ??= oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
      execute: new URL(issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
    }).catch((err: unknown) => {
      config = undefined;
      throw err;
    });
    return config;
  };
  return {
    async iniciar({ redirectUri, acao, idp, idioma }) {
      const c = await obter();
      const verificador = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verificador),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(acao ? { kc_action: acao } : {}),
        ...(idp ? { kc_idp_hint: idp } : {}),
        ...(idioma === 'en' ? { ui_locales: 'en' } : {}),
      });
      return { url: url.href, state, verificador, nonce };
    },
    async concluir(urlAtual, esperado) {
      const t = await oidc.authorizationCodeGrant(await obter(), urlAtual, {
        pkceCodeVerifier: esperado.verificador, expectedState: esperado.state, expectedNonce: esperado.nonce, idTokenExpected: true,
      });
      return paraSessao(t);
    },
    async renovar(refreshToken) {
      return paraSessao(await oidc.refreshTokenGrant(await obter(), refreshToken), refreshToken);
    },
    async urlDeSaida(idToken, voltarPara) {
      const c = await obter();
      if (!c.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(c, { post_logout_redirect_uri: voltarPara, ...(idToken ? { id_token_hint: idToken } : {}) }).href;
    },
  };
}
