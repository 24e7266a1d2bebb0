/**
 * What the two sign-in benchmarks share (bench/login.ts, bench/login-politicas.ts): the Keycloak instances, the
 * users, one sign-in through the forms, a timed round with the Keycloak process's CPU time, and the changes to our
 * realm made through the admin API for one target's rounds only.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import type ClientPolicyRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientPolicyRepresentation.js';
import type ClientProfileRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientProfileRepresentation.js';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { completarCpf } from '../api/src/validation/cpf.js';
import { discover, formAction, openAuthorization, pageErrors, postForm } from '../scripts/support/keycloak-forms.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { ROOT, cpuSeconds, javaPidUnder, percentile, sh } from './lib.js';

export const CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 8);
export const USERS = Number(process.env.BENCH_LOGIN_USERS ?? 40);
/** Unmeasured sign-ins before each measured round, after the round's realm state is written (caches refilled). */
export const SETTLE_S = Number(process.env.BENCH_LOGIN_SETTLE_S ?? 3);
const PASSWORD = 'Bench-login-2026';
const REDIRECT = 'http://localhost:4000/callback';
const SINK_PORT = 3480;
/** BENCH_LOGIN_REUSE=1 (iterating on the bench): keep instances that are running, their realm and users; leave them running. */
export const REUSE = process.env.BENCH_LOGIN_REUSE === '1';
/** Our realm file: the source of the settings copied onto the default realm (not restated here). */
export const REALM_FILE = JSON.parse(readFileSync(path.join(ROOT, 'realm-export/prefeitura-sp.json'), 'utf8')) as Record<string, unknown>;
export const pick = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, REALM_FILE[k]]));
/** Every brute-force detection setting of our realm. */
export const BRUTE_FORCE = pick('bruteForceProtected', 'bruteForceStrategy', 'permanentLockout', 'maxTemporaryLockouts', 'failureFactor',
  'waitIncrementSeconds', 'maxFailureWaitSeconds', 'minimumQuickLoginWaitSeconds', 'quickLoginCheckMilliSeconds', 'maxDeltaTimeSeconds');

/**
 * The part of our realm the benchmarks change for a target's rounds: its client policies and realm client profiles,
 * the refresh-token settings and the scope setting of the client the bench signs in with (issue 15 added all four).
 */
export interface EstadoRealm {
  politicas: ClientPolicyRepresentation[];
  perfis: ClientProfileRepresentation[];
  revokeRefreshToken: boolean;
  refreshTokenMaxReuse: number;
  fullScopeAllowed: boolean;
}

export interface Target {
  label: string;
  instance: string;
  http: number;
  mgmt: number;
  db: string;
  stock: boolean;
  realm: string;
  clientId: string;
  /** The bench creates this realm through the admin API with defaults only (else: the realm imported from git). */
  defaults: boolean;
  /** Profile variants only: settings copied from our realm file onto the default realm. */
  settings?: Record<string, unknown>;
  /**
   * Our realm only: the state its rounds run with, from the state as imported. Before every round of a target of our
   * realm the bench writes its state through the admin API (the unchanged state too, so every target of our realm goes
   * through the same admin calls and cache refills), then signs in for SETTLE_S unmeasured seconds.
   */
  variacao?: (e: EstadoRealm) => EstadoRealm;
  /**
   * Another bench's realm state (bench/sala-espera.ts): written by this function before every round of the target
   * (and its warm-up), then SETTLE_S unmeasured seconds, like `variacao`. The caller restores the realm afterwards.
   */
  aplicar?: () => Promise<void>;
}

export const OURS: Target = {
  label: 'our realm `prefeitura-sp`, theme and listener', instance: 'bench-login', http: 8480, mgmt: 9400,
  db: 'lum_keycloak_bench_login', stock: false, realm: 'prefeitura-sp', clientId: 'portal-cidadao', defaults: false,
  variacao: (e) => e,
};

