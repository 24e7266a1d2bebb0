/**
 * Password sign-ins through the full browser-less form flow (issue 10): one sign-in = GET the authorization endpoint
 * (renders the login page) → POST the login form → 302 with the code → token exchange with the PKCE verifier
 * (openid-client, which also validates the ID token).
 *
 * Leading comparison, like for like, on ONE Keycloak instance (ours: Keycloak 26.7.3 + our provider jar):
 *   ours:     realm `prefeitura-sp` as imported from realm-export/, theme `prefeitura-sp`, client `portal-cidadao`,
 *             the event listener `lum-api` on (it posts to a live HTTP endpoint of this process, see `sink` below);
 *   baseline: a realm created through the admin API with defaults only, stock theme, one public client requiring
 *             PKCE S256 — plus our realm's brute-force detection settings (read from the realm file), since
 *             brute-force detection is on in ours and the comparison is meant to show what else our realm costs;
 *   the same default realm with brute-force detection OFF: how much the detection itself costs on this instance.
 * Client policies (issue 15): our realm next to itself without its client policies (removed through the admin API
 * for that target's rounds only) — target: with ≥ 0.95 of without.
 * Second comparison, across processes: the untouched distribution (`KC_STOCK=1`, no providers) with the default
 * realm, next to the default realm on our instance — two JVMs of one build differ by more than our realm does, so
 * this table carries a caveat.
 *
 * Both instances run at once on their own ports and databases (never the dev or test ones). Every realm has the same
 * users with the same password, hashed by the same policy (checked from the stored credentials, not assumed). Fixed
 * concurrency, fixed duration per round; the targets run in rotating order for ROUNDS rounds after a warm-up, so the
 * drift of this shared 2-core machine hits them alike. Throughput is the mean of the rounds, latencies are
 * percentiles over every sign-in of all rounds, and "Keycloak CPU per sign-in" is the Java process's user+system CPU
 * time during its rounds divided by the sign-ins — the figure least disturbed by other load on the machine.
 *
 * BENCH_LOGIN_PROFILE=1 adds variants of the default realm with one group of our realm's settings each.
 * Target: ours ≥ 0.95 of the like-for-like baseline. Knobs: BENCH_DURATION_S (20), BENCH_WARMUP_S (10),
 * BENCH_ROUNDS (3), BENCH_LOGIN_CONCURRENCY (8), BENCH_LOGIN_USERS (40), BENCH_LOGIN_REUSE=1 (keep running
 * instances, for iterating). Results: bench/resultados/login.md.
 */
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oidc from 'openid-client';
import { completarCpf } from '../api/src/validation/cpf.js';
import { discover, formAction, openAuthorization, pageErrors, postForm } from '../scripts/support/keycloak-forms.js';
import { ROOT, cpuSeconds, gravarResultados, javaPidUnder, peakRssMiB, percentile, sh, table } from './lib.js';

const CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 8);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = Number(process.env.BENCH_LOGIN_USERS ?? 40);
const PASSWORD = 'Bench-login-2026';
const REDIRECT = 'http://localhost:4000/callback';
const SINK_PORT = 3480;
/** BENCH_LOGIN_REUSE=1 (iterating on the bench): keep instances that are running, their realm and users; leave them running. */
const REUSE = process.env.BENCH_LOGIN_REUSE === '1';
const KNOBS = {
  BENCH_DURATION_S: process.env.BENCH_DURATION_S, BENCH_WARMUP_S: process.env.BENCH_WARMUP_S, BENCH_ROUNDS: process.env.BENCH_ROUNDS,
  BENCH_LOGIN_CONCURRENCY: process.env.BENCH_LOGIN_CONCURRENCY, BENCH_LOGIN_USERS: process.env.BENCH_LOGIN_USERS,
  BENCH_LOGIN_REUSE: process.env.BENCH_LOGIN_REUSE, BENCH_LOGIN_PROFILE: process.env.BENCH_LOGIN_PROFILE,
};
/** Our realm file: the source of the settings copied onto the default realm (not restated here). */
const REALM_FILE = JSON.parse(readFileSync(path.join(ROOT, 'realm-export/prefeitura-sp.json'), 'utf8')) as Record<string, unknown>;
const pick = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, REALM_FILE[k]]));
/** Every brute-force detection setting of our realm. */
const BRUTE_FORCE = pick('bruteForceProtected', 'bruteForceStrategy', 'permanentLockout', 'maxTemporaryLockouts', 'failureFactor',
  'waitIncrementSeconds', 'maxFailureWaitSeconds', 'minimumQuickLoginWaitSeconds', 'quickLoginCheckMilliSeconds', 'maxDeltaTimeSeconds');

