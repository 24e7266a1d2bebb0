import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { keycloakIssuer, keycloakRealmUrl, type Config } from '../config.js';
import { orgaosDosPapeis } from './papeis.js';
import type { Principal } from './principal.js';

/** Verifies a bearer token and returns the caller; rejects on anything wrong. */
export type VerificadorToken = (token: string) => Promise<Principal>;

export interface OpcoesVerificador {
  /** Key source: the realm's remote JWKS in production, a local JWKS in tests. */
  jwks: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Accepted clock skew in seconds (default 30). */
  toleranciaRelogioS?: number;
  /** How many verified tokens to remember until their `exp` (default 10 000; 0 turns the cache off). */
  cacheMax?: number;
}

/** Asymmetric algorithms Keycloak signs with; never `none` or HMAC. */
const ALGORITMOS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function principalDe(payload: JWTPayload): Principal {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('token sem sub');
  const realmAccess = payload['realm_access'] as { roles?: unknown } | undefined;
  const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((r): r is string => typeof r === 'string') : [];
  const username = payload['preferred_username'];
  const azp = payload['azp'];
  const cpf = payload['cpf'];
  return {
    sub: payload.sub,
    username: typeof username === 'string' ? username : null,
    roles,
    clientId: typeof azp === 'string' ? azp : null,
    orgaos: orgaosDosPapeis(roles),
    cpf: typeof cpf === 'string' && /^\d{11}$/.test(cpf) ? cpf : null,
  };
}

/**
 * A token that passed the full check is remembered (by its exact text) until its own `exp`, so a client that sends
 * the same bearer token on every call pays the signature check once — the check is a measurable share of the
 * hottest path (bench/pessoa-get.ts). The cache never outlives the token's `exp` (without the clock tolerance the
 * full check allows). It does not look again at the signing key: a key removed from the realm's JWKS after the
 * first check keeps its tokens accepted here until they expire.
 */
export function criarVerificadorToken({ jwks, issuer, audience, toleranciaRelogioS = 30, cacheMax = 10_000 }: OpcoesVerificador): VerificadorToken {
  const verificados = new Map<string, { principal: Principal; expiraEmMs: number }>();
  return async (token) => {
    const lembrado = verificados.get(token);
    if (lembrado) {
      if (lembrado.expiraEmMs > Date.now()) return lembrado.principal;
      verificados.delete(token);
    }
    const { payload } = await jwtVerify(token, jwks, { issuer, audience, algorithms: ALGORITMOS, clockTolerance: toleranciaRelogioS });
    const principal = principalDe(payload);
    if (cacheMax > 0 && typeof payload.exp === 'number') {
      if (verificados.size >= cacheMax) verificados.delete(verificados.keys().next().value!);
      verificados.set(token, { principal, expiraEmMs: payload.exp * 1000 });
    }
    return principal;
  };
}

/** Production verifier: the realm's JWKS (cached and refreshed by jose on unknown `kid`). */
export function criarVerificadorKeycloak(
  config: Pick<Config, 'keycloakUrl' | 'keycloakPublicUrl' | 'keycloakRealm' | 'lumApiAudience'>,
): VerificadorToken {
  const issuer = keycloakIssuer(config);
  const jwks = createRemoteJWKSet(new URL(`${keycloakRealmUrl(config)}/protocol/openid-connect/certs`), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return criarVerificadorToken({ jwks, issuer, audience: config.lumApiAudience });
}
