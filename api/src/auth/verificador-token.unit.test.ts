/** The verified-token cache: the signature is checked once per token, never past the token's own exp. */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { criarVerificadorToken } from './verificador-token.js';

async function cenario(expiraEmS: number) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  let consultasChave = 0;
  const jwks: JWTVerifyGetKey = async () => {
    consultasChave++;
    return publicKey;
  };
  const token = await new SignJWT({ realm_access: { roles: ['gestor-cadastro'] }, preferred_username: '11144477735' })
    .setProtectedHeader({ alg: 'RS256' }).setSubject('u-1').setIssuer('http://kc/realms/r').setAudience('lum-api')
    .setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + expiraEmS).sign(privateKey);
  return { jwks, token, consultas: () => consultasChave };
}

describe('criarVerificadorToken cache', () => {
  it('given the same valid token twice, then the signature is checked once and both calls get the same caller', async () => {
    const { jwks, token, consultas } = await cenario(60);
    const verificar = criarVerificadorToken({ jwks, issuer: 'http://kc/realms/r', audience: 'lum-api' });
    const a = await verificar(token);
    const b = await verificar(token);
    expect(a).toEqual(b);
    expect(a.roles).toEqual(['gestor-cadastro']);
    expect(consultas()).toBe(1);
  });

  it('given a token past its exp (within the clock tolerance), then the cache does not answer: the full check runs again', async () => {
    const { jwks, token, consultas } = await cenario(1);
    const verificar = criarVerificadorToken({ jwks, issuer: 'http://kc/realms/r', audience: 'lum-api', toleranciaRelogioS: 0 });
    await verificar(token);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(verificar(token)).rejects.toThrow(/exp/);
    expect(consultas()).toBe(2);
  });

  it('given a different (forged) token, then it is checked in full and refused', async () => {
    const { jwks, token } = await cenario(60);
    const verificar = criarVerificadorToken({ jwks, issuer: 'http://kc/realms/r', audience: 'lum-api' });
    await verificar(token);
    const [h, p] = token.split('.');
    const forjado = `${h}.${p}.${'A'.repeat(342)}`;
    await expect(verificar(forjado)).rejects.toThrow();
  });
});
