/**
 * What the Sala de Espera's requirement check costs a sign-in that passes it (issue 13, "Must show": under 5 ms p95,
 * measured next to the same flow without the authenticator in one run). One Keycloak instance with our providers,
 * our realm `prefeitura-sp` as imported, client `portal-cidadao` (minimum level 1: the bench's users, level 1, meet
 * it, so every sign-in passes the check and reaches the application), the sign-in of bench/login.ts (login page, form
 * POST, code for tokens). The check runs twice in a passing password sign-in: as the step `lum-sala-espera` of the
 * browser flow `navegador lum`, and as the trigger of the required action `lum-sala-espera` (which covers
 * registrations and password resets). Three states of the same realm, written through the admin API before each of
 * their rounds:
 *   - baseline: no requirement check — the step DISABLED in `navegador lum` and the required action disabled;
 *   - `navegador lum` without the step (DISABLED), the required action enabled;
 *   - our realm as imported: the step REQUIRED and the required action enabled.
 * One warm-up, then serpentine rounds with settle (bench/login-comum.ts). Latency p50/p95/p99 per state over all its
 * rounds and per round, throughput, Keycloak CPU per sign-in; then one round of the first and last states under Java
 * Flight Recorder: the share of Keycloak's Java samples in the check's own code (`…keycloak.sala`), a figure other
 * load on the shared machine does not move. Knobs: BENCH_DURATION_S (12), BENCH_WARMUP_S (15), BENCH_ROUNDS (6),
 * BENCH_LOGIN_SETTLE_S (3), BENCH_LOGIN_CONCURRENCY (1 here, sequential sign-ins: see sala-espera-padroes.ts),
 * BENCH_LOGIN_USERS (40), BENCH_LOGIN_REUSE=1,
 * BENCH_LOGIN_JFR_S (20). Results: bench/resultados/sala-espera.md.
 */
import { CONCORRENCIA_INFORMADA } from './sala-espera-padroes.js';
import type RequiredActionProviderRepresentation from '@keycloak/keycloak-admin-client/lib/defs/requiredActionProviderRepresentation.js';
import { gravarResultados, percentile, table } from './lib.js';
import {
  CONCURRENCY, OURS, REUSE, SETTLE_S, USERS, admin, correrRodadas, perfilarAlvos, porRodada, prepare, startInstance, startSink, stopInstance, summarize,
  usernames, type Round, type Target,
} from './login-comum.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 12);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const JFR_S = Number(process.env.BENCH_LOGIN_JFR_S ?? 20);
const KNOBS = {
  BENCH_DURATION_S: process.env.BENCH_DURATION_S, BENCH_WARMUP_S: process.env.BENCH_WARMUP_S, BENCH_ROUNDS: process.env.BENCH_ROUNDS,
  BENCH_LOGIN_SETTLE_S: process.env.BENCH_LOGIN_SETTLE_S, BENCH_LOGIN_CONCURRENCY: CONCORRENCIA_INFORMADA,
  BENCH_LOGIN_USERS: process.env.BENCH_LOGIN_USERS, BENCH_LOGIN_REUSE: process.env.BENCH_LOGIN_REUSE, BENCH_LOGIN_JFR_S: process.env.BENCH_LOGIN_JFR_S,
};

/** Its own instance (ports, database), so it never shares Keycloak with bench/login-politicas.ts. */
const INSTANCIA: Target = { ...OURS, instance: 'bench-sala', http: 8490, mgmt: 9410, db: 'lum_keycloak_bench_sala', variacao: undefined };
const FLUXO = 'navegador lum';
const PASSO = 'lum-sala-espera';

/** Sets the step's requirement in `navegador lum` and whether the required action is enabled; reads both back. */
async function gravarEstado(passo: 'REQUIRED' | 'DISABLED', acaoHabilitada: boolean): Promise<void> {
  const kc = await admin(INSTANCIA);
  const execucoes = await kc.authenticationManagement.getExecutions({ flow: FLUXO });
  const e = execucoes.find((x) => x.providerId === PASSO);
  if (!e) throw new Error(`the flow ${FLUXO} has no ${PASSO} step`);
  if (e.requirement !== passo) await kc.authenticationManagement.updateExecution({ flow: FLUXO }, { ...e, requirement: passo });
  const lerAcao = async () => (await kc.authenticationManagement.getRequiredActionForAlias({ alias: PASSO })) as RequiredActionProviderRepresentation;
  const acao = await lerAcao();
  if (acao.enabled !== acaoHabilitada) await kc.authenticationManagement.updateRequiredAction({ alias: PASSO }, { ...acao, enabled: acaoHabilitada });
  const [depois, acaoDepois] = await Promise.all([kc.authenticationManagement.getExecutions({ flow: FLUXO }), lerAcao()]);
  const agora = depois.find((x) => x.providerId === PASSO)?.requirement;
  if (agora !== passo || acaoDepois.enabled !== acaoHabilitada) throw new Error(`the realm did not take the state: step ${agora}, required action enabled ${String(acaoDepois.enabled)}`);
}

