/**
 * The linkage model is estimated once per load and stored (`carga.modelo_vinculo`, `modeloDaCarga`): sound only if
 * nothing between `particionando` and `vinculando` changes what `estimarModelo` reads. Checked here on generated
 * sources against a real PostgreSQL: the model estimated from another connection on the state committed by
 * `particionando` and on the state committed by `fundindo` are the same, and equal to the one the load stored.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { executarCarga } from '../executar-carga.js';
import { gerarDados } from '../gerador/gerador.js';
import { estimarModelo, modeloDaCarga } from './estimar.js';
import type { Modelo, TfNomes } from './modelo.js';

usarRelogioDosTestes();

const FONTES = fileURLToPath(new URL('../fontes/', import.meta.url));
const ANTES: [string, string][] = [['fazenda', 'fazenda.csv'], ['eol', 'eol.csv']];

let db: TestDatabase;
let pool: pg.Pool;
let dir = '';

/** A model as plain data (maps as sorted entries), for deep comparison. */
const nomes = (t: TfNomes) => ({ prenome: [...t.prenome].sort(), sobrenome: [...t.sobrenome].sort(), minimo: t.minimo });
const plano = (m: Modelo) => ({
  ...m, tfPrenome: [...m.tfPrenome].sort(), tfMunicipio: [...m.tfMunicipio].sort(),
  tfGenitores: m.tfGenitores && { mae: nomes(m.tfGenitores.mae), pai: nomes(m.tfGenitores.pai) },
});

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  dir = await mkdtemp(join(tmpdir(), 'carga-modelo-'));
  await gerarDados({ pessoas: 400, semente: 31, saida: dir });
  for (const [fonte, arquivo] of ANTES) {
    await executarCarga(db.dataSource, { fonte, arquivo: join(dir, arquivo), fontesDir: FONTES, iniciadaPor: 'teste', observadoEm: '2026-11-01' });
  }
}, 300_000);
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the linkage model of a load', () => {
  it('is the same estimated after particionando and after fundindo, and is the one the load stored', async () => {
    let cargaId = '';
    const estimados = new Map<string, Modelo>();
    const estimar = async (rotulo: string) => {
      const c = await pool.connect();
      try {
        estimados.set(rotulo, await estimarModelo(c, cargaId, 'siga'));
      } finally {
        c.release();
      }
    };
    await executarCarga(db.dataSource, {
      fonte: 'siga', arquivo: join(dir, 'siga.txt'), fontesDir: FONTES, iniciadaPor: 'teste', observadoEm: '2026-11-02',
    }, {
      aoIniciar: (i) => { cargaId = i.cargaId; },
      // Each phase's callback runs inside its transaction: another connection sees the previous phase's commit.
      aoPonto: async (p) => {
        if (p === 'fundindo') await estimar('depois de particionando');
        if (p === 'vinculando') await estimar('depois de fundindo');
      },
    });
    const c = await pool.connect();
    let guardado: Modelo;
    try {
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM carga WHERE id = $1 AND modelo_vinculo IS NOT NULL`, [cargaId]);
      expect(rows[0].n).toBe(1);
      guardado = await modeloDaCarga(c, cargaId, 'siga');
    } finally {
      c.release();
    }
    const a = estimados.get('depois de particionando')!;
    const b = estimados.get('depois de fundindo')!;
    // Not a trivial comparison: the samples held CPF-labelled pairs (siga shares CPFs with fazenda and eol) and
    // random pairs.
    expect(a.origemM.pares).toBeGreaterThan(100);
    expect(a.paresU).toBeGreaterThan(1000);
    expect(a.tfPrenome.size).toBeGreaterThan(50);
    expect(a.tfGenitores?.mae.prenome.size).toBeGreaterThan(20);
    expect(plano(b)).toEqual(plano(a));
    expect(plano(guardado)).toEqual(plano(a));
  }, 300_000);
});
