/**
 * Two identities an open linkage review item already asks about are not each other's competitor (`decidir`,
 * `emRevisao`), through the whole load on real PostgreSQL, on hand-written rows over three loads:
 *
 * - LUANA, without CPF, with her phone (load a): a new `pendente`. Her row without CPF with her mother, day and month
 *   of her birth swapped (load b): nothing corroborates it against the first, a review item (grey band) and a
 *   `pendente` of its own. Her row with both her mother and her phone (load c) matches both identities, within the
 *   margin of each other: it links to the better one, says which it passed over, and the review item stays open.
 *   Before this rule it was torn between the two — a third identity and a second review item for one person.
 * - GISELE: the same rows, but a steward answered the review item "pessoas-diferentes": her third row is torn between
 *   the two identities (a review item), as before the rule.
 *
 * 2,400 filler persons with their CPF give the base the size of a real one for the model (as guardas.int.test.ts).
 * The mothers' names are written with the fillers' words (a parent's name weighs by how common it is, `pesoGenitor`):
 * the mother then weighs about what the phone does, so the third row's two candidates are within the margin.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CABECALHO, FILLERS, filler, mapeamentoDeTeste } from '../../../../test/support/carga-preenchimento.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { cpfAleatorio } from '../../../test/helpers/cpfs.js';
import { executarCarga } from '../executar-carga.js';
import { resolverRevisaoVinculo } from '../gestao/identidades.service.js';

usarRelogioDosTestes();

let db: TestDatabase;
let dir = '';
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);
interface Linha { identidade: string; vinculo: string; pontuacao: number; comparacoes: Record<string, unknown> }
const linha = async (fonte: string, chave: string) =>
  (await q<Linha>(`SELECT identidade_id::text AS identidade, vinculo, pontuacao, comparacoes FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [fonte, chave]))[0];
const carregar = (fonte: string, arquivo: string) =>
  executarCarga(db.dataSource, { fonte, arquivo: join(dir, arquivo), fontesDir: dir, iniciadaPor: 'teste' }, { linhasPorLote: 1000 });
const abertos = (chave: string) => q<{ candidata: string; motivo: string }>(
  `SELECT identidade_candidata::text AS candidata, comparacoes->>'motivo' AS motivo FROM revisao_vinculo WHERE chave_fonte = $1 AND situacao = 'aberta'`, [chave]);

/** The margin between two candidates below which a row is torn (`MARGEM_BITS`, the documented 10 bits). */
const MARGEM = 10;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-revisao-aberta-'));
  for (const f of ['ra-a', 'ra-b', 'ra-c']) await writeFile(join(dir, `${f}.yaml`), mapeamentoDeTeste(f, 'Fonte escrita à mão para os testes de revisões em aberto'));
  await writeFile(join(dir, 'a.csv'), `${[
    CABECALHO,
    ...Array.from({ length: FILLERS }, (_, i) => filler(i, cpfAleatorio())),
    'A-LUANA;;LUANA PIRES BASTOS;12/10/1994;F;;;11911112222;SAO PAULO',
    'A-GISELE;;GISELE PRADO NUNES;11/09/1987;F;;;11933334444;SAO PAULO',
  ].join('\n')}\n`);
  await writeFile(join(dir, 'b.csv'), `${[
    CABECALHO,
    'B-LUANA;;LUANA PIRES BASTOS;10/12/1994;F;ALINE LOPES PIRES;;;SAO PAULO',
    'B-GISELE;;GISELE PRADO NUNES;09/11/1987;F;SANDRA COSTA PRADO;;;SAO PAULO',
  ].join('\n')}\n`);
  await writeFile(join(dir, 'c.csv'), `${[
    CABECALHO,
    'C-LUANA;;LUANA PIRES BASTOS;12/10/1994;F;ALINE LOPES PIRES;;11911112222;SAO PAULO',
    'C-GISELE;;GISELE PRADO NUNES;11/09/1987;F;SANDRA COSTA PRADO;;11933334444;SAO PAULO',
  ].join('\n')}\n`);
  await carregar('ra-a', 'a.csv');
  await carregar('ra-b', 'b.csv');
  const [gisele] = await q<{ id: string }>(`SELECT id::text FROM revisao_vinculo WHERE chave_fonte = 'B-GISELE' AND situacao = 'aberta'`);
  await resolverRevisaoVinculo(db.dataSource, gisele.id, { resolucao: 'pessoas-diferentes', justificativa: 'Mães diferentes na certidão.' },
    { ator: 'gestora.ana', username: 'gestora.ana', cliente: null, finalidade: null });
  await carregar('ra-c', 'c.csv');
}, 240_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('a row matching both identities of an open review item', () => {
  it('LUANA: her second row went to review against her first, with an identity of its own', async () => {
    const a = await linha('ra-a', 'A-LUANA');
    const b = await linha('ra-b', 'B-LUANA');
    expect([a.vinculo, b.vinculo, b.comparacoes['motivo']]).toEqual(['novo', 'revisao', 'faixa-cinza']);
    expect(b.identidade).not.toBe(a.identidade);
    expect(await abertos('B-LUANA')).toEqual([{ candidata: a.identidade, motivo: 'faixa-cinza' }]);
  });

  it('LUANA: her third row links to the better of the two, naming the other it passed over within the margin', async () => {
    const a = await linha('ra-a', 'A-LUANA');
    const b = await linha('ra-b', 'B-LUANA');
    const c = await linha('ra-c', 'C-LUANA');
    const passada = c.comparacoes['segundaEmRevisao'] as { identidade: string; pontuacao: number };
    expect(c.vinculo).toBe('probabilistico');
    expect([c.identidade, passada.identidade].sort()).toEqual([a.identidade, b.identidade].sort());
    expect(c.pontuacao - passada.pontuacao).toBeGreaterThanOrEqual(0);
    expect(c.pontuacao - passada.pontuacao).toBeLessThan(MARGEM);
    expect(c.comparacoes['segunda']).toBeNull();
  });

  it('LUANA: the review item stays open for the steward, and no other was opened', async () => {
    const a = await linha('ra-a', 'A-LUANA');
    expect(await abertos('B-LUANA')).toEqual([{ candidata: a.identidade, motivo: 'faixa-cinza' }]);
    expect(await abertos('C-LUANA')).toEqual([]);
  });

  it('GISELE: after a steward\'s "pessoas-diferentes" the two identities compete again — her third row is torn', async () => {
    const a = await linha('ra-a', 'A-GISELE');
    const b = await linha('ra-b', 'B-GISELE');
    const c = await linha('ra-c', 'C-GISELE');
    expect([c.vinculo, c.comparacoes['motivo']]).toEqual(['revisao', 'ambiguo']);
    expect(c.comparacoes['segundaEmRevisao']).toBeUndefined();
    expect([c.comparacoes['candidata'], (c.comparacoes['segunda'] as { identidade: string }).identidade].sort()).toEqual([a.identidade, b.identidade].sort());
  });

  it('the phase counts the links', async () => {
    const [d] = await q<{ f: Record<string, number> }>(`SELECT diagnostico->'fases'->'vinculando' AS f FROM carga WHERE fonte = 'ra-c'`);
    expect(d.f['vinculadosComRevisaoAberta']).toBe(1);
  });
});
