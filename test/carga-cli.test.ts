/**
 * The batch-load CLIs as an operator runs them (compiled, as `npm run carga` does, in a child process):
 *
 * - kill -9 in every phase: the load is run with LUM_CARGA_PAUSA at a named point (a chunk copied but not committed,
 *   a chunk committed, the end of `lendo`, each later phase with its work done but not committed), SIGKILLed there,
 *   and started again at the next point; between two kills PostgreSQL also "loses" the unlogged staging table. The
 *   final run completes, and the golden records equal those of an uninterrupted run in another database.
 * - `npm run carga:clusters`: the export's exact format.
 * - usage errors (exit 2), loads that cannot start (exit 1), and the pause hook refused in production.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lerVerdadeCsv, somaDosRegistrosDeOuro } from '../api/test/helpers/carga.js';
import { gerarDados } from '../api/src/carga/gerador/gerador.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { ROOT } from './support/keycloak.js';

/** Rows per COPY chunk in these runs: small, so the source file takes several chunks. */
const LOTE = 50;
const DIST = path.join(ROOT, '.run', `carga-cli-${randomBytes(4).toString('hex')}`);

interface Execucao {
  codigo: number | null;
  sinal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a compiled CLI. With `pausa`, resolves once the process says it paused there, after SIGKILLing it.
 */
function executar(cli: 'carga' | 'clusters', args: string[], env: NodeJS.ProcessEnv, pausa?: string): Promise<Execucao> {
  const filho = spawn(process.execPath, [path.join(DIST, 'scripts/carga', `${cli}.js`), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env, ...(pausa ? { LUM_CARGA_PAUSA: pausa } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Execucao = { codigo: null, sinal: null, stdout: '', stderr: '' };
  filho.stdout.on('data', (d: Buffer) => (r.stdout += d.toString('utf8')));
  filho.stderr.on('data', (d: Buffer) => {
    r.stderr += d.toString('utf8');
    if (pausa && r.stderr.includes(`[carga] PAUSA ${pausa}\n`)) filho.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    filho.once('error', reject);
    filho.once('close', (codigo, sinal) => resolve({ ...r, codigo, sinal }));
  });
}

let dir = '';
const bancos: TestDatabase[] = [];
const novoBanco = async () => {
  const b = await createTestDatabase();
  bancos.push(b);
  return b;
};
/** The diagnosis without the phases' durations (`ms…` counters): those differ from run to run. */
function semDuracoes(d: Record<string, unknown>): Record<string, unknown> {
  const fases = d['fases'] as Record<string, Record<string, number>>;
  return { ...d, fases: Object.fromEntries(Object.entries(fases).map(([f, c]) => [f, Object.fromEntries(Object.entries(c).filter(([k]) => !/^ms(_|$)/.test(k)))])) };
}

const diagnosticoDe = (saida: string) => JSON.parse(saida.slice(saida.indexOf('\n{') + 1)) as Record<string, unknown> & { carga: Record<string, unknown> };

beforeAll(async () => {
  // As `npm run carga` does (tsc -p tsconfig.build.json), into a directory of this run.
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', DIST], { cwd: ROOT });
  dir = await mkdtemp(path.join(tmpdir(), 'carga-cli-'));
  await gerarDados({ pessoas: 400, semente: 5, saida: dir });
}, 180_000);
afterAll(async () => {
  for (const b of bancos) await b.drop();
  await rm(dir, { recursive: true, force: true });
  await rm(DIST, { recursive: true, force: true });
});

describe('npm run carga, killed with SIGKILL in every phase and started again', () => {
  it('completes, and the golden records equal an uninterrupted run’s', async () => {
    const verdade = await lerVerdadeCsv(path.join(dir, 'verdade.csv'));
    const linhasSiga = [...verdade.values()].filter((v) => v['source'] === 'siga').length;
    expect(linhasSiga).toBeGreaterThan(4 * LOTE);
    const fazenda = ['--fonte', 'fazenda', '--arquivo', path.join(dir, 'fazenda.csv'), '--linhas-por-lote', String(LOTE), '--observado-em', '2026-11-01'];
    const siga = ['--fonte', 'siga', '--arquivo', path.join(dir, 'siga.txt'), '--linhas-por-lote', String(LOTE), '--observado-em', '2026-11-02T10:00:00-03:00'];

    // B: uninterrupted.
    const b = await novoBanco();
    const envB = { DATABASE_URL: b.url };
    expect((await executar('carga', fazenda, envB)).codigo).toBe(0);
    const inteira = await executar('carga', siga, envB);
    expect(inteira.codigo).toBe(0);

    // A: the same loads, the second killed at every point.
    const a = await novoBanco();
    const envA = { DATABASE_URL: a.url };
    expect((await executar('carga', fazenda, envA)).codigo).toBe(0);
    const estado = async () =>
      (await a.dataSource.query<{ fase: string; situacao: string; linhas_confirmadas: string }[]>(
        `SELECT fase, situacao, linhas_confirmadas FROM carga WHERE fonte = 'siga'`,
      ))[0];
    const passos: [string, { fase: string; linhas_confirmadas: string }, (() => Promise<unknown>)?][] = [
      ['lendo:2:copiado', { fase: 'lendo', linhas_confirmadas: String(LOTE) }],
      ['lendo:2:confirmado', { fase: 'lendo', linhas_confirmadas: String(2 * LOTE) }, () => a.dataSource.query('TRUNCATE carga_staging')],
      // The staging table was lost: the load starts over from the first row.
      ['lendo:1:confirmado', { fase: 'lendo', linhas_confirmadas: String(LOTE) }],
      ['lendo:3:copiado', { fase: 'lendo', linhas_confirmadas: String(2 * LOTE) }],
      ['lendo:fim', { fase: 'lendo', linhas_confirmadas: String(linhasSiga) }],
      ['particionando', { fase: 'particionando', linhas_confirmadas: String(linhasSiga) }],
      ['fundindo', { fase: 'fundindo', linhas_confirmadas: String(linhasSiga) }],
      ['vinculando', { fase: 'vinculando', linhas_confirmadas: String(linhasSiga) }],
      ['registrando', { fase: 'registrando', linhas_confirmadas: String(linhasSiga) }],
    ];
    for (const [ponto, esperado, depois] of passos) {
      const r = await executar('carga', siga, envA, ponto);
      expect([ponto, r.sinal]).toEqual([ponto, 'SIGKILL']);
      expect([ponto, await estado()]).toEqual([ponto, { ...esperado, situacao: 'em-andamento' }]);
      await depois?.();
    }
    const retomada = await executar('carga', siga, envA);
    expect(retomada.codigo).toBe(0);
    expect(retomada.stderr).toContain('[carga] retomando a carga 2 na fase registrando');

    const { carga: cargaA, ...diagA } = diagnosticoDe(retomada.stdout);
    const { carga: cargaB, ...diagB } = diagnosticoDe(inteira.stdout);
    expect(semDuracoes(diagA)).toEqual(semDuracoes(diagB));
    expect(diagA['registrosLidos']).toBe(linhasSiga);
    expect([cargaA['situacao'], cargaA['observadoEm']]).toEqual(['concluida', cargaB['observadoEm']]);
    expect(await somaDosRegistrosDeOuro(a.dataSource)).toEqual(await somaDosRegistrosDeOuro(b.dataSource));
    expect(await a.dataSource.query(`SELECT count(*)::int AS n FROM carga`)).toEqual([{ n: 2 }]);
  }, 300_000);
});

describe('npm run carga, output and errors', () => {
  it('prints the pt-BR summary table and the JSON diagnosis; progress goes to stderr as plain lines off a terminal', async () => {
    const b = await novoBanco();
    const r = await executar('carga', ['--fonte', 'bdc', '--arquivo', path.join(dir, 'bdc.csv')], { DATABASE_URL: b.url });
    expect(r.codigo).toBe(0);
    const linhasBdc = [...(await lerVerdadeCsv(path.join(dir, 'verdade.csv'))).values()].filter((v) => v['source'] === 'bdc').length;
    const fmt = linhasBdc.toLocaleString('pt-BR');
    expect(r.stdout).toMatch(/^Carga 1 · fonte bdc \(smads-bdc; CMBD SMADS\/smads-bdc\) · concluida\n/);
    expect(r.stdout).toContain(`| registros lidos `);
    expect(r.stdout).toMatch(new RegExp(`\\| registros lidos +\\| ${fmt.replace('.', '\\.')} \\|`));
    expect(diagnosticoDe(r.stdout)['registrosLidos']).toBe(linhasBdc);
    expect(r.stderr).toContain('[carga] carga 1 iniciada\n');
    expect(r.stderr).toMatch(new RegExp(`\\[carga\\] lendo: concluída em [0-9,]+ s \\(${fmt.replace('.', '\\.')} linhas, [0-9.]+ linhas/s\\)\n`));
    for (const fase of ['particionando', 'fundindo', 'vinculando', 'registrando']) expect(r.stderr).toMatch(new RegExp(`\\[carga\\] ${fase}: concluída em [0-9,]+ s\n`));
  }, 120_000);

  it('a row with fewer fields than the header: the load completes and the summary says where it is', async () => {
    const b = await novoBanco();
    const arquivo = path.join(dir, 'bdc-truncado.csv');
    const cab = 'ID_CIDADAO;NOME;NOME_MAE;DATA_NASC;SEXO;CPF;CIDADE/UF;TELEFONE;FALECIDO';
    await writeFile(arquivo, Buffer.from(`${cab}\n"T-1";"ANA";"";"05-11-1970";"FEMININO";"";"SÃO PAULO/SP";"";"N"\n"T-2";"BETO"\n`, 'latin1'));
    const r = await executar('carga', ['--fonte', 'bdc', '--arquivo', arquivo], { DATABASE_URL: b.url });
    expect(r.codigo).toBe(0);
    expect(r.stdout).toMatch(/\| linhas ilegíveis \(não carregadas\) +\| 1 — linha 2 \(colunas\) \|/);
    expect(r.stdout).toMatch(/\| registros lidos +\| 2 \|/);
    expect(diagnosticoDe(r.stdout)['linhasIlegiveis']).toEqual({ total: 1, porMotivo: { colunas: 1, codificacao: 0 }, primeiras: [{ linha: 2, motivo: 'colunas' }] });
  }, 60_000);

  it.each([
    ['no arguments', [], 'informe --fonte e --arquivo'],
    ['no file', ['--fonte', 'siga'], 'informe --fonte e --arquivo'],
    ['an unknown option', ['--fonte', 'siga', '--arquivo', 'x.csv', '--pressa'], "Unknown option '--pressa'"],
    ['a bad source name', ['--fonte', 'Siga X', '--arquivo', 'x.csv'], 'nome de fonte inválido “Siga X”'],
    ['a bad observation date', ['--fonte', 'siga', '--arquivo', 'x.csv', '--observado-em', 'ontem'], 'data de observação inválida “ontem”'],
    ['a bad chunk size', ['--fonte', 'siga', '--arquivo', 'x.csv', '--linhas-por-lote', '0'], '--linhas-por-lote deve ser um inteiro positivo'],
  ])('%s: exit 2 with the message and the usage line', async (_caso, args, mensagem) => {
    const r = await executar('carga', args, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nenhum' });
    expect([r.codigo, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(mensagem);
    expect(r.stderr).toContain('uso: npm run carga -- --fonte NOME --arquivo ARQUIVO');
  });

  it.each([
    ['an unknown source', ['--fonte', 'nenhuma', '--arquivo', 'x.csv'], 'carga não concluída: fonte desconhecida “nenhuma”: não há mapeamento api/src/carga/fontes/nenhuma.yaml'],
    ['a missing file', ['--fonte', 'siga', '--arquivo', '/nao/existe.txt'], 'carga não concluída: arquivo não encontrado: /nao/existe.txt'],
  ])('%s: exit 1 with the reason', async (_caso, args, mensagem) => {
    const b = await novoBanco();
    const r = await executar('carga', args, { DATABASE_URL: b.url });
    expect([r.codigo, r.stdout, r.stderr]).toEqual([1, '', `${mensagem}\n`]);
  });

  it('the pause hook is refused in production (exit 1, nothing loaded)', async () => {
    const b = await novoBanco();
    const env = { DATABASE_URL: b.url, NODE_ENV: 'production', LUM_API_CLIENT_SECRET: 'x'.repeat(40), LUM_EVENTS_HMAC_SECRET: 'y'.repeat(40), LUM_METRICS_TOKEN: 'z'.repeat(40), LUM_GOVBR_ISSUER: 'https://sso.acesso.gov.br/' };
    const r = await executar('carga', ['--fonte', 'bdc', '--arquivo', path.join(dir, 'bdc.csv')], env, 'fundindo');
    expect(r.codigo).toBe(1);
    expect(r.stderr).toContain('LUM_CARGA_PAUSA: só para testes; em produção deixe vazio');
    expect(await b.dataSource.query(`SELECT count(*)::int AS n FROM carga`)).toEqual([{ n: 0 }]);
  });
});

describe('npm run carga:clusters', () => {
  it('writes source,row_id,cluster_id for every loaded row, ordered, and says how many', async () => {
    const b = await novoBanco();
    expect((await executar('carga', ['--fonte', 'eol', '--arquivo', path.join(dir, 'eol.csv')], { DATABASE_URL: b.url })).codigo).toBe(0);
    const saida = path.join(dir, 'clusters.csv');
    const r = await executar('clusters', ['--saida', saida], { DATABASE_URL: b.url });
    const esperado = await b.dataSource.query<{ fonte: string; chave_fonte: string; identidade_id: string | null; motivo: string | null }[]>(
      `SELECT fonte, chave_fonte, identidade_id::text AS identidade_id, motivo FROM linha_carga ORDER BY fonte COLLATE "C", chave_fonte COLLATE "C"`,
    );
    expect([r.codigo, r.stderr]).toEqual([0, `${esperado.length.toLocaleString('pt-BR')} linhas em ${saida}\n`]);
    const texto = await readFile(saida, 'utf8');
    const linhas = esperado.map((l) => `${l.fonte},${l.chave_fonte},${l.identidade_id ?? `quarentena:${l.motivo}`}`);
    expect(texto).toBe(`source,row_id,cluster_id\n${linhas.join('\n')}\n`);
    expect(esperado.length).toBeGreaterThan(50);
  });

  it.each([[[]], [['--saida']], [['--arquivo', 'x.csv']]])('usage error %j: exit 2', async (args) => {
    const r = await executar('clusters', args, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nenhum' });
    expect(r.codigo).toBe(2);
    expect(r.stderr).toContain('uso: npm run carga:clusters -- --saida ARQUIVO');
  });
});