const estado = (label: string, passo: 'REQUIRED' | 'DISABLED', acao: boolean): Target => ({ ...INSTANCIA, label, aplicar: () => gravarEstado(passo, acao) });
const TARGETS: Target[] = [
  estado('no requirement check: step DISABLED, required action disabled (baseline)', 'DISABLED', false),
  estado(`\`${FLUXO}\` without the \`${PASSO}\` step (DISABLED), required action enabled`, 'DISABLED', true),
  estado(`our realm as imported: the \`${PASSO}\` step REQUIRED, required action enabled`, 'REQUIRED', true),
];
const GRUPOS: [string, RegExp][] = [['the requirement check (br.gov.sp.prefeitura.lum.keycloak.sala)', /^br\.gov\.sp\.prefeitura\.lum\.keycloak\.sala\./]];

const p95 = (r: Round): number => percentile(r.samples.map((s) => s.total).sort((a, b) => a - b), 95);
const ms = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  console.log(`Sala de Espera requirement check on a passing sign-in: ${TARGETS.length} states of our realm, ${USERS} users, concurrency ${CONCURRENCY}, `
    + `warm-up ${WARMUP_S} s, ${ROUNDS} rounds of ${DURATION_S} s (+ ${SETTLE_S} s settle) per state in serpentine order.`);
  const sink = await startSink();
  try {
    await startInstance(INSTANCIA);
    const nomes = usernames();
    const hash = await prepare(INSTANCIA, nomes);
    let results: Round[][];
    let perfis: Awaited<ReturnType<typeof perfilarAlvos>>;
    try {
      results = await correrRodadas(TARGETS, nomes, { rounds: ROUNDS, seconds: DURATION_S, warmup: WARMUP_S, soPrimeiroAquece: true });
      perfis = await perfilarAlvos([TARGETS[0], TARGETS[2]], nomes, JFR_S, GRUPOS);
    } finally {
      await gravarEstado('REQUIRED', true);
    }
    const all = results.map(summarize);
    const [base, , nosso] = all;
    const cargas = results[0].map((_r, i) => Math.max(...results.map((x) => x[i].load)));
    const p95Rodadas = results.map((rs) => rs.map(p95));
    const dif = (i: number) => p95Rodadas[i].map((v, k) => v - p95Rodadas[0][k]);
    const mediana = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const cpuSala = perfis.map((p) => (1000 * p.round.cpu) / p.round.ok * p.partes[0]);
    const delta = nosso.p95 - base.p95;
    const texto = [
      `${USERS} users (password hash: ${hash}), concurrency ${CONCURRENCY}, client \`portal-cidadao\` (minimum level 1; every sign-in passes the check), `
        + `one warm-up of ${WARMUP_S} s, ${ROUNDS} rounds of ${DURATION_S} s per state in serpentine order, each after the state was written through the admin API `
        + `and ${SETTLE_S} s of unmeasured sign-ins. Highest 1-minute load average seen at the start of a state's round, per round: `
        + `${cargas.map((c) => c.toFixed(1)).join(', ')} (2 cores, shared with other work).`,
      '',
      'One state of the same realm per row (same instance, users and client); latency is the whole sign-in (login page, form POST, code for tokens), '
        + 'over all rounds; "CPU" is the Keycloak process\'s CPU time per sign-in:',
      '',
      table(['state of our realm', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'p95 − baseline per round (ms)', 'sign-ins/s', 'sign-ins/s vs baseline per round',
        'Keycloak CPU per sign-in (ms)', 'CPU vs baseline per round', 'errors'],
      all.map((x, i) => [TARGETS[i].label, ms(x.p50), ms(x.p95), ms(x.p99),
        i === 0 ? '—' : `${dif(i).map(ms).join(', ')} (median ${ms(mediana(dif(i)))})`, x.rate.toFixed(1), i === 0 ? '—' : porRodada(x.rates, base.rates),
        ms(x.cpuMs), i === 0 ? '—' : porRodada(x.cpus, base.cpus), x.errors])),
      '',
      `p95 of the sign-in with the check (our realm as imported) minus without any check, over all rounds: ${ms(delta)} ms `
        + `(target: under 5 ms — ${delta < 5 ? 'met' : 'not met'} in this run; per round: ${dif(2).map(ms).join(', ')} ms).`,
      '',
      `The check's own Java CPU — one more ${JFR_S} s round of the baseline and of our realm as imported under Java Flight Recorder (execution samples of `
        + 'running Java threads every 10 ms; a sample counts when one of its frames is in the check\'s package; "ms per sign-in" is that share of the '
        + 'round\'s Keycloak CPU per sign-in):',
      '',
      table(['state', 'sign-ins', 'samples in the check\'s code / all samples', 'share', 'ms per sign-in', 'Keycloak CPU per sign-in (ms)'],
        perfis.map((p, i) => [[TARGETS[0], TARGETS[2]][i].label, p.round.ok, `${Math.round(p.partes[0] * p.amostras)} / ${p.amostras}`, `${(100 * p.partes[0]).toFixed(2)} %`,
          cpuSala[i].toFixed(3), ms((1000 * p.round.cpu) / p.round.ok)])),
      '',
      `Events delivered by our listener during the sign-ins: ${sink.received()}.`,
    ];
    console.log(`\n${texto.join('\n')}`);
    const firstErrors = results.flat().map((r) => r.firstError).filter(Boolean);
    if (all.some((x) => x.errors > 0)) throw new Error(`sign-ins failed during the run: the figures are not valid (${firstErrors[0]})`);
    await gravarResultados('sala-espera', 'Sign-in, the Sala de Espera requirement check on a passing sign-in (`bench/sala-espera.ts`)', KNOBS, texto.join('\n'));
  } finally {
    if (!REUSE) await stopInstance(INSTANCIA).catch((e) => console.error(String(e)));
    sink.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
