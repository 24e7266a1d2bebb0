import { describe, expect, it } from '@jest/globals';
import { NetworkError } from '@keycloak/keycloak-admin-client';
import { UnsecuredJWT } from 'jose';
import { KeycloakAdminUsers, UsuarioKeycloakNaoEncontrado, type ClienteAdminKeycloak, type UserRepresentation } from './keycloak-users.port.js';

function erroHttp(status: number): NetworkError {
  return new NetworkError(`HTTP ${status}`, { response: new Response(null, { status }), responseData: '' });
}

function token(expS: number): string {
  return new UnsecuredJWT({}).setExpirationTime(expS).encode();
}

class ClienteFalso implements ClienteAdminKeycloak {
  accessToken?: string;
  auths = 0;
  respostas: Array<UserRepresentation | Error> = [];
  constructor(private readonly validadeS: () => number) {}
  async auth() {
    this.auths++;
    this.accessToken = token(this.validadeS());
  }
  users = {
    findOne: async (): Promise<UserRepresentation | undefined> => {
      const r = this.respostas.shift();
      if (r instanceof Error) throw r;
      return r;
    },
    logout: async (): Promise<void> => {
      const r = this.respostas.shift();
      if (r instanceof Error) throw r;
    },
  };
}

const OPCOES = { baseUrl: 'http://kc', realm: 'prefeitura-sp', clientId: 'lum-api', clientSecret: 's' };

describe('KeycloakAdminUsers', () => {
  it('authenticates once and reuses the token while it is valid', async () => {
    let agora = 1_000_000_000_000;
    const cliente = new ClienteFalso(() => agora / 1000 + 300);
    const kc = new KeycloakAdminUsers(OPCOES, cliente, () => agora);
    cliente.respostas.push({ id: 'a' }, { id: 'b' });
    await kc.buscarUsuario('a');
    agora += 200_000;
    await kc.buscarUsuario('b');
    expect(cliente.auths).toBe(1);
  });

  it('re-authenticates when the token is near expiry', async () => {
    let agora = 1_000_000_000_000;
    const cliente = new ClienteFalso(() => agora / 1000 + 300);
    const kc = new KeycloakAdminUsers(OPCOES, cliente, () => agora);
    cliente.respostas.push({ id: 'a' }, { id: 'b' });
    await kc.buscarUsuario('a');
    agora += 280_000; // 20 s left, margin is 30 s
    await kc.buscarUsuario('b');
    expect(cliente.auths).toBe(2);
  });

  it('re-authenticates once on a 401 and retries', async () => {
    const cliente = new ClienteFalso(() => Date.now() / 1000 + 300);
    const kc = new KeycloakAdminUsers(OPCOES, cliente);
    cliente.respostas.push(erroHttp(401), { id: 'a', username: 'x' });
    await expect(kc.buscarUsuario('a')).resolves.toEqual({ id: 'a', username: 'x' });
    expect(cliente.auths).toBe(2);
  });

  it('maps 404 to undefined on GET and to UsuarioKeycloakNaoEncontrado on logout', async () => {
    const cliente = new ClienteFalso(() => Date.now() / 1000 + 300);
    const kc = new KeycloakAdminUsers(OPCOES, cliente);
    cliente.respostas.push(erroHttp(404), erroHttp(404));
    await expect(kc.buscarUsuario('a')).resolves.toBeUndefined();
    await expect(kc.encerrarSessoes('a')).rejects.toBeInstanceOf(UsuarioKeycloakNaoEncontrado);
  });

  it('lets other errors through (the job retries)', async () => {
    const cliente = new ClienteFalso(() => Date.now() / 1000 + 300);
    const kc = new KeycloakAdminUsers(OPCOES, cliente);
    cliente.respostas.push(erroHttp(503));
    await expect(kc.encerrarSessoes('a')).rejects.toBeInstanceOf(NetworkError);
  });
});
