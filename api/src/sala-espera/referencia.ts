/**
 * The signed, short-lived reference the Keycloak authenticator `lum-sala-espera` hands to the Sala de Espera
 * (keycloak/…/sala/ReferenciaSala.java):
 *
 *   base64url(payload JSON) "." base64url(HMAC-SHA256(key, base64url(payload JSON)))      key = HMAC-SHA256(secret, "lum-sala-espera-v1")
 *
 * The secret is the one the event listener already shares with the API (LUM_EVENTS_HMAC_SECRET); the derived key
 * keeps an event signature from ever being valid as a reference and the other way round. The reference is the
 * citizen's credential on the room's pages and routes: it names the Keycloak account (`sub`), the client that asked,
 * the organ that reviews and the requirement; it expires after a few minutes (Keycloak's clock, checked here on the
 * wall clock like token expiry — see relogio.ts). test/vetores/sala-referencia.json is the vector both sides test.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Orgao } from '../auth/papeis.js';
import { NaoAutenticado } from '../errors/nao-autenticado.error.js';
import { ehDadoComplementar, ehOrgao, type DadoComplementar } from './requisitos.js';

const ROTULO_CHAVE = 'lum-sala-espera-v1';
/** Tolerance for a Keycloak clock slightly ahead of ours (iat in the future). */
const TOLERANCIA_S = 60;
/** A reference longer than this is not one of ours (refused before any decoding). */
const TAMANHO_MAXIMO = 4096;

export interface ReferenciaSala {
  /** Keycloak user id of the account. */
  sub: string;
  /** The account's username (its CPF). */
  cpf: string;
  cliente: string;
  nomeCliente: string;
  orgao: Orgao;
  nivel: number;
  dados: DadoComplementar[];
  emitidaEm: number;
  expiraEm: number;
  jti: string;
}

export const MENSAGEM_REFERENCIA_INVALIDA = 'Referência da Sala de Espera inválida ou adulterada: entre de novo pelo serviço que você estava acessando';
export const MENSAGEM_REFERENCIA_EXPIRADA = 'Referência da Sala de Espera expirada: entre de novo pelo serviço que você estava acessando para continuar';

const chaveDe = (segredo: string): Buffer => createHmac('sha256', segredo).update(ROTULO_CHAVE, 'utf8').digest();

/** Signs a payload (tests and tools; Keycloak signs the real ones). */
export function assinarReferencia(segredo: string, payloadJson: string): string {
  const corpo = Buffer.from(payloadJson, 'utf8').toString('base64url');
  return `${corpo}.${createHmac('sha256', chaveDe(segredo)).update(corpo, 'utf8').digest('base64url')}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Verifies signature, shape and lifetime; throws NaoAutenticado (401, pt-BR) otherwise. `agoraS`: epoch seconds. */
export function verificarReferencia(ref: unknown, segredo: string, agoraS: number = Math.floor(Date.now() / 1000)): ReferenciaSala {
  const invalida = () => new NaoAutenticado(MENSAGEM_REFERENCIA_INVALIDA);
  if (typeof ref !== 'string' || ref.length > TAMANHO_MAXIMO || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(ref)) throw invalida();
  const [corpo, assinatura] = ref.split('.') as [string, string];
  const esperada = createHmac('sha256', chaveDe(segredo)).update(corpo, 'utf8').digest();
  const recebida = Buffer.from(assinatura, 'base64url');
  if (recebida.length !== esperada.length || !timingSafeEqual(recebida, esperada)) throw invalida();
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(Buffer.from(corpo, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalida();
  }
  const texto = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 200;
  const inteiro = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
  if (
    p['v'] !== 1 || typeof p['sub'] !== 'string' || !UUID.test(p['sub']) || !texto(p['cpf']) || !texto(p['cli']) || !texto(p['nom']) || !ehOrgao(p['org']) ||
    !inteiro(p['niv']) || p['niv'] < 1 || p['niv'] > 5 || !Array.isArray(p['dad']) || !p['dad'].every(ehDadoComplementar) ||
    !inteiro(p['iat']) || !inteiro(p['exp']) || !texto(p['jti'])
  ) throw invalida();
  if (p['exp'] <= agoraS) throw new NaoAutenticado(MENSAGEM_REFERENCIA_EXPIRADA);
  if (p['iat'] > agoraS + TOLERANCIA_S || p['exp'] - p['iat'] > 3600) throw invalida();
  return {
    sub: p['sub'], cpf: p['cpf'] as string, cliente: p['cli'] as string, nomeCliente: p['nom'] as string, orgao: p['org'], nivel: p['niv'],
    dados: p['dad'], emitidaEm: p['iat'], expiraEm: p['exp'], jti: p['jti'] as string,
  };
}
