import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import type UserRepresentation from '@keycloak/keycloak-admin-client/lib/defs/userRepresentation.js';
import { decodeJwt } from 'jose';
import type { Config } from '../config.js';
import { Agrupador, type ResultadoItem } from './agrupador.js';

export type { UserRepresentation };

/** The user does not exist in Keycloak (permanent: the job must not be retried). */
export class UsuarioKeycloakNaoEncontrado extends Error {
  constructor(readonly userId: string) {
    super(`usuário ${userId} não encontrado no Keycloak`);
    this.name = 'UsuarioKeycloakNaoEncontrado';
  }
}

/**
 * A write of the attributes the API owns (`lum-sincronia` resource of our Keycloak provider): only the names given
 * are written (null removes one) and, when present, the enabled flag — never the rest of the user.
 */
export interface PedidoAtributos {
  atributos: Record<string, string | null>;
  habilitado?: boolean;
  /**
   * A tied account's name and e-mail from its master record (issue 14, item 2). The e-mail is not written when another
   * user of the realm has it (the answer's `perfilIgnorado` says so).
   */
  perfil?: { firstName: string; lastName?: string; email?: string; emailVerificado?: boolean };
}

/** The owned attributes and the enabled flag after a write; `alterado` is false when the write changed nothing. */
export interface EstadoAtributos {
  atributos: Record<string, string | null>;
  habilitado: boolean;
  alterado: boolean;
  /** Parts of `perfil` Keycloak did not write (`email`: another user of the realm has that address). */
  perfilIgnorado?: string[];
}

/** One stored Keycloak event (GET /admin/realms/{realm}/events), as far as the recovery reads it. */
export interface EventoArmazenado {
  id?: string;
  time?: number;
  type?: string;
  clientId?: string;
  userId?: string;
  ipAddress?: string;
  details?: Record<string, string>;
}

/** One stored admin event (GET /admin/realms/{realm}/admin-events). */
export interface EventoAdminArmazenado {
  id?: string;
  time?: number;
  operationType?: string;
  resourceType?: string;
  resourcePath?: string;
}

/** What the sync processor, the reconciliation and the event recovery need from Keycloak. Injected (fakes in unit tests). */
export interface KeycloakUsersPort {
  /** GET /admin/realms/{realm}/users/{id}; undefined on 404. */
  buscarUsuario(id: string): Promise<UserRepresentation | undefined>;
  /**
   * PUT /realms/{realm}/lum-sincronia/usuarios/{id}, or, with batching on, one item of POST …/lum-sincronia/usuarios/lote;
   * throws UsuarioKeycloakNaoEncontrado on 404 (that user's alone).
   */
  gravarAtributos(id: string, pedido: PedidoAtributos): Promise<EstadoAtributos>;
  /** POST /admin/realms/{realm}/users/{id}/logout: ends every session of the user (back-channel logout to clients). */
  encerrarSessoes(id: string): Promise<void>;
}

/** Reading every user and the stored events (reconciliation, event recovery). */
export interface KeycloakLeituraPort {
  /** GET /admin/realms/{realm}/users?briefRepresentation=false, one page. */
  listarUsuarios(primeiro: number, maximo: number): Promise<UserRepresentation[]>;
  /** GET /admin/realms/{realm}/events, one page, newest first. */
  listarEventos(filtro: { tipos: readonly string[]; desdeMs: number; primeiro: number; maximo: number }): Promise<EventoArmazenado[]>;
  /** GET /admin/realms/{realm}/admin-events (USER resources), one page, newest first. */
  listarEventosAdmin(filtro: { operacoes: readonly string[]; desdeMs: number; primeiro: number; maximo: number }): Promise<EventoAdminArmazenado[]>;
  /**
   * GET /realms/{realm}/lum-sincronia/usuarios/{id}/govbr: the Gov.br id_token Keycloak stored on the user's govbr
   * link (identity provider `storeToken`); undefined when there is none (404).
   */
  lerIdTokenGovbr(id: string): Promise<string | undefined>;
}

