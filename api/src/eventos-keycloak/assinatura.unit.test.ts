import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { assinarEvento, verificarAssinatura } from './assinatura.js';

const SEGREDO = 's3gr3d0';
const CORPO = Buffer.from('{"id":"e1","type":"REGISTER"}');
const AGORA_MS = 1_763_900_000_000;
const TS = String(AGORA_MS / 1000);

function verificar(o: { assinatura?: string; timestamp?: string; corpo?: Buffer; agoraMs?: number }) {
  return verificarAssinatura({ segredo: SEGREDO, assinatura: o.assinatura, timestamp: o.timestamp, corpo: o.corpo ?? CORPO, maxDesvioS: 300, agoraMs: o.agoraMs ?? AGORA_MS });
}

describe('event signature', () => {
  it('is v1=hex(HMAC-SHA256(secret, timestamp + "." + raw body)) as in docs/contracts.md', () => {
    const esperado = createHmac('sha256', SEGREDO).update(`${TS}.${CORPO.toString()}`).digest('hex');
    expect(assinarEvento(SEGREDO, TS, CORPO)).toBe(`v1=${esperado}`);
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
