/**
 * Measures the merge phase (`fundir`) alone on generated data:
 *
 *   npm run gerar-dados -- --pessoas 300000 --semente 1 --saida /tmp/fusao-dados
 *   npx tsc -p tsconfig.build.json && node dist/scripts/carga/medir-fusao.js --dados /tmp/fusao-dados [--fontes fazenda,siga,eol,bdc,outros] [--manter]
 *
 * Creates a scratch database `lum_dev_fusao_<random>` (migrated; dropped at the end unless --manter), then for each
 * source in order (`--lote`: rows per batch of the phase, default 5000): reads its file through its mapping (`lerFonte`), COPYs the rows into `carga_staging` (not timed
 * as part of the merge), and runs `fundir` in one transaction (BEGIN … COMMIT, timed). The partition phase does not
 * run: a child's row carrying its mother's CPF is merged as if it were hers (the work is the same). Prints JSON: rows
 * and seconds per source, Base Única rows merged per second, the phase's counts and the peak RSS.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { copiar, TextoCopia } from '../../api/src/carga/copiar.js';
import { criarFundir } from '../../api/src/carga/fundir.js';
import { FONTES_GERADAS, LAYOUTS, type FonteGerada } from '../../api/src/carga/gerador/layouts.js';
import { lerFonte } from '../../api/src/carga/ler-fonte.js';
import { carregarMapeamento } from '../../api/src/carga/mapeamento.js';
import { criarDataSource } from '../../api/src/db/data-source.js';
import { executarMigracoes, garantirBancoExiste } from '../../api/src/db/migracoes.js';
import { executarCli } from './executar.js';

const USO = 'uso: node dist/scripts/carga/medir-fusao.js --dados DIR [--fontes fazenda,siga,eol,bdc,outros] [--lote N] [--manter]';
const COLUNAS = ['carga_id', 'chave_fonte', 'linha', 'hash', 'triagem', 'motivo', 'cpf', 'nome', 'nome_mae', 'nome_pai', 'cpf_mae', 'cpf_pai', 'data_nascimento',
  'data_obito', 'sexo', 'obito', 'email', 'telefone'];

/** CPU seconds (user + system) a local process has used, from /proc (the server's backend runs on this machine). */
async function cpuDoProcesso(pid: number): Promise<number> {
  const campos = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(campos[11]) + Number(campos[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function main(): Promise<number> {
  let v: { dados?: string; fontes?: string; lote?: string; manter?: boolean };
  try {
    v = parseArgs({ options: { dados: { type: 'string' }, fontes: { type: 'string' }, lote: { type: 'string' }, manter: { type: 'boolean' } }, strict: true }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  const fontes = (v.fontes ?? FONTES_GERADAS.join(',')).split(',') as FonteGerada[];
  const lote = v.lote === undefined ? undefined : Number(v.lote);
  if (!v.dados || fontes.some((f) => !FONTES_GERADAS.includes(f)) || (lote !== undefined && !(Number.isInteger(lote) && lote > 0))) {
    process.stderr.write(`${USO}\n`);
    return 2;
  }
  const fundir = criarFundir({ lote });
  const admin = new URL(process.env['TEST_DATABASE_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const nome = `lum_dev_fusao_${randomBytes(4).toString('hex')}`;
  const url = new URL(admin.toString());
  url.pathname = `/${nome}`;
  await garantirBancoExiste(url.toString());
  const ds = criarDataSource({ url: url.toString(), poolMax: 1, applicationName: 'medir-fusao' });
  await ds.initialize();
  await executarMigracoes(ds);
  await ds.destroy();

  const cliente = new pg.Client({ connectionString: url.toString(), application_name: 'medir-fusao' });
  await cliente.connect();
  const { rows: [{ pid }] } = await cliente.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
  const resultados: Record<string, unknown>[] = [];
  try {
    for (const fonte of fontes) {
      const mapa = await carregarMapeamento(join('api/src/carga/fontes', `${fonte}.yaml`));
      const observadoEm = new Date(Date.UTC(2026, 0, 1 + resultados.length)).toISOString();
      const { rows } = await cliente.query<{ id: string }>(
        `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, fase, observado_em, iniciada_por)
         VALUES ($1, $2, $3, $4, $5, $6, 0, 'fundindo', $7, 'medir-fusao') RETURNING id::text AS id`,
        [fonte, mapa.pmcc, mapa.cmbd.sigla, mapa.cmbd.fonteCarga, LAYOUTS[fonte].arquivo, randomBytes(32).toString('hex'), observadoEm],
      );
      const id = rows[0].id;

      const t0 = process.hrtime.bigint();
      let lidas = 0;
      let buffer = new TextoCopia();
      for await (const r of lerFonte(mapa, join(v.dados, LAYOUTS[fonte].arquivo))) {
        lidas += 1;
        if (r.chave === null) continue;
        const t = r.triagem;
        buffer.adicionar([
          id, r.chave, r.linha, `${fonte}:${r.linha}`, t.categoria, t.categoria === 'cpf-invalido' ? t.motivo : null, t.categoria === 'base-unica' ? t.cpf : null,
          r.nome, r.nomeMae, r.nomePai, r.cpfMae, r.cpfPai, r.dataNascimento, r.dataObito, r.sexo, r.obito, r.email, r.telefone,
        ]);
        if (buffer.linhas >= 20_000) {
          await copiar(cliente as unknown as pg.PoolClient, 'carga_staging', COLUNAS, buffer);
          buffer = new TextoCopia();
        }
      }
      await copiar(cliente as unknown as pg.PoolClient, 'carga_staging', COLUNAS, buffer);
      const t1 = process.hrtime.bigint();

      const cpu0 = { node: process.cpuUsage(), pg: await cpuDoProcesso(pid) };
      await cliente.query('BEGIN');
      const n = await fundir(cliente as unknown as pg.PoolClient, { id, mapa, fontePmcc: mapa.pmcc, observadoEm, iniciadaPor: 'medir-fusao' });
      await cliente.query('COMMIT');
      const t2 = process.hrtime.bigint();
      const cpuNode = process.cpuUsage(cpu0.node);
      const cpuPg = (await cpuDoProcesso(pid)) - cpu0.pg;
      await cliente.query(`DELETE FROM carga_staging WHERE carga_id = $1`, [id]);

      const segundos = Number(t2 - t1) / 1e9;
      resultados.push({
        fonte, linhasLidas: lidas, segundosLeituraEncenacao: Math.round(Number(t1 - t0) / 1e7) / 100, segundosFundir: Math.round(segundos * 100) / 100,
        linhasBaseUnicaPorSegundo: Math.round(n['linhas'] / segundos),
        // CPU used by each side: on a busy machine the wall time says more about the neighbours than about the phase.
        cpuNodeSegundos: Math.round((cpuNode.user + cpuNode.system) / 1e4) / 100, cpuPostgresSegundos: Math.round(cpuPg * 100) / 100, ...n,
      });
      process.stderr.write(`${JSON.stringify(resultados[resultados.length - 1])}\n`);
    }
    const [{ tamanho }] = (await cliente.query<{ tamanho: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS tamanho`)).rows;
    const total = resultados.reduce((s, r) => s + (r['linhas'] as number), 0);
    const seg = resultados.reduce((s, r) => s + (r['segundosFundir'] as number), 0);
    const cpuNodeTotal = resultados.reduce((s, r) => s + (r['cpuNodeSegundos'] as number), 0);
    const cpuPgTotal = resultados.reduce((s, r) => s + (r['cpuPostgresSegundos'] as number), 0);
    process.stdout.write(`${JSON.stringify({
      banco: nome, fontes: resultados, linhasBaseUnica: total, segundosFundir: Math.round(seg * 100) / 100, linhasBaseUnicaPorSegundo: Math.round(total / seg),
      cpuNodeSegundos: Math.round(cpuNodeTotal * 100) / 100, cpuPostgresSegundos: Math.round(cpuPgTotal * 100) / 100,
      cargaDaMaquina: (await readFile('/proc/loadavg', 'utf8')).trim(),
      tamanhoDoBanco: tamanho, picoRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }, null, 2)}\n`);
  } finally {
    await cliente.end();
    if (!v.manter) {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${nome}" WITH (FORCE)`);
      await c.end();
    }
  }
  return 0;
}

executarCli(main);
