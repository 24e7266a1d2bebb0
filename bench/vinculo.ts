/**
 * Linkage quality of the batch load on generated data (issue 11, "Must show": pairwise F1 ≥ 0.99 at 1 million persons
 * with precision and recall reported separately, recall ≥ 0.95 on rows without a CPF, zero homonym and zero twin pairs
 * merged). Quality, not speed: the figures are counts, the same on any machine and any number of cores for the same
 * code and files (the seven runs took 23 minutes on the 2-core machine, two at a time).
 *
 * Each row of the table: `npm run gerar-dados` (size, seed, options) → the five sources loaded in the README's
 * recommended order (fazenda, eol, siga, bdc, outros) → the clusters scored against the generator's truth file by the
 * code of `npm run carga:pontuar`. Rows marked "harness" load through `scripts/carga/avaliar-vinculo.ts` (the load's
 * own linkage phases around a staging step and an interim merge by CPF: bare master records, no field values — the
 * way to measure 1 M persons in minutes); the "product path" row through five `npm run carga` processes into a
 * migrated database and `npm run carga:clusters`, exactly as an operator runs them. The seeds are four, and two rows
 * use the generator's `--tratamentos-agnomes` (sons named after their fathers, forms of address), so that nothing is
 * fitted to one data set.
 *
 * Named baseline: the issue's targets, on the line under the table ("target"), each cell marked met or not.
 *
 * Knobs (any set → smoke run): BENCH_VINCULO_ESCALA (divides every row's persons, default 1), BENCH_VINCULO_LINHAS
 * (comma-separated row numbers of the table to run, 1-based, default all). Generated files are cached under
 * $TMPDIR/lum-bench-vinculo/.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, gravarResultados, sh, table } from './lib.js';

const ESCALA = Number(process.env.BENCH_VINCULO_ESCALA ?? 1);
const KNOBS = { BENCH_VINCULO_ESCALA: process.env.BENCH_VINCULO_ESCALA, BENCH_VINCULO_LINHAS: process.env.BENCH_VINCULO_LINHAS };
const PARALELO = 2;
/** The README's recommended order (most own CPFs first, children's own CPFs before the registers that carry guardians'). */
const ORDEM = ['fazenda', 'eol', 'siga', 'bdc', 'outros'] as const;
const TMP = path.join(os.tmpdir(), 'lum-bench-vinculo');

interface Caso { pessoas: number; semente: number; agnomes: boolean; produto: boolean }
const CASOS: Caso[] = [
  { pessoas: 1_000_000, semente: 29, agnomes: false, produto: false },
  { pessoas: 1_000_000, semente: 57, agnomes: false, produto: false },
  { pessoas: 1_000_000, semente: 83, agnomes: false, produto: false },
  { pessoas: 300_000, semente: 101, agnomes: false, produto: false },
  { pessoas: 1_000_000, semente: 29, agnomes: true, produto: false },
  { pessoas: 300_000, semente: 101, agnomes: true, produto: false },
  { pessoas: 100_000, semente: 29, agnomes: false, produto: true },
];

/** What `pontuar` (api/src/carga/pontuacao.ts) reports, the fields this table shows. */
interface Pontuacao {
  linhasVerdade: number;
  pares: { verdadeiros: number; previstos: number; acertos: number; precisao: number; recall: number; f1: number };
  semCpf: { paresVerdadeiros: number; acertos: number; recall: number };
  homonimos: { paresNaVerdade: number; paresFundidos: number };
  gemeos: { paresNaVerdade: number; paresFundidos: number };
  triagem: { quarentenaCerta: number; motivoErrado: number };
}

const node = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) => sh(process.execPath, [path.join(ROOT, 'dist', script), ...args], env);
const psql = (sql: string) => sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qtAc', sql]);

/** The persons of a table row at the run's scale. */
const pessoasDe = (c: Caso) => Math.max(1000, Math.round(c.pessoas / ESCALA));

async function dados(c: Caso): Promise<string> {
  const pessoas = pessoasDe(c);
  const dir = path.join(TMP, `${pessoas}-${c.semente}${c.agnomes ? '-agnomes' : ''}`);
  if (!existsSync(path.join(dir, 'verdade.csv'))) {
    rmSync(dir, { recursive: true, force: true });
    await node('scripts/carga/gerar-dados.js', ['--pessoas', String(pessoas), '--semente', String(c.semente), '--saida', dir, ...(c.agnomes ? ['--tratamentos-agnomes'] : [])]);
  }
  return dir;
}

async function pelaBancada(dir: string, n: number): Promise<Pontuacao> {
  const saida = path.join(TMP, `saida-${n}`);
  await node('scripts/carga/avaliar-vinculo.js', ['--dados', dir, '--saida', saida, '--banco', `lum_dev_vinculo_bench_${n}`]);
  return (JSON.parse(readFileSync(path.join(saida, 'avaliacao.json'), 'utf8')) as { pontuacao: Pontuacao }).pontuacao;
}

