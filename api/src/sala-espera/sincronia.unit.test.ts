import { describe, expect, it } from '@jest/globals';
import { pedidoParaEstado, type EstadoConta } from '../keycloak-sync/sincronizar-nivel.js';

const base: EstadoConta = { nivel: 3, versao: 2, situacao: 'ativa', obito: false, desativadaPorObito: false, saidaConcluida: false, lastro: null };

describe('the sync worker writes the complementary data the Sala de Espera verified', () => {
  it('writes dados_complementares next to the level once the account has any', () => {
    expect(pedidoParaEstado({ ...base, dadosComplementares: 'cns' })).toEqual({ atributos: { nivel_confianca: '3', lastro: null, dados_complementares: 'cns' } });
    expect(pedidoParaEstado({ ...base, dadosComplementares: 'cns,nis', obito: true })).toEqual({
      atributos: { nivel_confianca: '3', lastro: null, dados_complementares: 'cns,nis' }, habilitado: false,
    });
  });

  it('leaves the attribute alone while there is none (the write of an account without it is unchanged)', () => {
    expect(pedidoParaEstado({ ...base, dadosComplementares: null })).toEqual({ atributos: { nivel_confianca: '3', lastro: null } });
    expect(pedidoParaEstado(base)).toEqual({ atributos: { nivel_confianca: '3', lastro: null } });
  });
});
