/**
 * What issue 15's realm settings cost per sign-in, one at a time (issue 15: the sign-in with the client policies on
 * may be at most 5 % below the same realm without them). One Keycloak instance (ours), our realm `prefeitura-sp`,
 * client `portal-cidadao`, the sign-in of bench/login.ts. Named baseline: our realm as imported, every policy on.
 * Each other target is our realm with ONE change, written through the admin API before each of its rounds:
 *   - no client policies at all; each of the three policies removed alone;
 *   - the policy for every client without its redirect-URI profile (secure-redirect-uris-enforcer), and its profile
 *     `rfc9700-todos-os-clientes` without each of its four executors in turn;
 *   - the realm's refresh-token rotation off (revokeRefreshToken false), and the client's fullScopeAllowed true (with
 *     the executor full-scope-disabled out as well, since it refuses that very client update).
 * One warm-up (every state is the same realm on the same instance), then serpentine order, settle and state writes as
 * in bench/login.ts (bench/login-comum.ts). The leading figure is
 * the Keycloak CPU time per sign-in (the Java process's user+system time over its rounds / the sign-ins), which other
 * load on this shared 2-core machine disturbs much less than throughput; throughput and the per-round ratios are shown
 * next to it. Knobs: BENCH_DURATION_S (8), BENCH_WARMUP_S (15), BENCH_ROUNDS (3), BENCH_LOGIN_SETTLE_S (3),
 * BENCH_LOGIN_CONCURRENCY (8), BENCH_LOGIN_USERS (40), BENCH_LOGIN_REUSE=1, BENCH_LOGIN_JFR_S (20). Results:
 * bench/resultados/login-politicas.md.
 * Then one more round of the first two states (every policy, none) under Java Flight Recorder: the share of Keycloak's
 * Java execution samples spent in client-policy code, password hashing, the theme and the JDBC driver — a figure the
 * machine's other load does not move, unlike throughput (the JDK's jcmd and jfr, from scripts/keycloak.sh java-home).
 */
import { gravarResultados, table } from './lib.js';
import {
  CONCURRENCY, GRUPOS_JFR, OURS, REUSE, SETTLE_S, USERS, correrRodadas, perfilarAlvos, porRodada, prepare, startInstance, startSink,
  stopInstance, summarize, usernames, type EstadoRealm, type Target,
} from './login-comum.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JFR_S = Number(process.env.BENCH_LOGIN_JFR_S ?? 20);
const KNOBS = {
  BENCH_DURATION_S: process.env.BENCH_DURATION_S, BENCH_WARMUP_S: process.env.BENCH_WARMUP_S, BENCH_ROUNDS: process.env.BENCH_ROUNDS,
  BENCH_LOGIN_SETTLE_S: process.env.BENCH_LOGIN_SETTLE_S, BENCH_LOGIN_CONCURRENCY: process.env.BENCH_LOGIN_CONCURRENCY,
  BENCH_LOGIN_USERS: process.env.BENCH_LOGIN_USERS, BENCH_LOGIN_REUSE: process.env.BENCH_LOGIN_REUSE, BENCH_LOGIN_JFR_S: process.env.BENCH_LOGIN_JFR_S,
};

const TODOS = 'rfc9700-todos-os-clientes';
const semPolitica = (nome: string) => (e: EstadoRealm): EstadoRealm => {
  if (!e.politicas.some((p) => p.name === nome)) throw new Error(`our realm has no client policy ${nome}`);
  return { ...e, politicas: e.politicas.filter((p) => p.name !== nome) };
};
const semExecutor = (perfil: string, executor: string) => (e: EstadoRealm): EstadoRealm => {
  const p = e.perfis.find((x) => x.name === perfil);
  if (!p?.executors?.some((x) => x.executor === executor)) throw new Error(`profile ${perfil} has no executor ${executor}`);
  return { ...e, perfis: e.perfis.map((x) => (x !== p ? x : { ...x, executors: x.executors!.filter((y) => y.executor !== executor) })) };
};
/** The redirect-URI profile of the environment (LUM_REALM_PERFIL_URIS) taken out of the policy for every client. */
const semPerfilDeUris = (e: EstadoRealm): EstadoRealm => ({
  ...e,
  politicas: e.politicas.map((p) => (p.name !== TODOS ? p : { ...p, profiles: p.profiles!.filter((n) => !n.startsWith('uris-de-redirecionamento')) })),
});