interface Target {
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
  /** Our realm with its client policies removed for this target's rounds (restored after each). */
  semPoliticas?: boolean;
}

const OURS: Target = {
  label: 'our realm `prefeitura-sp`, theme and listener', instance: 'bench-login', http: 8480, mgmt: 9400,
  db: 'lum_keycloak_bench_login', stock: false, realm: 'prefeitura-sp', clientId: 'portal-cidadao', defaults: false,
};
/** The like-for-like baseline: default realm and theme on OUR instance, with our realm's brute-force detection. */
const BASE_BF: Target = {
  ...OURS, label: 'default realm and theme + our brute-force settings (baseline)', realm: 'bench-bf', clientId: 'bench-spa', defaults: true, settings: BRUTE_FORCE,
};
/**
 * Issue 15: our realm with its client policies (RFC 9700, realm-export/) next to the same realm without them — same
 * instance, same realm, users and client; the policies are removed through the admin API before each of this
 * target's rounds (and its warm-up) and put back right after, so every other target runs with them.
 */
const OURS_SEM_POLITICAS: Target = { ...OURS, label: 'our realm without its client policies (removed for these rounds only)', semPoliticas: true };
/** Control: the default realm (brute-force detection off, Keycloak's default) on our instance. */
const CONTROL: Target = { ...OURS, label: 'default realm and theme, brute-force detection off', realm: 'bench', clientId: 'bench-spa', defaults: true };
const STOCK: Target = {
  label: 'stock Keycloak 26.7.3 process, default realm and theme', instance: 'bench-login-stock', http: 8481, mgmt: 9401,
  db: 'lum_keycloak_bench_login_stock', stock: true, realm: 'bench', clientId: 'bench-spa', defaults: true,
};

/**
 * BENCH_LOGIN_PROFILE=1: where our realm's cost goes. Each variant is the like-for-like baseline (default realm +
 * brute-force settings) plus one group of settings taken from realm-export/prefeitura-sp.json, in the same rotation.
 */
const PROFILE = process.env.BENCH_LOGIN_PROFILE === '1';
function variants(): Target[] {
  const groups: [string, string, Record<string, unknown>][] = [
    ['p-events', 'event storage (LOGIN, CODE_TO_TOKEN… in the DB)', pick('eventsEnabled', 'enabledEventTypes', 'eventsExpiration')],
    ['p-listener', 'the lum-api event listener', pick('eventsListeners')],
    ['p-theme', 'theme prefeitura-sp in pt-BR', pick('loginTheme', 'internationalizationEnabled', 'supportedLocales', 'defaultLocale',
      'displayName', 'displayNameHtml')],
  ];
  return groups.map(([realm, what, settings]) => ({ ...BASE_BF, realm, label: `baseline + ${what}`, settings: { ...BRUTE_FORCE, ...settings } }));
}

const script = path.join(ROOT, 'scripts/keycloak.sh');
const kcEnv = (t: Target) => ({
  KC_INSTANCE: t.instance, KC_HTTP_PORT: String(t.http), KC_MGMT_PORT: String(t.mgmt), KC_DB_NAME: t.db,
  KC_STOCK: t.stock ? '1' : '0', LUM_SKIP_MVN: '1', KEYCLOAK_ADMIN: 'admin', KEYCLOAK_ADMIN_PASSWORD: 'admin',
  LUM_EVENTS_URL: `http://127.0.0.1:${SINK_PORT}/eventos/keycloak`, LUM_EVENTS_HMAC_SECRET: 'bench-events-secret',
});

