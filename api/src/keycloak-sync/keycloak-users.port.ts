import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import type UserRepresentation from '@keycloak/keycloak-admin-client/lib/defs/userRepresentation.js';
import { decodeJwt } from 'jose';
import type { Config } from '../config.js';

export type { UserRepresentation };

/** The user does not exist in Keycloak (permanent: the job must not be retried). */
export class UsuarioKeycloakNaoEncontrado extends Error {
  constructor(readonly userId: string) {
    super(`usuário ${userId} não encontrado no Keycloak`);
    this.name = 'UsuarioKeycloakNaoEncontrado';
  }
}

/** What the sync processor needs from Keycloak. Injected, so the processor can be tested with a fake. */
export interface KeycloakUsersPort {
  /** GET /admin/realms/{realm}/users/{id}; undefined on 404. */
  buscarUsuario(id: string): Promise<UserRepresentation | undefined>;
  /** PUT /admin/realms/{realm}/users/{id} with a FULL representation; throws UsuarioKeycloakNaoEncontrado on 404. */
  atualizarUsuario(id: string, rep: UserRepresentation): Promise<void>;
  /** POST /admin/realms/{realm}/users/{id}/logout: ends every session of the user (back-channel logout to clients). */
  encerrarSessoes(id: string): Promise<void>;
}

/** The subset of KcAdminClient used here (lets the re-auth logic be unit-tested). */
export interface ClienteAdminKeycloak {
  accessToken?: string;
  auth(credentials: { grantType: 'client_credentials'; clientId: string; clientSecret: string }): Promise<void>;
  users: {
    findOne(payload: { id: string }): Promise<UserRepresentation | undefined>;
    update(query: { id: string }, rep: UserRepresentation): Promise<void>;
    logout(query: { id: string }): Promise<void>;
  };
}

export interface OpcoesKeycloakAdmin {
  baseUrl: string;
  realm: string;
  clientId: string;
  clientSecret: string;
  /** Re-authenticate when the token expires in less than this (default 30 s). */
  margemRenovacaoS?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export function opcoesKeycloakAdmin(config: Config): OpcoesKeycloakAdmin {
  return { baseUrl: config.keycloakUrl, realm: config.keycloakRealm, clientId: config.lumApiClientId, clientSecret: config.lumApiClientSecret };
}

function statusHttp(err: unknown): number | undefined {
  if (err instanceof NetworkError) return err.response.status;
  const resposta = (err as { response?: { status?: unknown } } | null)?.response;
  return typeof resposta?.status === 'number' ? resposta.status : undefined;
}

/**
 * Real adapter over `@keycloak/keycloak-admin-client`, authenticated as the `lum-api` service account by
 * client_credentials. There is no refresh token in that grant, so it re-authenticates itself when the token is
 * near expiry, and once more on a 401.
 */
export class KeycloakAdminUsers implements KeycloakUsersPort {
  private readonly cliente: ClienteAdminKeycloak;
  private expiraEmMs = 0;
  private autenticando: Promise<void> | undefined;

  constructor(
    private readonly opcoes: OpcoesKeycloakAdmin,
    cliente?: ClienteAdminKeycloak,
    private readonly agora: () => number = Date.now,
  ) {
    this.cliente = cliente ?? new KcAdminClient({ baseUrl: opcoes.baseUrl, realmName: opcoes.realm, timeout: opcoes.timeoutMs ?? 10_000 });
  }

  async buscarUsuario(id: string): Promise<UserRepresentation | undefined> {
    try {
      return (await this.comToken(() => this.cliente.users.findOne({ id }))) ?? undefined;
    } catch (err) {
      if (statusHttp(err) === 404) return undefined;
      throw err;
    }
  }

  async atualizarUsuario(id: string, rep: UserRepresentation): Promise<void> {
    try {
      await this.comToken(() => this.cliente.users.update({ id }, rep));
    } catch (err) {
      if (statusHttp(err) === 404) throw new UsuarioKeycloakNaoEncontrado(id);
      throw err;
    }
  }

  async encerrarSessoes(id: string): Promise<void> {
    try {
      await this.comToken(() => this.cliente.users.logout({ id }));
    } catch (err) {
      if (statusHttp(err) === 404) throw new UsuarioKeycloakNaoEncontrado(id);
      throw err;
    }
  }

  private async comToken<T>(chamada: () => Promise<T>): Promise<T> {
    const margemMs = (this.opcoes.margemRenovacaoS ?? 30) * 1000;
    if (this.agora() >= this.expiraEmMs - margemMs) await this.autenticar();
    try {
      return await chamada();
    } catch (err) {
      if (statusHttp(err) !== 401) throw err;
      this.expiraEmMs = 0;
      await this.autenticar();
      return chamada();
    }
  }

  /** One token request at a time, however many calls are waiting. */
  private autenticar(): Promise<void> {
    this.autenticando ??= (async () => {
      try {
        await this.cliente.auth({ grantType: 'client_credentials', clientId: this.opcoes.clientId, clientSecret: this.opcoes.clientSecret });
        const exp = this.cliente.accessToken ? decodeJwt(this.cliente.accessToken).exp : undefined;
        this.expiraEmMs = typeof exp === 'number' ? exp * 1000 : this.agora() + 60_000;
      } finally {
        this.autenticando = undefined;
      }
    })();
    return this.autenticando;
  }
}