const script = path.join(ROOT, 'scripts/keycloak.sh');
const kcEnv = (t: Target) => ({
  KC_INSTANCE: t.instance, KC_HTTP_PORT: String(t.http), KC_MGMT_PORT: String(t.mgmt), KC_DB_NAME: t.db,
  KC_STOCK: t.stock ? '1' : '0', LUM_SKIP_MVN: '1', KEYCLOAK_ADMIN: 'admin', KEYCLOAK_ADMIN_PASSWORD: 'admin',
  LUM_EVENTS_URL: `http://127.0.0.1:${SINK_PORT}/eventos/keycloak`, LUM_EVENTS_HMAC_SECRET: 'bench-events-secret',
});
export const startInstance = (t: Target) => sh('bash', [script, 'start'], { ...kcEnv(t), KC_FRESH_DB: REUSE ? '0' : '1' });
export const stopInstance = (t: Target) => sh('bash', [script, 'stop'], kcEnv(t));

/** Valid CPFs (check digits from the API's completarCpf): our realm's user profile only accepts a CPF as username. */
const cpf = (n: number): string => completarCpf(String(300_000_000 + n * 7).padStart(9, '0'));
export const usernames = (): string[] => Array.from({ length: USERS }, (_, i) => cpf(i + 1));

/**
 * Event delivery: our listener forwards REGISTER, UPDATE_PROFILE, DELETE_ACCOUNT and IDENTITY_PROVIDER_FIRST_LOGIN
 * (docs/contracts.md); a sign-in raises LOGIN and CODE_TO_TOKEN, which it inspects and does not forward. So the API
 * would receive nothing here; this endpoint stands in for it, answers 202 like the API, and counts what arrives, so
 * the table can say how many deliveries happened rather than assume none.
 */
export function startSink(): Promise<{ server: Server; received: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { n++; res.writeHead(202).end(); });
  });
  return new Promise((resolve) => server.listen(SINK_PORT, '127.0.0.1', () => resolve({ server, received: () => n })));
}

export async function admin(t: Target): Promise<KcAdminClient> {
  const kc = new KcAdminClient({ baseUrl: `http://localhost:${t.http}`, realmName: 'master' });
  await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: 'admin', password: 'admin' });
  kc.setConfig({ realmName: t.realm });
  return kc;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Realm (when `defaults`: a new realm with defaults + one public PKCE client) and the users; returns the password hash they got. */
export async function prepare(t: Target, nomes: string[]): Promise<string> {
  const kc = await admin(t);
  if (t.defaults && !(REUSE && (await kc.realms.findOne({ realm: t.realm })))) {
    await kc.realms.create({ realm: t.realm, enabled: true, ...t.settings });
    await kc.clients.create({
      clientId: t.clientId, publicClient: true, standardFlowEnabled: true, directAccessGrantsEnabled: false,
      redirectUris: ['http://localhost:4000/*'], attributes: { 'pkce.code.challenge.method': 'S256' },
    });
  }
  // The brute-force settings copied from our realm file are in force (read back, not assumed).
  const realm = (await kc.realms.findOne({ realm: t.realm })) as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(t.settings ?? {}).filter(([k]) => k in BRUTE_FORCE)) {
    if (JSON.stringify(realm?.[k]) !== JSON.stringify(v)) throw new Error(`realm ${t.realm}: ${k} is ${JSON.stringify(realm?.[k])}, expected ${JSON.stringify(v)}`);
  }
  // A fresh admin token per user: the admin client refreshes its token through the realm it is set to (not master),
  // which fails once the first token expires (60 s) on a loaded machine.
  await pool(nomes, 4, async (username) => {
    const kc = await admin(t);
    if (REUSE && (await kc.users.find({ username, exact: true })).length > 0) return;
    await kc.users.create({
      username, email: `${username}@bench.example`, firstName: 'Pessoa', lastName: 'de Teste', enabled: true, emailVerified: true,
      ...(t.defaults ? {} : { attributes: { cpf: [username] } }),
      credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
    });
  });
  const kcFim = await admin(t);
  const [u] = await kcFim.users.find({ username: nomes[0], exact: true });
  const [cred] = await kcFim.users.getCredentials({ id: u.id! });
  const data = JSON.parse(cred.credentialData ?? '{}') as { algorithm?: string; hashIterations?: number; additionalParameters?: Record<string, string[]> };
  const p = data.additionalParameters ?? {};
  return `${data.algorithm} i=${data.hashIterations} ${['type', 'memory', 'parallelism'].map((k) => `${k}=${p[k]?.[0] ?? '-'}`).join(' ')}`;
}

