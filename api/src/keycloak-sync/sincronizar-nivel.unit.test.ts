import { describe, expect, it } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import type { NivelConfianca } from '../confianca/nivel.js';
import { atrasoDaTentativa, criarBackoffStrategy } from './backoff.js';
import { jobIdSyncNivel } from './constantes.js';
import { UsuarioKeycloakNaoEncontrado, type KeycloakUsersPort, type UserRepresentation } from './keycloak-users.port.js';
import { sincronizarNivel, type NivelAtual, type NivelContaPort } from './sincronizar-nivel.js';

const ID = '6f1c1c1e-8a0b-4c55-9d62-0c5b0f4f2a10';
const logger = pino({ level: 'silent' });

class KeycloakFalso implements KeycloakUsersPort {
  puts: Array<{ id: string; rep: UserRepresentation }> = [];
  constructor(
    public usuario: UserRepresentation | undefined,
    private readonly falharPut?: Error,
  ) {}
  async buscarUsuario(id: string) {
    return this.usuario && { ...structuredClone(this.usuario), id };
  }
  async atualizarUsuario(id: string, rep: UserRepresentation) {
    if (this.falharPut) throw this.falharPut;
    this.puts.push({ id, rep: structuredClone(rep) });
    this.usuario = { ...this.usuario, ...rep };
  }
  logouts: string[] = [];
  async encerrarSessoes(id: string) {
    this.logouts.push(id);
  }
}

class ContasFalsas implements NivelContaPort {
  sincronizados: Array<{ nivel: number; versao: number }> = [];
  leituras = 0;
  constructor(private readonly sequencia: Array<NivelAtual | null>) {}
  async lerNivelAtual() {
    const atual = this.sequencia[Math.min(this.leituras, this.sequencia.length - 1)]!;
    this.leituras++;
    return atual;
  }
  async marcarSincronizado(_id: string, nivel: NivelConfianca, versao: number) {
    this.sincronizados.push({ nivel, versao });
  }
}

const usuarioKeycloak = (): UserRepresentation => ({
  id: ID,
  username: '52998224725',
  email: 'ana@exemplo.test',
  firstName: 'Ana',
  lastName: 'Souza',
  enabled: true,
  emailVerified: true,
  createdTimestamp: 1763900000000,
  attributes: { cpf: ['52998224725'], telefone: ['11999990000'], nivel_confianca: ['1'] },
});

