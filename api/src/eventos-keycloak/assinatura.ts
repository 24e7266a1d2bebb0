import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature of the Keycloak → API events (docs/contracts.md):
 * `X-LUM-Signature: v1=<lowercase hex HMAC-SHA256(secret, timestamp + "." + raw body)>`, with
 * `X-LUM-Timestamp` in unix seconds. Computed over the raw bytes exactly as received, never re-serialised JSON.
 */

export const CABECALHO_ASSINATURA = 'x-lum-signature';
export const CABECALHO_TIMESTAMP = 'x-lum-timestamp';
export const CABECALHO_EVENT_ID = 'x-lum-event-id';

export function assinarEvento(segredo: string, timestamp: string | number, corpo: Buffer | string): string {
  const hmac = createHmac('sha256', segredo);
  hmac.update(`${timestamp}.`);
  hmac.update(corpo);
  return `v1=${hmac.digest('hex')}`;
}

type MotivoRecusa = 'assinatura-ausente' | 'timestamp-ausente' | 'timestamp-invalido' | 'timestamp-fora-da-janela' | 'assinatura-invalida';

export type ResultadoVerificacao = { valida: true } | { valida: false; motivo: MotivoRecusa };

export interface EntradaVerificacao {
  segredo: string;
  assinatura: string | undefined;
  timestamp: string | undefined;
  corpo: Buffer;
  maxDesvioS: number;
  agoraMs?: number;
}

const FORMATO_ASSINATURA = /^v1=([0-9a-f]{64})$/;

export function verificarAssinatura({ segredo, assinatura, timestamp, corpo, maxDesvioS, agoraMs = Date.now() }: EntradaVerificacao): ResultadoVerificacao {
  if (!assinatura) return { valida: false, motivo: 'assinatura-ausente' };
  if (!timestamp) return { valida: false, motivo: 'timestamp-ausente' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valida: false, motivo: 'timestamp-invalido' };
  if (Math.abs(agoraMs / 1000 - Number(timestamp)) > maxDesvioS) return { valida: false, motivo: 'timestamp-fora-da-janela' };

  const recebida = FORMATO_ASSINATURA.exec(assinatura.trim().toLowerCase());
  if (!recebida) return { valida: false, motivo: 'assinatura-invalida' };
  const esperada = Buffer.from(assinarEvento(segredo, timestamp, corpo).slice(3), 'hex');
  const dada = Buffer.from(recebida[1], 'hex');
  return dada.length === esperada.length && timingSafeEqual(dada, esperada) ? { valida: true } : { valida: false, motivo: 'assinatura-invalida' };
}
