/** Small helpers shared by the benchmarks: processes, memory, percentiles, tables. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.LUM_BENCH_ROOT ?? '../..');
const execFileP = promisify(execFile);

export async function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await execFileP(cmd, args, { env: { ...process.env, ...env }, cwd: ROOT, maxBuffer: 64 << 20 });
  return stdout;
}

/** Peak resident set (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The java process under a kc.sh pid (kc.sh may exec java itself). */
export function javaPidUnder(pid: number): number {
  const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (comm === 'java') return pid;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  for (const c of children) {
    const found = javaPidUnder(c);
    if (found) return found;
  }
  return 0;
}

export async function waitHttp(url: string, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return performance.now() - t0;
    } catch { /* not yet */ }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function startNode(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const prof = process.env.BENCH_CPU_PROF && entry.endsWith('api/src/server.js') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return spawn(process.execPath, [...prof, path.join(ROOT, entry)], { env: { ...process.env, ...env }, stdio: 'ignore' });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** CPU time (user + system, all threads) a process has used so far, in seconds (0 if it is gone). Linux ticks are 100 Hz. */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return 0; }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(1)) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** When the benchmark process started, and the machine's 1-minute load average then. */
const INICIO = { data: new Date(), carga: os.loadavg()[0] };

/** The machine and the software a benchmark ran on, for the header of its results file. */
async function ambiente(): Promise<string[]> {
  const cpus = os.cpus();
  const versao = async (f: () => Promise<string>) => f().then((s) => s.trim()).catch((e: unknown) => `unknown (${String(e).slice(0, 80)})`);
  const postgres = await versao(() => sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qtAc', 'show server_version']));
  const javaHome = await versao(() => sh('bash', [path.join(ROOT, 'scripts/keycloak.sh'), 'java-home']));
  const jdk = await versao(async () => {
    const { stderr } = await execFileP(path.join(javaHome, 'bin/java'), ['-version']);
    return stderr.split('\n')[0];
  });
  const keycloak = /^KC_VERSION="([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'scripts/lib.sh'), 'utf8'))?.[1] ?? 'unknown';
  return [
    `Date: ${INICIO.data.toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), `
      + `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.type()} ${os.release()}; 1-minute load average when the run began: ${INICIO.carga.toFixed(2)}, when it ended: ${os.loadavg()[0].toFixed(2)}.`,
    `Software: Node ${process.version}, PostgreSQL ${postgres}, Keycloak ${keycloak}, JDK ${jdk}.`,
  ];
}

/**
 * Where a benchmark's results file goes. Official results: bench/resultados/<name>.md, whose text the README's
 * "## Benchmarks" section carries verbatim (test/readme.test.ts; `npm run bench` copies them into the README).
 * A run with any knob away from its default (or BENCH_SMOKE=1) is a smoke run: bench/resultados/smoke/<name>.md,
 * headed as such, never copied into the README.
 */
export function arquivoResultados(nome: string, knobs: Record<string, string | undefined>): { arquivo: string; oficial: boolean; motivo: string } {
  const alterados = Object.entries(knobs).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const smoke = process.env.BENCH_SMOKE === '1' || alterados.length > 0;
  const motivo = [process.env.BENCH_SMOKE === '1' ? 'BENCH_SMOKE=1' : '', ...alterados].filter(Boolean).join(', ');
  return { arquivo: path.join(ROOT, 'bench/resultados', smoke ? 'smoke' : '', `${nome}.md`), oficial: !smoke, motivo };
}

/** Writes the results file: title, environment, then the benchmark's own text (tables and notes), as printed. */
export async function gravarResultados(nome: string, titulo: string, knobs: Record<string, string | undefined>, corpo: string): Promise<string> {
  const { arquivo, oficial, motivo } = arquivoResultados(nome, knobs);
  const aviso = oficial ? [] : [`**Smoke run, not an official result** (${motivo}): not copied into the README.`, ''];
  const texto = [`#### ${titulo}`, '', ...aviso, ...(await ambiente()), '', corpo.trim(), ''].join('\n');
  mkdirSync(path.dirname(arquivo), { recursive: true });
  writeFileSync(arquivo, texto);
  console.log(`\nResults written to ${path.relative(ROOT, arquivo)}${oficial ? '' : ' (smoke run)'}.`);
  return texto;
}

/** Streams SQL (with inline COPY data) into one psql session. */
export async function psqlStdin(db: string, escrever: (w: Writable) => Promise<void>): Promise<void> {
  const p = spawn('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const fim = new Promise<number | null>((resolve, reject) => { p.once('error', reject); p.once('exit', resolve); });
  await escrever(p.stdin);
  p.stdin.end();
  const codigo = await fim;
  if (codigo !== 0) throw new Error(`psql saiu com código ${codigo}`);
}
