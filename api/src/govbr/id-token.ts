/**
 * The Gov.br id_token the Keycloak listener forwards with a sign-in through the `govbr` identity provider
 * (docs/govbr.md): verified against Gov.br's keys (`<issuer>jwk`), then read into the evidence the level rules use —
 * the CPF Gov.br asserts (`sub`), the account level and seals with their dates (`reliability_info`), and `amr`.
 *
 * The token's `exp` is not checked: Gov.br id_tokens live 60 s and the listener may deliver the event later (it
 * retries); the signature, issuer and audience are, and the event itself is authenticated by its HMAC.
 */
import { compactVerify, createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import { DadosInvalidos } from '../errors/dados-invalidos.error.js';
import { Indisponivel } from '../errors/indisponivel.error.js';
import { cpfValidoOuNulo } from '../validation/cpf.js';
import { nivelDosSelos, nivelGovbrDe, SELOS, type NivelGovbr } from './selos.js';

interface SeloLido {
  readonly id: string;
  /** From the catalogue (null: an id the catalogue does not know, kept as received). */
  readonly codigo: string | null;
  readonly nivel: NivelGovbr | null;
  /** As Gov.br wrote it (ISO-8601 with offset in the id_token); null when absent. */
  readonly atualizadoEm: string | null;
}

export interface DadosGovbr {
  /** The CPF Gov.br asserts (`sub`). */
  readonly cpf: string;
  /** `reliability_info.level`, else the level the seals give, else null (no reliability data in the token). */
  readonly nivel: NivelGovbr | null;
  readonly selos: readonly SeloLido[];
  readonly amr: readonly string[];
  /** `iat` of the token (when Gov.br said it), ISO-8601. */
  readonly emitidoEm: string | null;
  /** Whether the token carried `reliability_info` (scope govbr_confiabilidades_idtoken). */
  readonly comConfiabilidades: boolean;
}

const ehObjeto = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const texto = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Reads the claims of a verified Gov.br id_token. Pure. A `sub` that is not a valid CPF is refused (422-like). */
export function lerClaimsGovbr(claims: Record<string, unknown>): DadosGovbr {
  const cpf = cpfValidoOuNulo(typeof claims['sub'] === 'string' ? claims['sub'].replace(/\D/g, '') : null);
  if (cpf === null) throw DadosInvalidos.campo('govbr.idToken', 'O gov.br não informou um CPF válido (sub)');
  const info = ehObjeto(claims['reliability_info']) ? claims['reliability_info'] : null;
  const lista: unknown[] = info && Array.isArray(info['reliabilities']) ? (info['reliabilities'] as unknown[]) : [];
  const selos: SeloLido[] = lista.flatMap((s) => {
    const id = ehObjeto(s) ? texto(s['id']) : null;
    if (id === null || !ehObjeto(s)) return [];
    const c = SELOS.get(id);
    return [{ id, codigo: c?.codigo ?? null, nivel: c?.nivel ?? null, atualizadoEm: texto(s['updatedAt']) ?? texto(s['dataAtualizacao']) }];
  });
  const amr = Array.isArray(claims['amr']) ? (claims['amr'] as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  const iat = typeof claims['iat'] === 'number' && Number.isFinite(claims['iat']) ? new Date(claims['iat'] * 1000).toISOString() : null;
  const nivel = info ? (nivelGovbrDe(info['level']) ?? nivelDosSelos(selos.map((s) => s.id))) : null;
  return { cpf, nivel, selos, amr, emitidoEm: iat, comConfiabilidades: info !== null };
}

export type VerificadorGovbr = (idToken: string) => Promise<DadosGovbr>;

/**
 * Verifies the signature (RS256, Gov.br's keys), `iss` (exactly the configured issuer, trailing slash included) and
 * `aud` (our client id), then reads the claims. A bad token → DadosInvalidos; Gov.br's keys unreachable →
 * Indisponivel (the listener retries later).
 */
/** jose's error codes that mean the token itself is bad (not signed by a key of Gov.br's set, malformed, wrong algorithm). */
const TOKEN_RUIM = new Set<string>([
  errors.JWSSignatureVerificationFailed.code, errors.JWSInvalid.code, errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code, errors.JOSEAlgNotAllowed.code, errors.JOSENotSupported.code,
]);

export function criarVerificadorGovbr(config: Pick<Config, 'govbrIssuer' | 'govbrClientId' | 'govbrJwksUrl'>, chaves?: JWTVerifyGetKey): VerificadorGovbr {
  const jwks = chaves ?? createRemoteJWKSet(new URL(config.govbrJwksUrl || new URL('jwk', config.govbrIssuer).href));
  return async (idToken) => {
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(idToken, jwks, { algorithms: ['RS256'] }));
    } catch (err) {
      // Only what says the token itself is bad is the sender's fault; anything else (fetch failed, timeout, Gov.br
      // answering non-200 or a malformed key set) is Gov.br unavailable: 503, the listener retries. By error code, not
      // by class: a fetch failure's TypeError may come from another realm (a vm context), where instanceof fails.
      if (!TOKEN_RUIM.has((err as { code?: unknown } | null)?.code as string)) {
        throw new Indisponivel('As chaves do gov.br não puderam ser lidas agora; reenvie mais tarde');
      }
      throw DadosInvalidos.campo('govbr.idToken', 'id_token do gov.br com assinatura inválida');
    }
    let claims: unknown;
    try {
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      throw DadosInvalidos.campo('govbr.idToken', 'id_token do gov.br ilegível');
    }
    if (!ehObjeto(claims)) throw DadosInvalidos.campo('govbr.idToken', 'id_token do gov.br ilegível');
    if (claims['iss'] !== config.govbrIssuer) throw DadosInvalidos.campo('govbr.idToken', 'id_token de outro emissor que não o gov.br configurado');
    const aud = claims['aud'];
    if (!(aud === config.govbrClientId || (Array.isArray(aud) && aud.includes(config.govbrClientId)))) {
      throw DadosInvalidos.campo('govbr.idToken', 'id_token do gov.br emitido para outro cliente');
    }
    return lerClaimsGovbr(claims);
  };
}