/** Valid CPFs (check digits from the API's completarCpf): our realm's user profile only accepts a CPF as username. */
const cpf = (n: number): string => completarCpf(String(300_000_000 + n * 7).padStart(9, '0'));

/**
 * Event delivery: our listener forwards REGISTER, UPDATE_PROFILE, DELETE_ACCOUNT and IDENTITY_PROVIDER_FIRST_LOGIN
 * (docs/contracts.md); a sign-in raises LOGIN and CODE_TO_TOKEN, which it inspects and does not forward. So the API
 * would receive nothing here; this endpoint stands in for it, answers 202 like the API, and counts what arrives, so
 * the table can say how many deliveries happened rather than assume none.
 */
function startSink(): Promise<{ server: Server; received: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { n++; res.writeHead(202).end(); });
  });
  return new Promise((resolve) => server.listen(SINK_PORT, '127.0.0.1', () => resolve({ server, received: () => n })));
}

async function admin(t: Target): Promise<KcAdminClient> {
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
async function prepare(t: Target, usernames: string[]): Promise<string> {
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
  await pool(usernames, 4, async (username) => {
    if (REUSE && (await kc.users.find({ username, exact: true })).length > 0) return;
    await kc.users.create({
      username, email: `${username}@bench.example`, firstName: 'Pessoa', lastName: 'de Teste', enabled: true, emailVerified: true,
      ...(t.defaults ? {} : { attributes: { cpf: [username] } }),
      credentials: [{ type: 'password', value: PASSWORD, temporary: false }],
    });
  });
  const [u] = await kc.users.find({ username: usernames[0], exact: true });
  const [cred] = await kc.users.getCredentials({ id: u.id! });
  const data = JSON.parse(cred.credentialData ?? '{}') as { algorithm?: string; hashIterations?: number; additionalParameters?: Record<string, string[]> };
  const p = data.additionalParameters ?? {};
  return `${data.algorithm} i=${data.hashIterations} ${['type', 'memory', 'parallelism'].map((k) => `${k}=${p[k]?.[0] ?? '-'}`).join(' ')}`;
}

interface Sample { total: number; page: number; post: number; token: number }
interface Round { ok: number; errors: number; seconds: number; cpu: number; samples: Sample[]; firstError?: string }

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
 */
async function round(config: oidc.Configuration, usernames: string[], seconds: number, pid: number): Promise<Round> {
  const cpu0 = cpuSeconds(pid);
  const samples: Sample[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    const mine = usernames.filter((_u, i) => i % CONCURRENCY === w);
    for (let n = 0; performance.now() < end; n++) {
      try {
        samples.push(await signIn(config, mine[n % mine.length]));
      } catch (err) {
        errors++;
        firstError ??= String(err).slice(0, 400);
      }
    }
  }));
  return { ok: samples.length, errors, seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds(pid) - cpu0, samples, firstError };
}

interface Summary { cpuMs: number; rate: number; p50: number; p95: number; p99: number; errors: number; page: number; post: number; token: number; rates: number[] }

function summarize(rounds: Round[]): Summary {
  const all = rounds.flatMap((r) => r.samples);
  const q = (f: (s: Sample) => number, p: number) => percentile(all.map(f).sort((a, b) => a - b), p);
  const rates = rounds.map((r) => r.ok / r.seconds);
  return {
    cpuMs: (1000 * rounds.reduce((c, r) => c + r.cpu, 0)) / all.length,
    rate: rates.reduce((a, b) => a + b, 0) / rates.length, rates,
    p50: q((s) => s.total, 50), p95: q((s) => s.total, 95), p99: q((s) => s.total, 99),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    page: q((s) => s.page, 50), post: q((s) => s.post, 50), token: q((s) => s.token, 50),
  };
}

function javaPid(t: Target): number {
  return javaPidUnder(Number(readFileSync(path.join(ROOT, `.run/keycloak-${t.instance}.pid`), 'utf8')));
}

