/**
 * `npm run … avaliar-vinculo -- --dados DIR [--saida DIR] [--banco NOME] [--manter]` — measures the record linkage on
 * generated data (`npm run gerar-dados`): creates a scratch database `lum_dev_vinculo_*`, loads the five sources in a
 * fixed order (fazenda, eol, siga, bdc, outros: the README's recommended order) through the harness of
 * test/support/carga-avaliacao.ts (stage → particionar → interim fundir → vincular → register), exports the clusters, scores them against `DIR/verdade.csv`
 * and prints the score and each phase's counts and time as JSON. The database is dropped at the end unless --manter.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { lerClusters, lerVerdade, pontuar } from '../../api/src/carga/pontuacao.js';
import { particionar } from '../../api/src/carga/vinculo/particionar.js';
import { vincular } from '../../api/src/carga/vinculo/vincular.js';
import { criarDataSource } from '../../api/src/db/data-source.js';
import { executarMigracoes } from '../../api/src/db/migracoes.js';
import { ARQUIVOS, encenarFonte, executarFase, exportarClusters, fundirInterino, ORDEM_FONTES, registrarInterino } from '../../test/support/carga-avaliacao.js';
import { executarCli } from './executar.js';

const USO = 'uso: avaliar-vinculo --dados DIR [--saida DIR] [--banco lum_dev_vinculo_NOME] [--manter]';

async function main(): Promise<number> {
  let v: { dados?: string; saida?: string; banco?: string; manter?: boolean };
  try {
    v = parseArgs({ options: { dados: { type: 'string' }, saida: { type: 'string' }, banco: { type: 'string' }, manter: { type: 'boolean' } }, strict: true }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  if (!v.dados) {
    process.stderr.write(`${USO}\n`);
    return 2;
  }
  const banco = v.banco ?? `lum_dev_vinculo_${randomBytes(4).toString('hex')}`;
  if (!/^lum_dev_vinculo_[a-z0-9_]+$/.test(banco)) throw new Error('o banco deve se chamar lum_dev_vinculo_*');
  const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const url = new URL(admin.toString());
  url.pathname = `/${banco}`;
  const adm = new pg.Client({ connectionString: admin.toString() });
  await adm.connect();
  await adm.query(`DROP DATABASE IF EXISTS ${banco} WITH (FORCE)`);
  await adm.query(`CREATE DATABASE ${banco}`);
  const ds = criarDataSource({ url: url.toString(), poolMax: 1, applicationName: 'lum-avaliar-vinculo' });
  await ds.initialize();
  await executarMigracoes(ds);
  await ds.destroy();
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2, application_name: 'lum-avaliar-vinculo' });
  pool.on('error', () => undefined);
  const saida = v.saida ?? v.dados;
  await mkdir(saida, { recursive: true });
  const relatorio: Record<string, unknown> = { banco, cargas: {} };
  try {
    for (const fonte of ORDEM_FONTES) {
      const t = Date.now();
      const { carga, linhas } = await encenarFonte(pool, 'api/src/carga/fontes', fonte, join(v.dados, ARQUIVOS[fonte]));
      const msEncenar = Date.now() - t;
      const log = (s: string) => process.stderr.write(`${new Date().toISOString()} ${fonte} ${s}\n`);
      log(`encenadas ${linhas} linhas em ${msEncenar} ms`);
      const p = await executarFase(pool, particionar, carga);
      log(`particionar ${JSON.stringify(p)}`);
      const f = await executarFase(pool, fundirInterino, carga);
      log(`fundir ${JSON.stringify(f)}`);
      const vi = await executarFase(pool, vincular, carga);
      log(`vincular ${JSON.stringify(vi)}`);
      const r = await executarFase(pool, registrarInterino, carga);
      await pool.query('ANALYZE linha_carga');
      await pool.query('ANALYZE identidade');
      const item = { linhas, msEncenar, particionar: { ms: p.ms, ...p.contagem }, fundir: { ms: f.ms, ...f.contagem }, vincular: { ms: vi.ms, ...vi.contagem }, registrar: { ms: r.ms } };
      (relatorio['cargas'] as Record<string, unknown>)[fonte] = item;
      process.stderr.write(`${fonte}: ${JSON.stringify(item)}\n`);
    }
    const clusters = join(saida, 'clusters.csv');
    await exportarClusters(pool, clusters);
    const pont = await pontuar(lerVerdade(join(v.dados, 'verdade.csv')), lerClusters(clusters));
    relatorio['pontuacao'] = pont;
    await writeFile(join(saida, 'avaliacao.json'), JSON.stringify(relatorio, null, 2));
    process.stdout.write(`${JSON.stringify(relatorio, null, 2)}\n`);
  } finally {
    await pool.end();
    if (!v.manter) await adm.query(`DROP DATABASE IF EXISTS ${banco} WITH (FORCE)`);
    await adm.end();
  }
  return 0;
}

executarCli(main);
