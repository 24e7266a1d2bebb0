/**
 * Harness of the sync fault tests and of the propagation benchmark: Keycloak users and their accounts in bulk, level
 * changes through the steward's link service, a TCP proxy in front of Keycloak that can be closed (Keycloak
 * unreachable, deterministically), a Redis server of the test's own (restarted empty without touching the shared
 * one), and the worker as a child process (so it can be killed with SIGKILL).
 */
import KcAdminClientCtor from '@keycloak/keycloak-admin-client';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { cpfAleatorio } from '../../api/test/helpers/cpfs.js';
import { confirmarVinculo } from '../../api/src/contas/contas.service.js';
import { KC_TEST } from './keycloak.js';

/** Runs `fn` over `itens` with at most `n` at a time; resolves with the results in order. */
export async function emParalelo<T, R>(itens: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const saida: R[] = new Array<R>(itens.length);
  let proximo = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, itens.length) }, async () => {
      while (proximo < itens.length) {
        const i = proximo++;
        saida[i] = await fn(itens[i], i);
      }
    }),
  );
  return saida;
}

export interface UsuarioDeTeste {
  id: string;
  cpf: string;
}

/**
 * An admin session that signs in again every 30 s (a set-up of thousands of users outlives a token).
 */
export class AdminRenovavel {
  private cliente: KcAdminClient | undefined;
  private desde = 0;
  constructor(private readonly entrar: () => Promise<KcAdminClient>) {}
  async get(): Promise<KcAdminClient> {
    if (!this.cliente || Date.now() - this.desde > 30_000) {
      this.desde = Date.now();
      this.cliente = await this.entrar();
    }
    return this.cliente;
  }
}

/** `n` Keycloak users with a CPF username and `cpf` attribute, no level yet. */
export async function criarUsuarios(admin: AdminRenovavel, n: number): Promise<UsuarioDeTeste[]> {
  const cpfs = new Set<string>();
  while (cpfs.size < n) cpfs.add(cpfAleatorio());
  return emParalelo([...cpfs], 8, async (cpf) => {
    const kc = await admin.get();
    const { id } = await kc.users.create({ username: cpf, email: `${cpf}@sincronia.test`, firstName: 'Teste', lastName: 'Sincronia', enabled: true, attributes: { cpf: [cpf] } });
    return { id, cpf };
  });
}