/** A non-2xx answer of a plain fetch to Keycloak (same shape as the admin client's errors: `response.status`). */
class ErroHttpKeycloak extends Error {
  constructor(readonly response: { status: number }, texto: string) {
    super(`Keycloak respondeu ${response.status}: ${texto.slice(0, 300)}`);
    this.name = 'ErroHttpKeycloak';
  }
}

/** The subset of KcAdminClient used here (lets the re-auth logic be unit-tested). */
export interface ClienteAdminKeycloak {
  accessToken?: string;
  auth(credentials: { grantType: 'client_credentials'; clientId: string; clientSecret: string }): Promise<void>;
  users: {
    findOne(payload: { id: string }): Promise<UserRepresentation | undefined>;
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
  /**
   * Attribute writes grouped into batch requests (see agrupador.ts): at most `loteMax` writes per request, at most
   * `emVooMax` requests in flight. Absent or `loteMax` 1: one PUT per write.
   */
  lote?: { loteMax: number; emVooMax: number };
}

export function opcoesKeycloakAdmin(config: Config): OpcoesKeycloakAdmin {
  return {
    baseUrl: config.keycloakUrl, realm: config.keycloakRealm, clientId: config.lumApiClientId, clientSecret: config.lumApiClientSecret,
    lote: { loteMax: config.syncLoteMax, emVooMax: config.syncLotesEmVoo },
  };
}

/** One result of POST …/lum-sincronia/usuarios/lote, in the order of the items sent. */
interface ResultadoLote {
  id?: string;
  status?: number;
  message?: string;
  atributos?: Record<string, string | null>;
  habilitado?: boolean;
  alterado?: boolean;
  perfilIgnorado?: string[];
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
export class KeycloakAdminUsers implements KeycloakUsersPort, KeycloakLeituraPort {
  private readonly cliente: ClienteAdminKeycloak;
  private expiraEmMs = 0;
  private autenticando: Promise<void> | undefined;
  private readonly agrupador: Agrupador<{ id: string; pedido: PedidoAtributos }, EstadoAtributos> | undefined;

  constructor(
    private readonly opcoes: OpcoesKeycloakAdmin,
    cliente?: ClienteAdminKeycloak,
    private readonly agora: () => number = Date.now,
  ) {
    this.cliente = cliente ?? new KcAdminClient({ baseUrl: opcoes.baseUrl, realmName: opcoes.realm, timeout: opcoes.timeoutMs ?? 10_000 });
    if (opcoes.lote && opcoes.lote.loteMax > 1) this.agrupador = new Agrupador((itens) => this.gravarLote(itens), opcoes.lote);
  }

  async buscarUsuario(id: string): Promise<UserRepresentation | undefined> {
    try {
      return (await this.comToken(() => this.cliente.users.findOne({ id }))) ?? undefined;
    } catch (err) {
      if (statusHttp(err) === 404) return undefined;
      throw err;
    }
  }

  async gravarAtributos(id: string, pedido: PedidoAtributos): Promise<EstadoAtributos> {
    if (this.agrupador) return this.agrupador.executar({ id, pedido });
    try {
      return await this.comToken(() => this.http<EstadoAtributos>('PUT', `/realms/${encodeURIComponent(this.opcoes.realm)}/lum-sincronia/usuarios/${encodeURIComponent(id)}`, pedido));
    } catch (err) {
      if (statusHttp(err) === 404) throw new UsuarioKeycloakNaoEncontrado(id);
      throw err;
    }
  }

