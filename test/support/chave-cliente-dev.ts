/**
 * The development key pair of the secretariats' clients (private_key_jwt). Its public half is the `LUM_*_JWKS` value
 * of scripts/realm/dev.env; homologacao.env and producao.env hold other keys (the static realm check refuses a
 * `dev-` key there). Development and tests only: it authenticates nothing outside a local realm.
 */
import type { webcrypto } from 'node:crypto';
import * as oidc from 'openid-client';
import { discover } from './oidc.js';

const CHAVE_PRIVADA_DEV: webcrypto.JsonWebKey & { kid: string } = {
  kty: 'EC', crv: 'P-256', kid: 'dev-clientes-da-prefeitura',
  x: 'Kkp3Af8wlVPwdfyFLxPUyAFKyRuwF8tuKV3Ihg5zc0Y', y: 'T1zGVObir1Pj6Nq9aoS2BDwWUKXCiP-8wZS_NQR2Dd0', d: 'ZEcQ37iD1ohvmqIIYqhj5Opa_6-3zML1iGRlQDNSL6o',
};

/** private_key_jwt with the development key (ES256), as a secretariat's system authenticates to the token endpoint. */
async function autenticacaoPorChaveDev(): Promise<oidc.ClientAuth> {
  const { kid, ...jwk } = CHAVE_PRIVADA_DEV;
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return oidc.PrivateKeyJwt({ key, kid });
}

/** Discovery for one of the secretariats' confidential clients (sf-fazenda, sms-saude…), authenticating with the dev key. */
export async function discoverSecretaria(clientId: string): Promise<oidc.Configuration> {
  return discover(clientId, await autenticacaoPorChaveDev());
}
