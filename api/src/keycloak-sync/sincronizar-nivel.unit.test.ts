import { describe, expect, it } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import { atrasoDaTentativa, criarBackoffStrategy } from './backoff.js';
import { jobIdSaida } from './constantes.js';
import { UsuarioKeycloakNaoEncontrado, type EstadoAtributos, type KeycloakUsersPort, type PedidoAtributos } from './keycloak-users.port.js';
import { nomeParaKeycloak, pedidoParaEstado, sincronizarNivel, type Conclusao, type EstadoConta, type NivelContaPort } from './sincronizar-nivel.js';

const ID = '6f1c1c1e-8a0b-4c55-9d62-0c5b0f4f2a10';
const logger = pino({ level: 'silent' });
const JOB = { saidaId: '10', contaId: ID, versao: 1 };

/** Keycloak's owned attributes and enabled flag, as the narrow write sees them. */
class KeycloakFalso implements KeycloakUsersPort {
  escritas: PedidoAtributos[] = [];
  logouts: string[] = [];
  constructor(
    public nivel: string | null,
    public habilitado = true,
    private readonly falha?: Error,
  ) {}
  async buscarUsuario() {
    return undefined;
  }
  async gravarAtributos(_id: string, pedido: PedidoAtributos): Promise<EstadoAtributos> {
    if (this.falha) throw this.falha;
    this.escritas.push(structuredClone(pedido));
    const novo = pedido.atributos['nivel_confianca'] ?? null;
    const alterado = novo !== this.nivel || (pedido.habilitado !== undefined && pedido.habilitado !== this.habilitado);
    this.nivel = novo;
    this.habilitado = pedido.habilitado ?? this.habilitado;
    return { atributos: { nivel_confianca: this.nivel }, habilitado: this.habilitado, alterado };
  }
  async encerrarSessoes(id: string) {
    this.logouts.push(id);
  }
}

const estado = (e: Partial<EstadoConta>): EstadoConta => ({ nivel: 3, versao: 1, situacao: 'ativa', obito: false, desativadaPorObito: false, saidaConcluida: false, lastro: null, ...e });

class ContasFalsas implements NivelContaPort {
  conclusoes: Conclusao[] = [];
  leituras = 0;
  constructor(private readonly sequencia: Array<EstadoConta | null>) {}
  async lerEstado() {
    const atual = this.sequencia[Math.min(this.leituras, this.sequencia.length - 1)];
    this.leituras++;
    return atual;
  }
  async concluir(_id: string, c: Conclusao) {
    this.conclusoes.push(c);
  }
}

