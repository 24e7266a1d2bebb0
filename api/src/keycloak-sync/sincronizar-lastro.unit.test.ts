/**
 * The sync worker writes the evidence summary (`lastro`, read by the verified_claims mapper) with `nivel_confianca`,
 * in the same narrow write, and asks for its removal when the account has none.
 */
import { describe, expect, it } from '@jest/globals';
import { pedidoParaEstado, type EstadoConta } from './sincronizar-nivel.js';

const LASTRO = '{"v":1,"cpf":"52998224725","nome":"Ana Lima","evidencias":[{"tipo":"conhecimento","verificadoEm":"2026-11-16T15:30:00.000Z"}]}';
const base: EstadoConta = { nivel: 3, versao: 2, situacao: 'ativa', obito: false, desativadaPorObito: false, saidaConcluida: false, lastro: LASTRO };

describe('pedidoParaEstado and the lastro attribute', () => {
  it('writes lastro next to the level', () => {
    expect(pedidoParaEstado(base)).toEqual({ atributos: { nivel_confianca: '3', lastro: LASTRO } });
  });

  it('no summary (no record tied to the account): null, i.e. remove the attribute', () => {
    expect(pedidoParaEstado({ ...base, nivel: 1, lastro: null })).toEqual({ atributos: { nivel_confianca: '1', lastro: null } });
  });

  it('a death: the summary still written, the account disabled', () => {
    expect(pedidoParaEstado({ ...base, obito: true })).toEqual({ atributos: { nivel_confianca: '3', lastro: LASTRO }, habilitado: false });
  });
});
