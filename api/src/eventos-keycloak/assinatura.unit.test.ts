import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { assinarEvento, verificarAssinatura } from './assinatura.js';

/** Shared with the Java signer's tests (HmacSignerTest); digest computed with `openssl dgst -sha256 -hmac`. */
const VETOR = (JSON.parse(readFileSync(new URL('../../../test/vetores/hashes.json', import.meta.url), 'utf8')) as {
  eventoHmac: { segredo: string; timestamp: string; corpo: string; assinaturaHex: string; cabecalho: string };
}).eventoHmac;

const SEGREDO = 's3gr3d0';
const CORPO = Buffer.from('{"id":"e1","type":"REGISTER"}');
const AGORA_MS = 1_763_900_000_000;
const TS = String(AGORA_MS / 1000);

function verificar(o: { assinatura?: string; timestamp?: string; corpo?: Buffer; agoraMs?: number }) {
  return verificarAssinatura({ segredo: SEGREDO, assinatura: o.assinatura, timestamp: o.timestamp, corpo: o.corpo ?? CORPO, maxDesvioS: 300, agoraMs: o.agoraMs ?? AGORA_MS });
}

describe('event signature', () => {
  it('is v1=hex(HMAC-SHA256(secret, timestamp + "." + raw body)) as in docs/contracts.md: the shared fixed vector', () => {
    expect(VETOR.cabecalho).toBe(`v1=${VETOR.assinaturaHex}`);
    expect(assinarEvento(VETOR.segredo, VETOR.timestamp, Buffer.from(VETOR.corpo, 'utf8'))).toBe(VETOR.cabecalho);
    expect(assinarEvento(VETOR.segredo, VETOR.timestamp, VETOR.corpo)).toBe(VETOR.cabecalho);
    expect(verificarAssinatura({
      segredo: VETOR.segredo, assinatura: VETOR.cabecalho, timestamp: VETOR.timestamp, corpo: Buffer.from(VETOR.corpo, 'utf8'),
      maxDesvioS: 300, agoraMs: Number(VETOR.timestamp) * 1000,
    })).toEqual({ valida: true });
  });

  it('accepts a good signature inside the window', () => {
    expect(verificar({ assinatura: assinarEvento(SEGREDO, TS, CORPO), timestamp: TS })).toEqual({ valida: true });
    expect(verificar({ assinatura: assinarEvento(SEGREDO, TS, CORPO), timestamp: TS, agoraMs: AGORA_MS + 299_000 })).toEqual({ valida: true });
  });

  it.each([
    ['assinatura-ausente', { timestamp: TS }],
    ['timestamp-ausente', { assinatura: assinarEvento(SEGREDO, TS, CORPO) }],
    ['timestamp-invalido', { assinatura: assinarEvento(SEGREDO, TS, CORPO), timestamp: '17639e5' }],
    ['timestamp-fora-da-janela', { assinatura: assinarEvento(SEGREDO, TS, CORPO), timestamp: TS, agoraMs: AGORA_MS + 301_000 }],
    ['timestamp-fora-da-janela', { assinatura: assinarEvento(SEGREDO, TS, CORPO), timestamp: TS, agoraMs: AGORA_MS - 301_000 }],
    ['assinatura-invalida', { assinatura: assinarEvento('outro', TS, CORPO), timestamp: TS }],
    ['assinatura-invalida', { assinatura: assinarEvento(SEGREDO, TS, Buffer.from('{"id":"e1","type":"REGISTER" }')), timestamp: TS }],
    ['assinatura-invalida', { assinatura: assinarEvento(SEGREDO, String(Number(TS) - 1), CORPO), timestamp: TS }],
    ['assinatura-invalida', { assinatura: 'v1=abc', timestamp: TS }],
    ['assinatura-invalida', { assinatura: assinarEvento(SEGREDO, TS, CORPO).replace('v1=', 'v0='), timestamp: TS }],
  ])('refuses: %s', (motivo, o) => {
    expect(verificar(o)).toEqual({ valida: false, motivo });
  });
});