/** Reads and writes our realm's EstadoRealm through the admin API; every write is read back and compared. */
export async function estadoDoRealm(t: Target): Promise<{ original: EstadoRealm; gravar: (e: EstadoRealm) => Promise<void> }> {
  const ler = async (): Promise<EstadoRealm & { cliente: ClientRepresentation }> => {
    const kc = await admin(t);
    const [politicas, perfis, realm, [cliente]] = await Promise.all([
      kc.clientPolicies.listPolicies({ realm: t.realm }), kc.clientPolicies.listProfiles({ realm: t.realm }),
      kc.realms.findOne({ realm: t.realm }), kc.clients.find({ clientId: t.clientId }),
    ]);
    return {
      politicas: politicas.policies ?? [], perfis: perfis.profiles ?? [], revokeRefreshToken: realm!.revokeRefreshToken!,
      refreshTokenMaxReuse: realm!.refreshTokenMaxReuse!, fullScopeAllowed: cliente.fullScopeAllowed!, cliente,
    };
  };
  const { cliente, ...original } = await ler();
  if (original.politicas.length === 0) throw new Error('our realm has no client policies: nothing to compare');
  const gravar = async (e: EstadoRealm) => {
    const kc = await admin(t);
    // Profiles first: a policy may only name a profile that exists (the variations never remove a profile).
    await kc.clientPolicies.createProfiles({ realm: t.realm, profiles: e.perfis });
    await kc.clientPolicies.updatePolicy({ realm: t.realm, policies: e.politicas });
    await kc.realms.update({ realm: t.realm }, { revokeRefreshToken: e.revokeRefreshToken, refreshTokenMaxReuse: e.refreshTokenMaxReuse });
    await kc.clients.update({ id: cliente.id! }, { ...cliente, fullScopeAllowed: e.fullScopeAllowed });
    const { cliente: _c, ...agora } = await ler();
    if (JSON.stringify(agora) !== JSON.stringify(e)) {
      throw new Error(`our realm did not take the state written:\n${JSON.stringify(e)}\n${JSON.stringify(agora)}`);
    }
  };
  return { original, gravar };
}

export interface Sample { total: number; page: number; post: number; token: number }
export interface Round { ok: number; errors: number; seconds: number; cpu: number; load: number; samples: Sample[]; firstError?: string }

/** One sign-in: login page, form POST, code for tokens (PKCE). Times each step, in ms. */
async function signIn(config: oidc.Configuration, username: string): Promise<Sample> {
  const t0 = performance.now();
  const { jar, page, codeVerifier, state } = await openAuthorization({ config, redirectUri: REDIRECT });
  if (page.status !== 200) throw new Error(`login page answered ${page.status}`);
  const t1 = performance.now();
  const res = await postForm(jar, formAction(page.html, 'kc-form-login'), { username, password: PASSWORD, credentialId: '' });
  const body = await res.text();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location?.startsWith(REDIRECT)) {
    throw new Error(`login POST for ${username} answered ${res.status} ${location ?? ''} ${res.status === 200 ? pageErrors(body).slice(0, 200) : ''}`);
  }
  const t2 = performance.now();
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: codeVerifier, expectedState: state });
  if (!tokens.access_token || !tokens.id_token) throw new Error('token response without access or ID token');
  const t3 = performance.now();
  return { total: t3 - t0, page: t1 - t0, post: t2 - t1, token: t3 - t2 };
}

/**
 * Each worker signs in its own users in turn, so no account ever has two sign-ins in flight: with brute-force
 * detection on (our realm), Keycloak 26 counts a sign-in as a possible failure until it succeeds and refuses a
 * concurrent one for the same account (user_temporarily_disabled) — by design, and what one person never does.
 * `load`: the machine's 1-minute load average when the round began.
 */
