/**
 * The part of oidc-provider 9.13.3 the Gov.br simulator uses (the package ships no types, and @types/oidc-provider
 * is not a dependency of this project).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextoMinimo {
    path: string;
    method: string;
    status: number;
    body: unknown;
    query: Record<string, string | string[] | undefined>;
    oidc?: { params?: Record<string, unknown> };
    get(header: string): string;
    set(header: string, value: string): void;
    response: { get(header: string): string; set(header: string, value: string): void };
  }

  export interface Conta {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Interacao {
    uid: string;
    prompt: { name: string; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface GrantInstancia {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface AccessTokenInstancia {
    accountId: string;
    clientId: string;
    scope?: string;
    scopes: Set<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContextoMinimo, next: () => Promise<void>) => Promise<void>): void;
    on(evento: string, ouvinte: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interacao>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opcoes?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    Grant: new (dados: { accountId: string; clientId: string }) => GrantInstancia;
    AccessToken: { find(valor: string): Promise<AccessTokenInstancia | undefined> };
  }
}
