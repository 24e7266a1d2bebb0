import type { Orgao } from './papeis.js';

/** Who is calling, from a verified access token. */
export interface Principal {
  sub: string;
  username: string | null;
  /** realm_access.roles */
  roles: string[];
  /** azp: the OAuth client the token was issued to. */
  clientId: string | null;
  /** Organs derived from the steward roles (auth/papeis.ts); empty for a citizen. */
  orgaos: Orgao[];
  /** The `cpf` claim (11 digits) when present and well-formed; null otherwise. */
  cpf: string | null;
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