describe('sincronizarNivel', () => {
  it('merges the level into the attributes and PUTs the full representation back', async () => {
    const keycloak = new KeycloakFalso(usuarioKeycloak());
    const contas = new ContasFalsas([{ nivel: 3, versao: 1, situacao: 'ativa' }]);

    const r = await sincronizarNivel({ contaId: ID, versao: 1 }, { contas, keycloak, logger });

    expect(r).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 1 });
    expect(keycloak.puts).toEqual([
      {
        id: ID,
        rep: {
          username: '52998224725',
          email: 'ana@exemplo.test',
          firstName: 'Ana',
          lastName: 'Souza',
          enabled: true,
          emailVerified: true,
          attributes: { cpf: ['52998224725'], telefone: ['11999990000'], nivel_confianca: ['3'] },
        },
      },
    ]);
    expect(contas.sincronizados).toEqual([{ nivel: 3, versao: 1 }]);
  });

  it('a death record on the person: the account is disabled with its level, and its sessions are ended', async () => {
    const keycloak = new KeycloakFalso(usuarioKeycloak());
    const contas = new ContasFalsas([{ nivel: 1, versao: 4, situacao: 'ativa', obito: true }]);

    expect(await sincronizarNivel({ contaId: ID, versao: 4 }, { contas, keycloak, logger })).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 4 });
    expect(keycloak.puts.map((p) => ({ enabled: p.rep.enabled, nivel: p.rep.attributes?.['nivel_confianca'] }))).toEqual([{ enabled: false, nivel: ['1'] }]);
    expect(keycloak.logouts).toEqual([ID]);

    // a later job (the user already disabled, the level already there) writes nothing more
    const denovo = await sincronizarNivel({ contaId: ID, versao: 4 }, { contas, keycloak, logger });
    expect(denovo).toEqual({ resultado: 'ja-sincronizado', nivel: 1, versao: 4 });
    expect(keycloak.puts).toHaveLength(1);
    expect(keycloak.logouts).toEqual([ID]);
  });

  it('no death record: the account stays enabled and no session is touched, even with the level unchanged', async () => {
    const keycloak = new KeycloakFalso({ ...usuarioKeycloak(), attributes: { nivel_confianca: ['3'] } });
    const contas = new ContasFalsas([{ nivel: 3, versao: 2, situacao: 'ativa', obito: false }]);
    expect(await sincronizarNivel({ contaId: ID, versao: 2 }, { contas, keycloak, logger })).toEqual({ resultado: 'ja-sincronizado', nivel: 3, versao: 2 });
    expect({ puts: keycloak.puts, logouts: keycloak.logouts }).toEqual({ puts: [], logouts: [] });
  });

  it('adds the attribute to a user that has none', async () => {
    const keycloak = new KeycloakFalso({ ...usuarioKeycloak(), attributes: undefined });
    await sincronizarNivel({ contaId: ID, versao: 0 }, { contas: new ContasFalsas([{ nivel: 1, versao: 0, situacao: 'ativa' }]), keycloak, logger });
    expect(keycloak.puts[0].rep.attributes).toEqual({ nivel_confianca: ['1'] });
    expect(keycloak.puts[0].rep.email).toBe('ana@exemplo.test');
  });

  it('pushes the CURRENT level from the database, not the one in the job', async () => {
    const keycloak = new KeycloakFalso(usuarioKeycloak());
    await sincronizarNivel({ contaId: ID, versao: 1 }, { contas: new ContasFalsas([{ nivel: 1, versao: 2, situacao: 'ativa' }, { nivel: 1, versao: 2, situacao: 'ativa' }]), keycloak, logger });
    // Keycloak already says 1: nothing to PUT.
    expect(keycloak.puts).toHaveLength(0);
  });

  it('is idempotent: a second run does not PUT again', async () => {
    const keycloak = new KeycloakFalso(usuarioKeycloak());
    const deps = { contas: new ContasFalsas([{ nivel: 3, versao: 1, situacao: 'ativa' }]), keycloak, logger };
    await sincronizarNivel({ contaId: ID, versao: 1 }, deps);
    const segunda = await sincronizarNivel({ contaId: ID, versao: 1 }, deps);
    expect(segunda.resultado).toBe('ja-sincronizado');
    expect(keycloak.puts).toHaveLength(1);
  });

  it('pushes again when the level changed during the PUT', async () => {
    const keycloak = new KeycloakFalso(usuarioKeycloak());
    const contas = new ContasFalsas([
      { nivel: 3, versao: 1, situacao: 'ativa' },
      { nivel: 1, versao: 2, situacao: 'ativa' },
      { nivel: 1, versao: 2, situacao: 'ativa' },
    ]);
    const r = await sincronizarNivel({ contaId: ID, versao: 1 }, { contas, keycloak, logger });
    expect(keycloak.puts.map((p) => p.rep.attributes?.['nivel_confianca'])).toEqual([['3'], ['1']]);
    expect(r).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 2 });
  });

  it('a user missing in Keycloak is unrecoverable (GET 404 or PUT 404)', async () => {
    const contas = new ContasFalsas([{ nivel: 3, versao: 1, situacao: 'ativa' }]);
    await expect(sincronizarNivel({ contaId: ID, versao: 1 }, { contas, keycloak: new KeycloakFalso(undefined), logger })).rejects.toBeInstanceOf(UnrecoverableError);
    const apagadoNoMeio = new KeycloakFalso(usuarioKeycloak(), new UsuarioKeycloakNaoEncontrado(ID));
    await expect(sincronizarNivel({ contaId: ID, versao: 1 }, { contas, keycloak: apagadoNoMeio, logger })).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('an account missing in the database is unrecoverable', async () => {
    await expect(sincronizarNivel({ contaId: ID, versao: 1 }, { contas: new ContasFalsas([null]), keycloak: new KeycloakFalso(usuarioKeycloak()), logger })).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
  });

  it('other Keycloak failures are retried (plain error)', async () => {
    const erro = new Error('503');
    const r = sincronizarNivel({ contaId: ID, versao: 1 }, { contas: new ContasFalsas([{ nivel: 3, versao: 1, situacao: 'ativa' }]), keycloak: new KeycloakFalso(usuarioKeycloak(), erro), logger });
    await expect(r).rejects.toBe(erro);
  });

  it('does nothing for a deleted account', async () => {
    const keycloak = new KeycloakFalso(usuarioKeycloak());
    const r = await sincronizarNivel({ contaId: ID, versao: 1 }, { contas: new ContasFalsas([{ nivel: 1, versao: 1, situacao: 'excluida' }]), keycloak, logger });
    expect(r).toEqual({ resultado: 'conta-excluida' });
    expect(keycloak.puts).toHaveLength(0);
  });
});

describe('job id and backoff', () => {
  it('derives the job id from the business key, without ":"', () => {
    expect(jobIdSyncNivel(ID, 3)).toBe(`nivel-${ID}-v3`);
    expect(jobIdSyncNivel(ID, 3)).not.toContain(':');
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16000],
    [6, 30000],
    [12, 30000],
    [500, 30000],
  ])('attempt %i waits %i ms (base 1000, max 30000)', (tentativa, ms) => {
    expect(atrasoDaTentativa(tentativa, { baseMs: 1000, maxMs: 30000 })).toBe(ms);
    expect(criarBackoffStrategy({ baseMs: 1000, maxMs: 30000 })(tentativa)).toBe(ms);
  });
});