  /** One batch request; each item's result, a 404 as UsuarioKeycloakNaoEncontrado for that item only. */
  private async gravarLote(itens: Array<{ id: string; pedido: PedidoAtributos }>): Promise<ResultadoItem<EstadoAtributos>[]> {
    const corpo = { itens: itens.map(({ id, pedido }) => ({ id, ...pedido })) };
    const r = await this.comToken(() => this.http<{ resultados?: ResultadoLote[] }>('POST', `/realms/${encodeURIComponent(this.opcoes.realm)}/lum-sincronia/usuarios/lote`, corpo));
    const resultados = r.resultados ?? [];
    return itens.map(({ id }, i) => {
      const x = resultados[i];
      if (x?.id !== id) return new Error(`resposta do lote fora de ordem ou incompleta no item ${i}`);
      if (x.status === 404) return new UsuarioKeycloakNaoEncontrado(id);
      if (x.status !== 200 || !x.atributos || typeof x.habilitado !== 'boolean' || typeof x.alterado !== 'boolean') {
        return new Error(`Keycloak respondeu ${String(x.status)} para o usuário ${id} no lote: ${x.message ?? ''}`);
      }
      return { atributos: x.atributos, habilitado: x.habilitado, alterado: x.alterado, ...(x.perfilIgnorado ? { perfilIgnorado: x.perfilIgnorado } : {}) };
    });
  }

  listarUsuarios(primeiro: number, maximo: number): Promise<UserRepresentation[]> {
    const q = new URLSearchParams({ first: String(primeiro), max: String(maximo), briefRepresentation: 'false' });
    return this.comToken(() => this.http<UserRepresentation[]>('GET', `${this.admin()}/users?${q.toString()}`));
  }

  listarEventos(f: { tipos: readonly string[]; desdeMs: number; primeiro: number; maximo: number }): Promise<EventoArmazenado[]> {
    const q = new URLSearchParams({ dateFrom: String(f.desdeMs), first: String(f.primeiro), max: String(f.maximo), direction: 'asc' });
    for (const t of f.tipos) q.append('type', t);
    return this.comToken(() => this.http<EventoArmazenado[]>('GET', `${this.admin()}/events?${q.toString()}`));
  }

  listarEventosAdmin(f: { operacoes: readonly string[]; desdeMs: number; primeiro: number; maximo: number }): Promise<EventoAdminArmazenado[]> {
    const q = new URLSearchParams({ dateFrom: String(f.desdeMs), first: String(f.primeiro), max: String(f.maximo), resourceTypes: 'USER', direction: 'asc' });
    for (const o of f.operacoes) q.append('operationTypes', o);
    return this.comToken(() => this.http<EventoAdminArmazenado[]>('GET', `${this.admin()}/admin-events?${q.toString()}`));
  }

  async lerIdTokenGovbr(id: string): Promise<string | undefined> {
    try {
      const r = await this.comToken(() => this.http<{ idToken?: unknown }>('GET', `/realms/${encodeURIComponent(this.opcoes.realm)}/lum-sincronia/usuarios/${encodeURIComponent(id)}/govbr`));
      return typeof r.idToken === 'string' ? r.idToken : undefined;
    } catch (err) {
      if (statusHttp(err) === 404) return undefined;
      throw err;
    }
  }

  private admin(): string {
    return `/admin/realms/${encodeURIComponent(this.opcoes.realm)}`;
  }

  /** A JSON call with the service account's current token (the calls the admin client does not offer). */
  private async http<T>(metodo: 'GET' | 'PUT' | 'POST', caminho: string, corpo?: unknown): Promise<T> {
    const resposta = await fetch(`${this.opcoes.baseUrl.replace(/\/$/, '')}${caminho}`, {
      method: metodo,
      headers: { authorization: `Bearer ${this.cliente.accessToken ?? ''}`, ...(corpo === undefined ? {} : { 'content-type': 'application/json' }) },
      body: corpo === undefined ? undefined : JSON.stringify(corpo),
      signal: AbortSignal.timeout(this.opcoes.timeoutMs ?? 10_000),
    });
    if (!resposta.ok) throw new ErroHttpKeycloak({ status: resposta.status }, await resposta.text().catch(() => ''));
    return (await resposta.json()) as T;
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
