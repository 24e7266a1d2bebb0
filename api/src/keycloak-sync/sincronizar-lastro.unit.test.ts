/**
 * The sync worker writes the evidence summary (`lastro`) in the same PUT as `nivel_confianca`, removes it when the
 * account has none, and counts a stale summary as "not yet in Keycloak" even when the level already is.
 */
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { KeycloakUsersPort, UserRepresentation } from './keycloak-users.port.js';
import { sincronizarNivel, type NivelAtual } from './sincronizar-nivel.js';

const ID = '0b7f3c52-5d0e-4a8e-9b1f-2c3d4e5f6a7b';
const LASTRO = '{"v":1,"cpf":"52998224725","nome":"Ana Lima","evidencias":[{"tipo":"conhecimento","verificadoEm":"2026-11-16T15:30:00.000Z"}]}';

function cenario(atual: NivelAtual, atributos: Record<string, string[]>) {
  const puts: UserRepresentation[] = [];
  let usuario: UserRepresentation = { id: ID, username: '52998224725', enabled: true, attributes: atributos };
  const keycloak: KeycloakUsersPort = {
    buscarUsuario: async () => structuredClone(usuario),
    atualizarUsuario: async (_id, rep) => {
      puts.push(structuredClone(rep));
      usuario = { ...usuario, ...rep };
    },
    encerrarSessoes: async () => undefined,
  };
  const contas = { lerNivelAtual: async () => atual, marcarSincronizado: async () => undefined };
  return { puts, executar: () => sincronizarNivel({ contaId: ID, versao: atual.versao }, { contas, keycloak, logger: pino({ level: 'silent' }) }) };
}

describe('sincronizarNivel and the lastro attribute', () => {
  it('writes lastro with the level, keeping the other attributes', async () => {
    const c = cenario({ nivel: 3, versao: 2, situacao: 'ativa', lastro: LASTRO }, { cpf: ['52998224725'], nivel_confianca: ['1'] });
    expect(await c.executar()).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 2 });
    expect(c.puts).toHaveLength(1);
    expect(c.puts[0].attributes).toEqual({ cpf: ['52998224725'], nivel_confianca: ['3'], lastro: [LASTRO] });
  });

  it('the level already in Keycloak but the summary stale: writes again', async () => {
    const c = cenario({ nivel: 3, versao: 2, situacao: 'ativa', lastro: LASTRO }, { cpf: ['52998224725'], nivel_confianca: ['3'], lastro: ['{"v":1}'] });
    expect(await c.executar()).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 2 });
    expect(c.puts[0].attributes).toEqual({ cpf: ['52998224725'], nivel_confianca: ['3'], lastro: [LASTRO] });
  });

  it('no summary any more (e.g. the link is gone): the attribute is removed', async () => {
    const c = cenario({ nivel: 1, versao: 3, situacao: 'ativa', lastro: null }, { cpf: ['52998224725'], nivel_confianca: ['3'], lastro: [LASTRO] });
    await c.executar();
    expect(c.puts[0].attributes).toEqual({ cpf: ['52998224725'], nivel_confianca: ['1'] });
  });

  it('level and summary both current: no write', async () => {
    const c = cenario({ nivel: 3, versao: 2, situacao: 'ativa', lastro: LASTRO }, { nivel_confianca: ['3'], lastro: [LASTRO] });
    expect(await c.executar()).toEqual({ resultado: 'ja-sincronizado', nivel: 3, versao: 2 });
    expect(c.puts).toEqual([]);
  });
});
