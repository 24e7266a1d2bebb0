/**
 * `npm run carga:clusters -- --saida ARQUIVO` — writes `source,row_id,cluster_id` (with that header) for every loaded
 * row (api/src/carga/clusters.ts), in constant memory. Written to `ARQUIVO.parcial` and renamed when complete, so an
 * interrupted export never leaves a truncated file under the final name.
 * Database: DATABASE_URL, as the API. Exit codes: 0 written; 1 failed; 2 usage.
 */
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exportarClusters } from '../../api/src/carga/clusters.js';
import { loadConfig } from '../../api/src/config.js';
import { criarDataSource } from '../../api/src/db/data-source.js';
import { executarCli } from './executar.js';

const USO = 'uso: npm run carga:clusters -- --saida ARQUIVO';

async function main(): Promise<number> {
  let saida: string | undefined;
  try {
    saida = parseArgs({ options: { saida: { type: 'string' } }, strict: true }).values.saida;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USO}\n`);
    return 2;
  }
  if (!saida) {
    process.stderr.write(`informe --saida\n${USO}\n`);
    return 2;
  }
  const config = loadConfig();
  const ds = criarDataSource({ url: config.databaseUrl, poolMax: 1, applicationName: 'lum-carga-clusters' });
  await ds.initialize();
  const parcial = `${saida}.parcial`;
  try {
    const linhas = await exportarClusters(ds, createWriteStream(parcial));
    await rename(parcial, saida);
    process.stderr.write(`${linhas.toLocaleString('pt-BR')} linhas em ${saida}\n`);
    return 0;
  } catch (e) {
    await rm(parcial, { force: true });
    throw e;
  } finally {
    await ds.destroy();
  }
}

executarCli(main);