export async function round(config: oidc.Configuration, nomes: string[], seconds: number, pid: number): Promise<Round> {
  const load = os.loadavg()[0];
  const cpu0 = cpuSeconds(pid);
  const samples: Sample[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    const mine = nomes.filter((_u, i) => i % CONCURRENCY === w);
    for (let n = 0; performance.now() < end; n++) {
      try {
        samples.push(await signIn(config, mine[n % mine.length]));
      } catch (err) {
        errors++;
        firstError ??= String(err).slice(0, 400);
      }
    }
  }));
  return { ok: samples.length, errors, seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds(pid) - cpu0, load, samples, firstError };
}

export interface Summary {
  cpuMs: number; rate: number; p50: number; p95: number; p99: number; errors: number; page: number; post: number; token: number;
  /** Per round: sign-ins/s and Keycloak CPU ms per sign-in. */
  rates: number[]; cpus: number[];
}

export function summarize(rounds: Round[]): Summary {
  const all = rounds.flatMap((r) => r.samples);
  const q = (f: (s: Sample) => number, p: number) => percentile(all.map(f).sort((a, b) => a - b), p);
  const rates = rounds.map((r) => r.ok / r.seconds);
  return {
    cpuMs: (1000 * rounds.reduce((c, r) => c + r.cpu, 0)) / all.length,
    rate: rates.reduce((a, b) => a + b, 0) / rates.length, rates, cpus: rounds.map((r) => (1000 * r.cpu) / r.ok),
    p50: q((s) => s.total, 50), p95: q((s) => s.total, 95), p99: q((s) => s.total, 99),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    page: q((s) => s.page, 50), post: q((s) => s.post, 50), token: q((s) => s.token, 50),
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per-round ratios x/base of one figure, as "a, b, c (median m)". */
export function porRodada(x: number[], base: number[]): string {
  const r = x.map((v, i) => v / base[i]);
  return `${r.map((v) => v.toFixed(2)).join(', ')} (median ${median(r).toFixed(2)})`;
}

export function javaPid(t: Target): number {
  return javaPidUnder(Number(readFileSync(path.join(ROOT, `.run/keycloak-${t.instance}.pid`), 'utf8')));
}

export const discoverTarget = (t: Target) => discover(`http://localhost:${t.http}/realms/${t.realm}`, t.clientId);

/**
 * Runs the targets: a warm-up each, then `rounds` rounds in serpentine order (forward, backward, forward…), so targets
 * compared with each other run next to each other in time and the drift of the shared machine hits them alike. A target of our realm gets its
 * realm state written before each of its rounds (and its warm-up) and SETTLE_S unmeasured seconds of sign-ins.
 * Our realm is left in its original state.
 */
export async function correrRodadas(
  targets: Target[], nomes: string[], opts: { rounds: number; seconds: number; warmup: number; soPrimeiroAquece?: boolean },
): Promise<Round[][]> {
  const { correr, restaurar } = await corredor(targets, nomes);
  try {
    // soPrimeiroAquece: every target is one realm on one instance (its states differ), so one warm-up serves all.
    for (let i = 0; i < (opts.soPrimeiroAquece ? 1 : targets.length); i++) {
      const w = await correr(i, opts.warmup);
      if (w.ok === 0) throw new Error(`${targets[i].label}: no sign-in succeeded during warm-up (${w.firstError})`);
    }
    const results: Round[][] = targets.map(() => []);
    for (let r = 0; r < opts.rounds; r++) {
      // Serpentine order (0 1 … n-1, then n-1 … 1 0): neighbours in the list stay neighbours in time, and over each pair
      // of rounds every target has the same mean position, so a steady drift of the machine's load cancels (ABBA).
      const order = targets.map((_, k) => (r % 2 === 0 ? k : targets.length - 1 - k));
      for (const i of order) results[i].push(await correr(i, opts.seconds));
      console.log(`  round ${r + 1} (load ${results[0][r].load.toFixed(1)}): ${targets.map((t, i) => {
        const x = results[i][r];
        return `${t.label.slice(0, 40)} ${(x.ok / x.seconds).toFixed(1)}/s ${((1000 * x.cpu) / x.ok).toFixed(1)} ms CPU`;
      }).join('; ')}`);
    }
    return results;
  } finally {
    await restaurar();
  }
}

/**
 * One JFR-profiled round of `seconds` per target (after its state is written and settled, as in the rounds), in
 * list order: the share of Keycloak's Java execution samples per group of GRUPOS_JFR (perfilJfr).
 */
export async function perfilarAlvos(
  targets: Target[], nomes: string[], seconds: number, grupos: [string, RegExp][] = GRUPOS_JFR,
): Promise<{ round: Round; amostras: number; partes: number[] }[]> {
  const { correr, preparar, restaurar, pids } = await corredor(targets, nomes);
  try {
    const out = [];
    for (let i = 0; i < targets.length; i++) {
      await preparar(i);
      const { resultado, ...resto } = await perfilJfr(pids[i], () => correr(i, seconds, true), grupos);
      out.push({ round: resultado, ...resto });
    }
    return out;
  } finally {
    await restaurar();
  }
}

/** Runs one round of target i (its realm state written and settled first); `restaurar` puts our realm back as it was. */
async function corredor(targets: Target[], nomes: string[]) {
  const configs = await Promise.all(targets.map(discoverTarget));
  const pids = targets.map(javaPid);
  const nosso = targets.find((t) => t.variacao);
  const estado = nosso ? await estadoDoRealm(nosso) : undefined;
  /** `preparado`: the caller already wrote the state and settled (perfilJfr starts recording after that). */
  const preparar = async (i: number) => {
    const t = targets[i];
    if (t.variacao && estado) {
      await estado.gravar(t.variacao(structuredClone(estado.original)));
      await round(configs[i], nomes, SETTLE_S, pids[i]);
    } else if (t.aplicar) {
      await t.aplicar();
      await round(configs[i], nomes, SETTLE_S, pids[i]);
    }
  };
  const correr = async (i: number, segundos: number, preparado = false): Promise<Round> => {
    if (!preparado) await preparar(i);
    return round(configs[i], nomes, segundos, pids[i]);
  };
  const restaurar = async () => { if (estado) await estado.gravar(estado.original); };
  return { correr, preparar, restaurar, pids };
}

/** What the Java execution samples are attributed to: a sample counts for a group when any of its frames matches. */
export const GRUPOS_JFR: [string, RegExp][] = [
  ['client policies (org.keycloak.services.clientpolicy)', /\.clientpolicy\./],
  ['password hashing (Argon2, Bouncy Castle)', /Argon2/],
  ['login theme (FreeMarker)', /^freemarker\./],
  ['database (PostgreSQL JDBC driver)', /^org\.postgresql\./],
];

/**
 * Where Keycloak's Java CPU goes while `carga` runs: a Java Flight Recorder recording (settings=profile, execution
 * samples of running Java threads every 10 ms) of the process `pid`, and per group of GRUPOS_JFR the share of the
 * samples with a frame of that group. Shares of one recording do not depend on how much CPU the process got from the
 * machine, unlike throughput; they cover Java code only (GC and JIT threads are not sampled).
 */
export async function perfilJfr<T>(pid: number, carga: () => Promise<T>, grupos: [string, RegExp][] = GRUPOS_JFR): Promise<{ resultado: T; amostras: number; partes: number[] }> {
  const javaHome = (await sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'java-home'])).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lum-jfr-'));
  const arquivo = path.join(dir, 'login.jfr');
  const nome = `lum-bench-${process.pid}`;
  try {
    await sh(path.join(javaHome, 'bin/jcmd'), [String(pid), 'JFR.start', `name=${nome}`, 'settings=profile']);
    const resultado = await carga();
    await sh(path.join(javaHome, 'bin/jcmd'), [String(pid), 'JFR.stop', `name=${nome}`, `filename=${arquivo}`]);
    const texto = await sh(path.join(javaHome, 'bin/jfr'), ['print', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', arquivo]);
    const amostras = texto.split('jdk.ExecutionSample {').slice(1).map((a) => [...a.matchAll(/^\s+([\w.$<>]+)\(/gm)].map((m) => m[1]));
    if (amostras.length === 0) throw new Error('the JFR recording has no execution samples');
    return { resultado, amostras: amostras.length, partes: grupos.map(([, re]) => amostras.filter((f) => f.some((x) => re.test(x))).length / amostras.length) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
