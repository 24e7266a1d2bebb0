import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { assinarReferencia, MENSAGEM_REFERENCIA_EXPIRADA, MENSAGEM_REFERENCIA_INVALIDA, verificarReferencia } from './referencia.js';

/** test/vetores/sala-referencia.json: computed with OpenSSL, shared with the Java tests. */
const vetor = JSON.parse(readFileSync(new URL('../../../test/vetores/sala-referencia.json', import.meta.url), 'utf8')) as {
  segredo: string; payload: string; referencia: string;
};
/** Inside the vector's lifetime (iat 1763308800, exp 1763309700). */
const DENTRO = 1763309000;

describe('Sala de Espera reference', () => {
  it('accepts the vector signed by OpenSSL and reads its fields', () => {
    expect(verificarReferencia(vetor.referencia, vetor.segredo, DENTRO)).toEqual({
      sub: '0b6f3c52-6d1e-4f55-9a8e-2f0c1d9e7a10', cpf: '52998224725', cliente: 'sms-saude', nomeCliente: 'Saúde — Secretaria Municipal da Saúde (SMS)',
      orgao: 'saude', nivel: 3, dados: ['cns'], emitidaEm: 1763308800, expiraEm: 1763309700, jti: '7d1f2a9e-3b4c-4d5e-8f60-1a2b3c4d5e6f',
    });
  });

  it('signs the vector payload to the vector reference', () => {
    expect(assinarReferencia(vetor.segredo, vetor.payload)).toBe(vetor.referencia);
  });

  it('refuses a tampered payload, a tampered signature, another secret and junk', () => {
    const [corpo, assinatura] = vetor.referencia.split('.') as [string, string];
    const outroCorpo = Buffer.from(vetor.payload.replace('"niv":3', '"niv":1'), 'utf8').toString('base64url');
    const erro = { status: 401, message: MENSAGEM_REFERENCIA_INVALIDA };
    expect(() => verificarReferencia(`${outroCorpo}.${assinatura}`, vetor.segredo, DENTRO)).toThrow(expect.objectContaining(erro));
    const trocada = assinatura.slice(0, -2) + (assinatura.endsWith('AA') ? 'AB' : 'AA');
    expect(() => verificarReferencia(`${corpo}.${trocada}`, vetor.segredo, DENTRO)).toThrow(expect.objectContaining(erro));
    expect(() => verificarReferencia(vetor.referencia, 'outro-segredo', DENTRO)).toThrow(expect.objectContaining(erro));
    for (const lixo of [undefined, 42, '', 'a.b', `${corpo}.${assinatura}.x`, 'x'.repeat(5000)]) {
      expect(() => verificarReferencia(lixo, vetor.segredo, DENTRO)).toThrow(expect.objectContaining(erro));
    }
  });

  it('refuses an expired reference with its own message, and one issued too far in the future', () => {
    expect(() => verificarReferencia(vetor.referencia, vetor.segredo, 1763309700)).toThrow(expect.objectContaining({ status: 401, message: MENSAGEM_REFERENCIA_EXPIRADA }));
    expect(() => verificarReferencia(vetor.referencia, vetor.segredo, 1763308800 - 61)).toThrow(expect.objectContaining({ message: MENSAGEM_REFERENCIA_INVALIDA }));
  });

  it('refuses a well-signed payload of the wrong shape (unknown organ, level out of range, unknown data)', () => {
    for (const [de, para] of [['"org":"saude"', '"org":"habitacao"'], ['"niv":3', '"niv":6'], ['"dad":["cns"]', '"dad":["foto"]']] as const) {
      const ref = assinarReferencia(vetor.segredo, vetor.payload.replace(de, para));
      expect(() => verificarReferencia(ref, vetor.segredo, DENTRO)).toThrow(expect.objectContaining({ message: MENSAGEM_REFERENCIA_INVALIDA }));
    }
  });
});
