/**
 * The audit hash against a fixed vector (test/vetores/hashes.json) whose canonical texts were written by hand and
 * whose digests were computed with sha256sum on those exact bytes — never by cadeia.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { calcularHash, conteudoCanonico, GENESE, type ConteudoAuditoria } from './cadeia.js';

interface LinhaVetor {
  hashAnterior: string;
  conteudo: ConteudoAuditoria;
  conteudoCanonico: string;
  hash: string;
}

const VETORES = JSON.parse(readFileSync(new URL('../../../test/vetores/hashes.json', import.meta.url), 'utf8')) as {
  auditoriaHash: { linhas: LinhaVetor[] };
};
const [primeira, segunda] = VETORES.auditoriaHash.linhas;

describe('audit hash chain: fixed vector', () => {
  it('the vector file holds two chained rows, the first one on the genesis', () => {
    expect(VETORES.auditoriaHash.linhas).toHaveLength(2);
    expect(primeira.hashAnterior).toBe(GENESE);
    expect(GENESE).toBe('0000000000000000000000000000000000000000000000000000000000000000');
    expect(segunda.hashAnterior).toBe(primeira.hash);
  });

  it.each([['row 1', primeira], ['row 2 (non-ASCII text, escapes, nulls, nested keys out of order)', segunda]])(
    '%s: canonical text written by hand, digest from sha256sum',
    (_nome, linha) => {
      expect(conteudoCanonico(linha.conteudo)).toBe(linha.conteudoCanonico);
      expect(calcularHash(linha.hashAnterior, linha.conteudo)).toBe(linha.hash);
    },
  );

  it('a one-character change of any row changes its digest', () => {
    expect(calcularHash(primeira.hashAnterior, { ...primeira.conteudo, ator: 'gestora.mariA' })).not.toBe(primeira.hash);
    expect(calcularHash(segunda.hashAnterior, { ...segunda.conteudo, campos: ['nome'] })).not.toBe(segunda.hash);
  });
});