describe('sincronizarNivel', () => {
  it('writes only the owned attributes (no enabled flag without a death) and concludes the outbox row', async () => {
    const keycloak = new KeycloakFalso('1');
    const contas = new ContasFalsas([estado({})]);
    expect(await sincronizarNivel(JOB, { contas, keycloak, logger })).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 1 });
    expect(keycloak.escritas).toEqual([{ atributos: { nivel_confianca: '3', lastro: null } }]);
    expect(contas.conclusoes).toEqual([{ saidaId: '10', nivel: 3, versao: 1, escrito: true, habilitado: undefined, resultado: 'sincronizado' }]);
    expect(keycloak.logouts).toEqual([]);
  });

  it('the map of owned attributes decides what is written', () => {
    expect(pedidoParaEstado(estado({ nivel: 2 }))).toEqual({ atributos: { nivel_confianca: '2', lastro: null } });
    expect(pedidoParaEstado(estado({ nivel: 1, obito: true }))).toEqual({ atributos: { nivel_confianca: '1', lastro: null }, habilitado: false });
    expect(pedidoParaEstado(estado({ nivel: 3, desativadaPorObito: true }))).toEqual({ atributos: { nivel_confianca: '3', lastro: null }, habilitado: true });
  });

  it('a death record: disabled with its level, sessions ended; a correction re-enables it', async () => {
    const keycloak = new KeycloakFalso('3');
    const obito = new ContasFalsas([estado({ nivel: 1, versao: 4, obito: true })]);
    expect(await sincronizarNivel({ ...JOB, versao: 4 }, { contas: obito, keycloak, logger })).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 4 });
    expect({ nivel: keycloak.nivel, habilitado: keycloak.habilitado, logouts: keycloak.logouts }).toEqual({ nivel: '1', habilitado: false, logouts: [ID] });
    expect(obito.conclusoes[0].habilitado).toBe(false);

    const correcao = new ContasFalsas([estado({ nivel: 3, versao: 5, obito: false, desativadaPorObito: true })]);
    expect(await sincronizarNivel({ ...JOB, versao: 5 }, { contas: correcao, keycloak, logger })).toEqual({ resultado: 'sincronizado', nivel: 3, versao: 5 });
    expect({ nivel: keycloak.nivel, habilitado: keycloak.habilitado, logouts: keycloak.logouts }).toEqual({ nivel: '3', habilitado: true, logouts: [ID] });
    expect(correcao.conclusoes[0].habilitado).toBe(true);
  });

  it('an account an operator disabled (no death) is not re-enabled', async () => {
    const keycloak = new KeycloakFalso('1', false);
    await sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak, logger });
    expect(keycloak.habilitado).toBe(false);
  });

  it('is idempotent: Keycloak already has it → ja-sincronizado; the row already concluded → nothing written', async () => {
    const keycloak = new KeycloakFalso('3');
    expect(await sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak, logger })).toEqual({ resultado: 'ja-sincronizado', nivel: 3, versao: 1 });
    const concluida = new ContasFalsas([estado({ saidaConcluida: true })]);
    expect(await sincronizarNivel(JOB, { contas: concluida, keycloak, logger })).toEqual({ resultado: 'ja-concluida' });
    expect(keycloak.escritas).toHaveLength(1);
    expect(concluida.conclusoes).toEqual([]);
  });

  it('writes again when the level changed during the write', async () => {
    const keycloak = new KeycloakFalso('1');
    const contas = new ContasFalsas([estado({ nivel: 3, versao: 1 }), estado({ nivel: 1, versao: 2 }), estado({ nivel: 1, versao: 2 })]);
    expect(await sincronizarNivel(JOB, { contas, keycloak, logger })).toEqual({ resultado: 'sincronizado', nivel: 1, versao: 2 });
    expect(keycloak.escritas.map((e) => e.atributos['nivel_confianca'])).toEqual(['3', '1']);
  });

  it('a user missing in Keycloak: retried while the account is active (until the last allowed attempt); concluded conta-excluida once the account is marked deleted', async () => {
    const ausente = () => new KeycloakFalso('1', true, new UsuarioKeycloakNaoEncontrado(ID));
    const primeira = sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak: ausente(), logger }, 1);
    await expect(primeira).rejects.toThrow(`usuário ${ID} não encontrado no Keycloak; nova tentativa`);
    await expect(primeira).rejects.not.toBeInstanceOf(UnrecoverableError);
    await expect(sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak: ausente(), logger }, 5)).rejects.not.toBeInstanceOf(UnrecoverableError);
    await expect(sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak: ausente(), logger }, 6)).rejects.toBeInstanceOf(UnrecoverableError);
    const contas = new ContasFalsas([estado({ nivel: 2, versao: 4 }), estado({ nivel: 2, versao: 4, situacao: 'excluida' })]);
    expect(await sincronizarNivel(JOB, { contas, keycloak: ausente(), logger }, 2)).toEqual({ resultado: 'conta-excluida' });
    expect(contas.conclusoes).toEqual([{ saidaId: JOB.saidaId, nivel: 2, versao: 4, escrito: false, resultado: 'conta-excluida' }]);
  });

  it('a user missing in Keycloak at the last attempt, or an account missing in the database, is unrecoverable', async () => {
    await expect(sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak: new KeycloakFalso('1', true, new UsuarioKeycloakNaoEncontrado(ID)), logger })).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    await expect(sincronizarNivel(JOB, { contas: new ContasFalsas([null]), keycloak: new KeycloakFalso('1'), logger })).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('other Keycloak failures are retried (plain error)', async () => {
    const erro = new Error('503');
    await expect(sincronizarNivel(JOB, { contas: new ContasFalsas([estado({})]), keycloak: new KeycloakFalso('1', true, erro), logger })).rejects.toBe(erro);
  });

  it('a deleted account: nothing written, the row concluded', async () => {
    const keycloak = new KeycloakFalso('1');
    const contas = new ContasFalsas([estado({ situacao: 'excluida' })]);
    expect(await sincronizarNivel(JOB, { contas, keycloak, logger })).toEqual({ resultado: 'conta-excluida' });
    expect(keycloak.escritas).toEqual([]);
    expect(contas.conclusoes.map((c) => c.resultado)).toEqual(['conta-excluida']);
  });
});

describe('job id and backoff', () => {
  it('derives the job id from the outbox row, without ":" and never digits only', () => {
    expect(jobIdSaida('42')).toBe('saida-42');
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

describe('the record as the source of a tied account\'s name and e-mail (issue 14, item 2)', () => {
  it('splits the record name into Keycloak\'s first name (first word) and last name (the rest); one word sets only the first', () => {
    expect(nomeParaKeycloak('Maria Aparecida da Silva')).toEqual({ firstName: 'Maria', lastName: 'Aparecida da Silva' });
    expect(nomeParaKeycloak('  José   dos  Santos ')).toEqual({ firstName: 'José', lastName: 'dos Santos' });
    expect(nomeParaKeycloak('Luna')).toEqual({ firstName: 'Luna' });
  });

  it('writes the profile only for an account tied to a record, the e-mail only when the record has one', () => {
    expect(pedidoParaEstado(estado({ perfil: { nome: 'Ana Lúcia Souza', email: { endereco: 'ana@exemplo.test', verificado: true } } }))).toEqual({
      atributos: { nivel_confianca: '3', lastro: null },
      perfil: { firstName: 'Ana', lastName: 'Lúcia Souza', email: 'ana@exemplo.test', emailVerificado: true },
    });
    expect(pedidoParaEstado(estado({ perfil: { nome: 'Ana Souza', email: null }, obito: true }))).toEqual({
      atributos: { nivel_confianca: '3', lastro: null }, perfil: { firstName: 'Ana', lastName: 'Souza' }, habilitado: false,
    });
    expect(pedidoParaEstado(estado({ perfil: null }))).toEqual({ atributos: { nivel_confianca: '3', lastro: null } });
  });
});

