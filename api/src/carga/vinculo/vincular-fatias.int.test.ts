/**
 * `vinculando` decides its query rows in slices (LUM_VINCULO_FATIA, so memory does not grow with the load): the same
 * five generated sources loaded with one slice and with slices of 5 rows give identical golden records — identities,
 * records, provenance, review items, every row's assignment, score and comparisons (the golden-records checksum of
 * the kill-and-resume test).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { somaDosRegistrosDeOuro } from '../../../test/helpers/carga.js';
import { executarCarga } from '../executar-carga.js';
import { gerarDados } from '../gerador/gerador.js';

usarRelogioDosTestes();

const FONTES = fileURLToPath(new URL('../fontes/', import.meta.url));
const ARQUIVOS: [string, string][] = [['fazenda', 'fazenda.csv'], ['siga', 'siga.txt'], ['eol', 'eol.csv'], ['bdc', 'bdc.csv'], ['outros', 'outros.tsv']];
const FATIA_PEQUENA = 5;
/** One observation date per source, the same in both databases (the values' provenance carries it). */
const OBSERVADO_EM: Record<string, string> = { fazenda: '2026-11-01', siga: '2026-11-02', eol: '2026-11-03', bdc: '2026-11-04', outros: '2026-11-05' };

let inteira: TestDatabase;
let fatiada: TestDatabase;
let dir = '';
const consultas: number[] = [];

async function carregarTudo(db: TestDatabase, fatia: string | undefined): Promise<void> {
  if (fatia === undefined) delete process.env['LUM_VINCULO_FATIA'];
  else process.env['LUM_VINCULO_FATIA'] = fatia;
  try {
    for (const [fonte, arquivo] of ARQUIVOS) {
      const d = await executarCarga(db.dataSource, { fonte, arquivo: join(dir, arquivo), fontesDir: FONTES, iniciadaPor: 'teste', observadoEm: OBSERVADO_EM[fonte] });
      if (fatia !== undefined) consultas.push(d.fases.vinculando?.['consultas'] ?? 0);
    }
  } finally {
    delete process.env['LUM_VINCULO_FATIA'];
  }
}

beforeAll(async () => {
  [inteira, fatiada] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dir = await mkdtemp(join(tmpdir(), 'carga-fatias-'));
  await gerarDados({ pessoas: 500, semente: 23, saida: dir });
  await carregarTudo(inteira, undefined);
  await carregarTudo(fatiada, String(FATIA_PEQUENA));
}, 300_000);
afterAll(async () => {
  await Promise.all([inteira?.drop(), fatiada?.drop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('vinculando in slices', () => {
  it('the sliced loads really took several slices', () => {
    // At least one load had more than three slices' worth of query rows.
    expect(Math.max(...consultas)).toBeGreaterThan(3 * FATIA_PEQUENA);
  });

  it('slices of 5 rows and one slice give the same golden records, assignments, scores and review items', async () => {
    expect(await somaDosRegistrosDeOuro(fatiada.dataSource)).toEqual(await somaDosRegistrosDeOuro(inteira.dataSource));
  });
});