const variante = (label: string, variacao: (e: EstadoRealm) => EstadoRealm): Target => ({ ...OURS, label, variacao });
const TARGETS: Target[] = [
  variante('our realm as imported, every client policy (baseline)', (e) => e),
  variante('no client policies', (e) => ({ ...e, politicas: [] })),
  variante('without policy consentimento-clientes-externos', semPolitica('consentimento-clientes-externos')),
  variante('without policy rfc9700-confidenciais', semPolitica('rfc9700-confidenciais')),
  variante(`without policy ${TODOS}`, semPolitica(TODOS)),
  variante(`${TODOS} without the redirect-URI profile (secure-redirect-uris-enforcer)`, semPerfilDeUris),
  ...['pkce-enforcer', 'reject-implicit-grant', 'reject-ropc-grant', 'full-scope-disabled'].map((x) =>
    variante(`profile ${TODOS} without ${x}`, semExecutor(TODOS, x))),
  variante('refresh-token rotation off (revokeRefreshToken false)', (e) => ({ ...e, revokeRefreshToken: false, refreshTokenMaxReuse: 0 })),
  // The executor full-scope-disabled refuses the client update itself: this state has neither.
  variante(`portal-cidadao with fullScopeAllowed true (and ${TODOS} without full-scope-disabled)`,
    (e) => ({ ...semExecutor(TODOS, 'full-scope-disabled')(e), fullScopeAllowed: true })),
];

async function main(): Promise<void> {
  console.log(`Sign-in cost of issue 15's realm settings: ${TARGETS.length} states of our realm, ${USERS} users, concurrency ${CONCURRENCY}, `
    + `warm-up ${WARMUP_S} s, ${ROUNDS} rounds of ${DURATION_S} s (+ ${SETTLE_S} s settle) per state in serpentine order.`);
  const sink = await startSink();
  try {
    await startInstance(OURS);
    const nomes = usernames();
    const hash = await prepare(OURS, nomes);
    const results = await correrRodadas(TARGETS, nomes, { rounds: ROUNDS, seconds: DURATION_S, warmup: WARMUP_S, soPrimeiroAquece: true });
    const perfis = await perfilarAlvos(TARGETS.slice(0, 2), nomes, JFR_S);
    const all = results.map(summarize);
    const base = all[0];
    const cargas = results[0].map((_r, i) => Math.max(...results.map((x) => x[i].load)));
    const texto = [
      `${USERS} users (password hash: ${hash}), concurrency ${CONCURRENCY}, one warm-up of ${WARMUP_S} s, ${ROUNDS} rounds of ${DURATION_S} s per state `
        + `in serpentine order (forward, backward, …), each after the state was written through the admin API and ${SETTLE_S} s of unmeasured sign-ins. `
        + `Highest 1-minute load average seen at the start of a target's round, per round: ${cargas.map((c) => c.toFixed(1)).join(', ')} (2 cores).`,
      '',
      'One state of our realm per row (same instance, realm, users and client `portal-cidadao`); "CPU" is the Keycloak process\'s CPU time per sign-in:',
      '',
      table(['state of our realm', 'Keycloak CPU per sign-in (ms)', 'CPU vs baseline', 'CPU vs baseline per round', 'sign-ins/s',
        'sign-ins/s vs baseline per round', 'p95 (ms)', 'errors'],
      all.map((x, i) => [TARGETS[i].label, x.cpuMs, i === 0 ? '1.00' : (x.cpuMs / base.cpuMs).toFixed(2), i === 0 ? '—' : porRodada(x.cpus, base.cpus),
        x.rate, i === 0 ? '—' : porRodada(x.rates, base.rates), x.p95, x.errors])),
      '',
      `Where Keycloak's Java CPU goes — one more ${JFR_S} s round of each of the first two states under Java Flight Recorder (execution samples `
        + 'of running Java threads every 10 ms; a sample counts for a group when one of its frames is in it). A share of one recording does not '
        + 'depend on how much CPU the machine gave the process; "ms per sign-in" is that share of the round\'s Keycloak CPU per sign-in (GC and JIT '
        + 'threads are not sampled, so it covers Java code only):',
      '',
      table(['group of frames', ...TARGETS.slice(0, 2).flatMap((t) => [`share of samples: ${t.label}`, 'ms per sign-in'])],
        GRUPOS_JFR.map(([nome], g) => [nome, ...perfis.flatMap((p) => [`${(100 * p.partes[g]).toFixed(1)} %`,
          ((1000 * p.round.cpu) / p.round.ok * p.partes[g]).toFixed(1)])])),
      '',
      `Samples: ${perfis.map((p, i) => `${TARGETS[i].label} ${p.amostras} (${p.round.ok} sign-ins, ${((1000 * p.round.cpu) / p.round.ok).toFixed(1)} ms CPU each)`).join('; ')}. `
        + `Events delivered by our listener during the sign-ins: ${sink.received()}.`,
    ];
    console.log(`\n${texto.join('\n')}`);
    const firstErrors = results.flat().map((r) => r.firstError).filter(Boolean);
    if (all.some((x) => x.errors > 0)) throw new Error(`sign-ins failed during the run: the figures are not valid (${firstErrors[0]})`);
    await gravarResultados('login-politicas', 'Sign-in, issue 15\'s realm settings one at a time (`bench/login-politicas.ts`)', KNOBS, texto.join('\n'));
  } finally {
    if (!REUSE) await stopInstance(OURS).catch((e) => console.error(String(e)));
    sink.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