/** Their accounts (level 1, as after REGISTER) and a master record per CPF, written directly (set-up, not under test). */
export async function prepararContas(dataSource: DataSource, usuarios: readonly UsuarioDeTeste[]): Promise<void> {
  for (let i = 0; i < usuarios.length; i += 500) {
    const fatia = usuarios.slice(i, i + 500);
    await dataSource.query(`INSERT INTO pessoa (cpf, nome, data_nascimento) SELECT unnest($1::text[]), 'Pessoa Sincronia', DATE '1980-01-01'`, [fatia.map((u) => u.cpf)]);
    await dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado) SELECT unnest($1::uuid[]), unnest($2::text[]), unnest($2::text[])`, [
      fatia.map((u) => u.id), fatia.map((u) => u.cpf),
    ]);
  }
}

/**
 * The API's own service account (client credentials, `manage-users`): no user session to expire or be refused under
 * load, unlike the master admin's password sign-in.
 */
export async function adminServico(): Promise<KcAdminClient> {
  const kc = new KcAdminClientCtor({ baseUrl: KC_TEST.url, realmName: KC_TEST.realm });
  await kc.auth({ grantType: 'client_credentials', clientId: 'lum-api', clientSecret: KC_TEST.apiClientSecret });
  return kc;
}

/** One level change per user (1 → 3), each through the steward's link service in its own transaction. */
export async function mudarNiveis(dataSource: DataSource, usuarios: readonly UsuarioDeTeste[], aoMudar?: (feitas: number) => Promise<void> | void): Promise<void> {
  let feitas = 0;
  await emParalelo(usuarios, 8, async (u) => {
    await confirmarVinculo(dataSource, u.id, { cpf: u.cpf, documento: { tipo: 'RG', numero: '123456789' } }, { ator: 'gestor-teste', cliente: null, finalidade: 'teste', username: 'gestor-teste' });
    feitas++;
    await aoMudar?.(feitas);
  });
}

/** Waits until `n` outbox rows are `concluida` (fails on timeout, saying how many were). */
export async function esperarConcluidas(dataSource: DataSource, n: number, timeoutMs: number): Promise<void> {
  const limite = Date.now() + timeoutMs;
  for (;;) {
    const [l] = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM sincronizacao_saida WHERE situacao = 'concluida'`);
    if (l.n >= n) return;
    if (Date.now() > limite) throw new Error(`${l.n} de ${n} mudanças concluídas em ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A TCP proxy to `destino`; `fechar()` refuses and cuts every connection until `abrir()`. */
export class ProxyTcp {
  private servidor: net.Server | undefined;
  private readonly conexoes = new Set<net.Socket>();
  porta = 0;
  constructor(private readonly destino: { host: string; port: number }) {}

  async abrir(): Promise<void> {
    const servidor = net.createServer((cliente) => {
      const alvo = net.connect(this.destino);
      this.conexoes.add(cliente).add(alvo);
      const fim = () => {
        cliente.destroy();
        alvo.destroy();
        this.conexoes.delete(cliente);
        this.conexoes.delete(alvo);
      };
      cliente.on('error', fim).on('close', fim);
      alvo.on('error', fim).on('close', fim);
      cliente.pipe(alvo).pipe(cliente);
    });
    await new Promise<void>((resolver) => servidor.listen(this.porta, '127.0.0.1', resolver));
    this.porta = (servidor.address() as net.AddressInfo).port;
    this.servidor = servidor;
  }

  async fechar(): Promise<void> {
    const s = this.servidor;
    this.servidor = undefined;
    for (const c of this.conexoes) c.destroy();
    this.conexoes.clear();
    if (s) await new Promise<void>((resolver) => s.close(() => resolver()));
  }
}

async function portaLivre(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const porta = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return porta;
}

async function esperarPorta(porta: number, timeoutMs = 10_000): Promise<void> {
  const limite = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolver) => {
      const s = net.connect(porta, '127.0.0.1', () => {
        s.destroy();
        resolver(true);
      });
      s.on('error', () => resolver(false));
    });
    if (ok) return;
    if (Date.now() > limite) throw new Error(`porta ${porta} não abriu`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A redis-server of the test's own, without persistence: `reiniciarVazio()` is a Redis restarted empty. */
export class RedisProprio {
  private processo: ChildProcess | undefined;
  porta = 0;
  get url(): string {
    return `redis://127.0.0.1:${this.porta}`;
  }

  async iniciar(): Promise<void> {
    if (!this.porta) this.porta = await portaLivre();
    this.processo = spawn('redis-server', ['--port', String(this.porta), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await esperarPorta(this.porta);
  }

  async parar(): Promise<void> {
    const p = this.processo;
    this.processo = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolver) => {
      p.once('exit', () => resolver());
      p.kill('SIGKILL');
    });
  }

  async reiniciarVazio(): Promise<void> {
    await this.parar();
    await this.iniciar();
  }
}

/** The compiled worker (`dist/api/src/worker.js` under `dist`) as a child process. */
export class WorkerProcesso {
  private processo: ChildProcess | undefined;
  saida = '';
  constructor(
    private readonly dist: string,
    private readonly env: Record<string, string>,
  ) {}

  iniciar(): void {
    // A second process would orphan the first (its handle overwritten, never killed).
    if (this.processo && this.processo.exitCode === null && this.processo.signalCode === null) throw new Error('o worker já está em execução');
    const p = spawn(process.execPath, [path.join(this.dist, 'api/src/worker.js')], { env: { ...process.env, NODE_OPTIONS: '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout?.on('data', (d: Buffer) => (this.saida = (this.saida + d.toString('utf8')).slice(-20_000)));
    p.stderr?.on('data', (d: Buffer) => (this.saida = (this.saida + d.toString('utf8')).slice(-20_000)));
    this.processo = p;
  }

  /** SIGKILL (default) or SIGTERM; resolves when it has exited. */
  async parar(sinal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.processo;
    this.processo = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolver) => {
      p.once('exit', () => resolver());
      p.kill(sinal);
    });
  }
}