async function main(): Promise<void> {
  console.log(`Sign-in benchmark: ${USERS} users per realm, concurrency ${CONCURRENCY}, warm-up ${WARMUP_S} s, `
    + `${ROUNDS} rounds of ${DURATION_S} s per target in rotating order; both Keycloaks alive at once.`);
  if (USERS < CONCURRENCY) throw new Error('BENCH_LOGIN_USERS must be at least the concurrency');
  const sink = await startSink();
  const instances = [STOCK, OURS];
  const targets = [BASE_BF, OURS, CONTROL, STOCK, OURS_SEM_POLITICAS, ...(PROFILE ? variants() : [])];
  const VARIANTES = 5;
  try {
    const t0 = performance.now();
    await Promise.all(instances.map((t) => sh('bash', [script, 'start'], { ...kcEnv(t), KC_FRESH_DB: REUSE ? '0' : '1' })));
    console.log(`  both instances ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const usernames = Array.from({ length: USERS }, (_, i) => cpf(i + 1));
    // OURS_SEM_POLITICAS is OURS's realm and users: prepared once.
    const hashes = await Promise.all(targets.filter((t) => !t.semPoliticas).map((t) => prepare(t, usernames)));
    const kcOurs = await admin(OURS);
    const politicas = await kcOurs.clientPolicies.listPolicies({ realm: OURS.realm });
    if ((politicas.policies ?? []).length === 0) throw new Error('our realm has no client policies: nothing to compare');
    const comPoliticas = async (sim: boolean) => {
      const kc = await admin(OURS);
      await kc.clientPolicies.updatePolicy({ realm: OURS.realm, policies: sim ? politicas.policies : [] });
      const agora = await kc.clientPolicies.listPolicies({ realm: OURS.realm });
      if ((agora.policies ?? []).length !== (sim ? politicas.policies!.length : 0)) throw new Error('the client policies were not switched');
    };
    const correr = async (i: number, segundos: number) => {
      if (!targets[i].semPoliticas) return round(configs[i], usernames, segundos, pids[i]);
      await comPoliticas(false);
      try {
        return await round(configs[i], usernames, segundos, pids[i]);
      } finally {
        await comPoliticas(true);
      }
    };
    console.log(`  password hashes — ${targets.filter((t) => !t.semPoliticas).map((t, i) => `${t.instance}/${t.realm}: ${hashes[i]}`).join('; ')}`);
    if (new Set(hashes).size !== 1) throw new Error('the realms hash passwords differently: the comparison would not be fair');

    const configs = await Promise.all(targets.map((t) => discover(`http://localhost:${t.http}/realms/${t.realm}`, t.clientId)));
    const pids = targets.map(javaPid);
    const deliveredBefore = sink.received();
    for (let i = 0; i < targets.length; i++) {
      const w = await correr(i, WARMUP_S);
      if (w.ok === 0) throw new Error(`${targets[i].label}: no sign-in succeeded during warm-up (${w.firstError})`);
    }
    const results: Round[][] = targets.map(() => []);
    const rate = (r: Round) => (r.ok / r.seconds).toFixed(1);
    for (let r = 0; r < ROUNDS; r++) {
      // Rotating order (0 1 2, 1 2 0, 2 0 1, …): each target runs first, middle and last once every three rounds.
      const order = targets.map((_, k) => (k + r) % targets.length);
      for (const i of order) results[i].push(await correr(i, DURATION_S));
      console.log(`  round ${r + 1}: ${targets.map((t, i) => `${t.instance}/${t.realm}${t.semPoliticas ? ' (no client policies)' : ''} ${rate(results[i][r])}/s`).join(', ')}`);
    }
    const all = results.map(summarize);
    const [bf, o, c, s, semP] = all as [Summary, Summary, Summary, Summary, Summary];
    const rss = pids.map(peakRssMiB);
    const ratio = (x: Summary, base: Summary) =>
      `${(x.rate / base.rate).toFixed(2)} throughput, ${(x.p95 / base.p95).toFixed(2)} p95, ${(x.cpuMs / base.cpuMs).toFixed(2)} CPU`;
    const cols = (x: Summary) => [x.rate, x.p50, x.p95, x.p99, x.errors, `${x.page.toFixed(0)} / ${x.post.toFixed(0)} / ${x.token.toFixed(0)}`, x.cpuMs];
    const head = ['sign-ins/s', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'errors', 'page / POST / token p50 (ms)', 'Keycloak CPU per sign-in (ms)'];
    const porRodada = (x: Summary, base: Summary) => x.rates.map((v, i) => (v / base.rates[i]).toFixed(2)).join(', ');
    const hashesUsed = hashes[0];
    const texto = [
      `${USERS} users per realm (same password, same hash: ${hashesUsed}), concurrency ${CONCURRENCY}, warm-up ${WARMUP_S} s, `
        + `${ROUNDS} rounds of ${DURATION_S} s per target in rotating order; throughput is the mean of the rounds, latencies are over every sign-in.`,
      '',
      `Like for like — one Keycloak instance (ours: 26.7.3 + LUM providers), peak RSS ${rss[1].toFixed(0)} MiB:`,
      '',
      table(['realm on our instance', ...head, 'vs baseline'], [
        [BASE_BF.label, ...cols(bf), '1.00'],
        [OURS.label, ...cols(o), ratio(o, bf)],
        [CONTROL.label, ...cols(c), ratio(c, bf)],
      ]),
      '',
      `Ours vs baseline per round (throughput): ${porRodada(o, bf)}. Brute-force detection off vs on, same realm otherwise: `
        + `${ratio(c, bf)}. Events delivered by our listener during the sign-ins: ${sink.received() - deliveredBefore}. `
        + 'Target: ours ≥ 0.95 of the baseline.',
      '',
      'Client policies (issue 15) — our realm with and without its client policies, same instance, realm, users and client '
        + '(removed through the admin API for the second row\'s rounds only):',
      '',
      table(['realm on our instance', ...head, 'vs without policies'], [
        [OURS_SEM_POLITICAS.label, ...cols(semP), '1.00'],
        [OURS.label, ...cols(o), ratio(o, semP)],
      ]),
      '',
      `With vs without policies per round (throughput): ${porRodada(o, semP)}. Target: with ≥ 0.95 of without.`,
      '',
      'Across processes — the untouched distribution next to our instance, both serving the default realm (brute-force detection off). '
        + 'Two JVMs of one build can differ by more than a realm does: read these ratios as process-to-process variation, not as the cost of our realm.',
      '',
      table(['target', ...head, 'peak RSS (MiB)', 'vs stock'], [
        [STOCK.label, ...cols(s), rss[3], '1.00'],
        [`our instance, ${CONTROL.label}`, ...cols(c), rss[2], ratio(c, s)],
        [`our instance, ${OURS.label}`, ...cols(o), rss[1], ratio(o, s)],
      ]),
    ];
    if (PROFILE) {
      texto.push('', 'Profile (same JVM, each variant = the baseline + one group of our realm\'s settings):', '',
        table(['variant', 'sign-ins/s', 'p95 (ms)', 'page / POST / token p50 (ms)', 'Keycloak CPU per sign-in (ms)', 'vs baseline'],
          [[BASE_BF.label, bf.rate, bf.p95, `${bf.page.toFixed(0)} / ${bf.post.toFixed(0)} / ${bf.token.toFixed(0)}`, bf.cpuMs, '1.00'],
            ...targets.slice(VARIANTES).map((t, k) => {
              const x = all[k + VARIANTES];
              return [t.label, x.rate, x.p95, `${x.page.toFixed(0)} / ${x.post.toFixed(0)} / ${x.token.toFixed(0)}`, x.cpuMs, ratio(x, bf)];
            })]));
    }
    console.log(`\n${texto.join('\n')}`);
    const firstErrors = results.flat().map((r) => r.firstError).filter(Boolean);
    if (all.some((x) => x.errors > 0)) throw new Error(`sign-ins failed during the run: the figures are not valid (${firstErrors[0]})`);
    await gravarResultados('login', 'Sign-in (`bench/login.ts`)', KNOBS, texto.join('\n'));
  } finally {
    if (!REUSE) for (const t of instances) await sh('bash', [script, 'stop'], kcEnv(t)).catch((e) => console.error(String(e)));
    sink.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