async function peloProduto(dir: string, n: number): Promise<Pontuacao> {
  const banco = `lum_bench_vinculo_${n}`;
  const env = { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${banco}`, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  await psql(`DROP DATABASE IF EXISTS ${banco} WITH (FORCE)`);
  await psql(`CREATE DATABASE ${banco}`);
  try {
    await node('api/src/db/migrate.js', [], env);
    for (const fonte of ORDEM) {
      const arquivo = readdirSync(dir).find((f) => f.startsWith(`${fonte}.`));
      if (!arquivo) throw new Error(`no file for ${fonte} in ${dir}`);
      await node('scripts/carga/carga.js', ['--fonte', fonte, '--arquivo', path.join(dir, arquivo)], env);
    }
    const clusters = path.join(TMP, `clusters-${n}.csv`);
    await node('scripts/carga/clusters.js', ['--saida', clusters], env);
    return JSON.parse(await node('scripts/carga/pontuar.js', ['--clusters', clusters, '--verdade', path.join(dir, 'verdade.csv'), '--json'])) as Pontuacao;
  } finally {
    await psql(`DROP DATABASE IF EXISTS ${banco} WITH (FORCE)`);
  }
}

const n0 = (x: number) => x.toLocaleString('en');
const f5 = (x: number) => x.toFixed(5);
const marcar = (texto: string, ok: boolean) => (ok ? `**${texto}**` : texto);

function linhaDaTabela(c: Caso, p: Pontuacao): string[] {
  const errados = p.pares.previstos - p.pares.acertos;
  const precisao = errados === 0 ? '1.0' : `${p.pares.precisao.toFixed(7)} (${n0(errados)} wrong)`;
  const nome = `${n0(pessoasDe(c))} persons, seed ${c.semente}${c.agnomes ? ', `--tratamentos-agnomes`' : ''}`;
  return [
    c.produto ? `${nome} — **product path** (five \`npm run carga\`, \`npm run carga:clusters\`)` : `${nome} — harness`,
    n0(p.linhasVerdade), n0(p.pares.previstos), marcar(precisao, errados === 0), f5(p.pares.recall), marcar(f5(p.pares.f1), p.pares.f1 >= 0.99),
    `${marcar(f5(p.semCpf.recall), p.semCpf.recall >= 0.95)} (${n0(p.semCpf.acertos)} of ${n0(p.semCpf.paresVerdadeiros)})`,
    `${marcar(n0(p.homonimos.paresFundidos), p.homonimos.paresFundidos === 0)} of ${n0(p.homonimos.paresNaVerdade)}`,
    `${marcar(n0(p.gemeos.paresFundidos), p.gemeos.paresFundidos === 0)} of ${n0(p.gemeos.paresNaVerdade)}`,
    `${n0(p.triagem.quarentenaCerta)} / ${n0(p.triagem.motivoErrado)}`,
  ];
}

async function main(): Promise<void> {
  const escolhidos = process.env.BENCH_VINCULO_LINHAS ? process.env.BENCH_VINCULO_LINHAS.split(',').map((s) => Number(s) - 1) : CASOS.map((_, i) => i);
  mkdirSync(TMP, { recursive: true });
  const commit = (await sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])).trim();
  const sujo = (await sh('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])).trim() !== '';
  console.log(`Linkage quality: table rows ${escolhidos.map((i) => i + 1).join(', ')}, scale 1/${ESCALA}, code ${commit}${sujo ? ' (with uncommitted changes)' : ''}.`);
  const resultados = new Map<number, Pontuacao>();
  const fila = [...escolhidos];
  const trabalhador = async () => {
    for (let i = fila.shift(); i !== undefined; i = fila.shift()) {
      const c = CASOS[i];
      const dir = await dados(c);
      const t0 = performance.now();
      const p = c.produto ? await peloProduto(dir, i + 1) : await pelaBancada(dir, i + 1);
      console.log(`  row ${i + 1} (${n0(pessoasDe(c))} persons, seed ${c.semente}${c.agnomes ? ', agnomes' : ''}${c.produto ? ', product path' : ''}): F1 ${f5(p.pares.f1)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      resultados.set(i, p);
    }
  };
  await Promise.all(Array.from({ length: PARALELO }, trabalhador));
  const tabela = table(
    ['generated data (`npm run gerar-dados`), path', 'rows', 'pairs predicted', 'precision', 'recall', 'F1', 'recall, pairs with a row without CPF', 'homonym pairs merged', 'twin pairs merged', 'quarantined rows: right reason / wrong'],
    [
      ...escolhidos.map((i) => linhaDaTabela(CASOS[i], resultados.get(i)!)),
      ['target (issue 11; **bold** = met)', '', '', '', '', '≥ 0.99', '≥ 0.95', '0', '0', '— / 0'],
    ],
  );
  const corpo = [
    `Code: commit ${commit}${sujo ? ' with uncommitted changes (not an official result)' : ''}. Pairwise scores against the generator's truth file (\`npm run carga:pontuar\`);`,
    'sources loaded in the recommended order (fazenda, eol, siga, bdc, outros). Harness: `scripts/carga/avaliar-vinculo.ts` (the load\'s own linkage phases,',
    'an interim merge by CPF without field values); product path: five `npm run carga` and `npm run carga:clusters` on a migrated database.', '',
    tabela,
  ].join('\n');
  console.log(`\n${corpo}`);
  await gravarResultados('vinculo', 'Linkage quality on generated data (`bench/vinculo.ts`)', sujo ? { ...KNOBS, alteracoes: 'sim' } : KNOBS, corpo);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
