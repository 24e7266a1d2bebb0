/** Who is calling, from a verified access token. */
export interface Principal {
  sub: string;
  username: string | null;
  /** realm_access.roles */
  roles: string[];
  /** azp: the OAuth client the token was issued to. */
  clientId: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `autenticar`. */
      principal?: Principal;
    }
  }
}

export const PAPEL_GESTOR_CADASTRO = 'gestor-cadastro';
