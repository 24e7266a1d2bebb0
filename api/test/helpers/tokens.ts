/**
 * Local stand-in for Keycloak's signing keys, for the bearer-token middleware's own tests: a generated key pair,
 * a local JWKS, and tokens shaped like Keycloak's (realm_access.roles, preferred_username, azp, aud).
 * Real Keycloak tokens are exercised by the cross-process tests.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { criarVerificadorToken, type VerificadorToken } from '../../src/auth/verificador-token.js';

const ISSUER_TESTE = 'http://keycloak.teste/realms/prefeitura-sp';
const AUDIENCE_TESTE = 'lum-api';

export interface EmissorTeste {
  verificador: VerificadorToken;
  emitir(opcoes?: OpcoesToken): Promise<string>;
  gestor(username?: string): Promise<string>;
  cidadao(username?: string): Promise<string>;
}

interface OpcoesToken {
  sub?: string;
  username?: string;
  roles?: string[];
  azp?: string;
  issuer?: string;
  audience?: string | string[];
  expiraEmS?: number;
  extra?: JWTPayload;
  /** Sign with another key (forged token). */
  chave?: CryptoKey;
}

export async function criarEmissorTeste(): Promise<EmissorTeste> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'teste', alg: 'RS256', use: 'sig' };
  const verificador = criarVerificadorToken({ jwks: createLocalJWKSet({ keys: [jwk] }), issuer: ISSUER_TESTE, audience: AUDIENCE_TESTE });

  const emitir = async (o: OpcoesToken = {}): Promise<string> => {
    const agora = Math.floor(Date.now() / 1000);
    return new SignJWT({
      preferred_username: o.username ?? 'gestora.maria',
      realm_access: { roles: o.roles ?? ['gestor-cadastro'] },
      azp: o.azp ?? 'portal-cidadao',
      ...o.extra,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'teste', typ: 'JWT' })
      .setSubject(o.sub ?? '0d9c6a3e-6a53-4a8e-9d4f-1b2c3d4e5f60')
      .setIssuer(o.issuer ?? ISSUER_TESTE)
      .setAudience(o.audience ?? AUDIENCE_TESTE)
      .setIssuedAt(agora)
      .setExpirationTime(agora + (o.expiraEmS ?? 300))
      .sign(o.chave ?? privateKey);
  };
  return {
    verificador,
    emitir,
    gestor: (username = 'gestora.maria') => emitir({ username, roles: ['gestor-cadastro', 'servidor', 'cidadao'] }),
    cidadao: (username = '52998224725') => emitir({ username, roles: ['cidadao'], azp: 'portal-cidadao' }),
  };
}
