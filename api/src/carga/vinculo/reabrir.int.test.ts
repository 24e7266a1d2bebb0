/**
 * An earlier load's `pendente` looked at again when a later load brings its person's CPF with more to say
 * (`reabrir.ts`), through the whole load on real PostgreSQL, on hand-written rows over three loads:
 *
 * - ROSANA, without CPF but with her mother: a new `pendente` (load a). Her CPF arrives with nothing but her name and
 *   birth date (load b): it does not adopt her (not corroborated). Her CPF again, now with her mother (load c): the
 *   pendente is merged into her CPF's identity, and her row says why.
 * - CARLA has her CPF, name and birth date only (load a); her row without CPF but with her mother, day and month of
 *   her birth swapped, goes to review against her (load b: nothing corroborates); her CPF with her mother (load c) merges the
 *   pendente and resolves the review item, by the load.
 * - ELISA: the same as CARLA, but a steward answered the review item "pessoas-diferentes": load c leaves it alone.
 * - BRUNO, without CPF (load a); his twin BRENO's CPF with the same mother, birthday and phone (load c): twins, never
 *   merged.
 * - FLAVIA has her CPF under her married name, her mother and her phone (load a); her row without CPF under her maiden
 *   name, her mother's name with a typo, day and month swapped (load b): a pendente. Load c brings no CPF of hers, only a row with her CPF
 *   mistyped, her maiden name and her phone, linked to her golden id by its attributes: that row is the new evidence
 *   (her maiden name now in the golden id), and the pendente is merged.
 * - DENISE, without CPF but with her mother (load a); another DENISE's CPF, same name and birthday, another mother
 *   (load c): homonyms. Nothing of the new CPF's identity corroborates her row, so she is not even decided again.
 *
 * 2,400 filler persons with their CPF give the base the size of a real one for the model (as guardas.int.test.ts).
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
const linha = async (fonte: string, chave: string) =>
  (await q<{ identidade: string; vinculo: string; motivo: string | null; reaberta: boolean | null; fundida: string | null }>(
    `SELECT identidade_id::text AS identidade, vinculo, comparacoes->>'motivo' AS motivo, (comparacoes->>'reaberta')::boolean AS reaberta,
            comparacoes->>'pendenteFundida' AS fundida
       FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [fonte, chave]))[0];
const situacao = async (id: string) => (await q<{ situacao: string; fundida_em: string | null }>(`SELECT situacao, fundida_em::text FROM identidade WHERE id = $1`, [id]))[0];
const carregar = (fonte: string, arquivo: string) =>
  executarCarga(db.dataSource, { fonte, arquivo: join(dir, arquivo), fontesDir: dir, iniciadaPor: 'teste' }, { linhasPorLote: 1000 });

const CPF_ROSANA = cpfAleatorio();
const CPF_CARLA = cpfAleatorio();
const CPF_ELISA = cpfAleatorio();
const CPF_BRENO = cpfAleatorio();
const CPF_FLAVIA = cpfAleatorio();
/** FLAVIA's CPF with its last check digit mistyped: quarantined as a CPF, compared as her CPF's digits. */
const CPF_FLAVIA_ERRADO = `${CPF_FLAVIA.slice(0, 10)}${(Number(CPF_FLAVIA[10]) + 1) % 10}`;
/** State after load b, before load c. */
const antes: Record<string, { identidade: string; vinculo: string; motivo: string | null }> = {};
let itensAbertosAntes: { chave_fonte: string; candidata: string }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-reabrir-'));
  for (const f of ['reabre-a', 'reabre-b', 'reabre-c']) await writeFile(join(dir, `${f}.yaml`), mapeamentoDeTeste(f, 'Fonte escrita à mão para os testes da reabertura de pendentes'));
  await writeFile(join(dir, 'a.csv'), `${[
    CABECALHO,
    ...Array.from({ length: FILLERS }, (_, i) => filler(i, cpfAleatorio())),
    'A-ROSANA;;ROSANA MELO CAVALCANTE;14/02/1978;F;IRENE MELO PORTO;;;SAO PAULO',
    `A-CARLA;${CPF_CARLA};CARLA MENDES ROCHA;08/03/1988;F;;;;SAO PAULO`,
    `A-ELISA;${CPF_ELISA};ELISA NOGUEIRA PRADO;11/05/1965;F;;;;SAO PAULO`,
    'A-BRUNO;;BRUNO TAVARES LEAL;05/06/2010;M;CELIA TAVARES LEAL;;11988776655;SAO PAULO',
    'A-DENISE;;DENISE ARAUJO LIMA;22/09/1991;F;JUREMA ARAUJO LIMA;;;SAO PAULO',
    `A-FLAVIA;${CPF_FLAVIA};FLAVIA RAMOS;09/05/1956;F;DEBORA CARLA PINTO;;11974988597;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'b.csv'), `${[
    CABECALHO,
    `B-ROSANA;${CPF_ROSANA};ROSANA MELO CAVALCANTE;14/02/1978;F;;;;SAO PAULO`,
    'B-CARLA;;CARLA MENDES ROCHA;03/08/1988;F;VERA LUCIA MENDES;;;SAO PAULO',
    'B-ELISA;;ELISA NOGUEIRA PRADO;05/11/1965;F;TEREZA NOGUEIRA;;;SAO PAULO',
    'B-FLAVIA;;FLAVIA CONCEICAO;05/09/1956;F;DEORA CARLA PINTO;;;SAO PAULO',
  ].join('\n')}\n`);
  await writeFile(join(dir, 'c.csv'), `${[
    CABECALHO,
    `C-ROSANA;${CPF_ROSANA};ROSANA MELO CAVALCANTE;14/02/1978;F;IRENE MELO PORTO;;;SAO PAULO`,
    `C-CARLA;${CPF_CARLA};CARLA MENDES ROCHA;08/03/1988;F;VERA LUCIA MENDES;;;SAO PAULO`,
    `C-ELISA;${CPF_ELISA};ELISA NOGUEIRA PRADO;11/05/1965;F;TEREZA NOGUEIRA;;;SAO PAULO`,
    `C-BRENO;${CPF_BRENO};BRENO TAVARES LEAL;05/06/2010;M;CELIA TAVARES LEAL;;11988776655;SAO PAULO`,
    `C-DENISE;${cpfAleatorio()};DENISE ARAUJO LIMA;22/09/1991;F;SOLANGE PEREIRA DA SILVA;;;SAO PAULO`,
    `C-FLAVIA;${CPF_FLAVIA_ERRADO};FLAVIA RAMOS CONCEICAO;09/05/1956;F;DEBORA CARLA PINTO;;11974988597;SAO PAULO`,
  ].join('\n')}\n`);
  await carregar('reabre-a', 'a.csv');
  await carregar('reabre-b', 'b.csv');
  for (const [f, k] of [['reabre-a', 'A-ROSANA'], ['reabre-b', 'B-ROSANA'], ['reabre-b', 'B-CARLA'], ['reabre-b', 'B-ELISA'], ['reabre-a', 'A-BRUNO'], ['reabre-a', 'A-DENISE'], ['reabre-b', 'B-FLAVIA']] as const) {
    antes[k] = await linha(f, k);
  }
  itensAbertosAntes = await q(`SELECT chave_fonte, identidade_candidata::text AS candidata FROM revisao_vinculo WHERE situacao = 'aberta' ORDER BY chave_fonte`);
  const [elisa] = await q<{ id: string }>(`SELECT id::text FROM revisao_vinculo WHERE chave_fonte = 'B-ELISA' AND situacao = 'aberta'`);
  await resolverRevisaoVinculo(db.dataSource, elisa.id, { resolucao: 'pessoas-diferentes', justificativa: 'A mãe registrada não confere com a certidão.' },
    { ator: 'gestora.ana', username: 'gestora.ana', cliente: null, finalidade: null });
  await carregar('reabre-c', 'c.csv');
}, 240_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('before the load that says more', () => {
  it('ROSANA\'s first CPF row (name and birth date only) did not adopt her pendente; CARLA\'s, ELISA\'s and FLAVIA\'s rows went to review', async () => {
    const [rosanaCpf] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_ROSANA]);
    expect(antes['A-ROSANA']).toMatchObject({ vinculo: 'novo' });
    expect(antes['B-ROSANA']).toEqual({ identidade: rosanaCpf.id, vinculo: 'cpf', motivo: null, reaberta: null, fundida: null });
    expect(antes['B-CARLA']).toMatchObject({ vinculo: 'revisao', motivo: 'faixa-cinza' });
    expect(antes['B-ELISA']).toMatchObject({ vinculo: 'revisao', motivo: 'faixa-cinza' });
    const [carla] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_CARLA]);
    const [elisa] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_ELISA]);
    const [flavia] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_FLAVIA]);
    expect(itensAbertosAntes).toEqual([{ chave_fonte: 'B-CARLA', candidata: carla.id }, { chave_fonte: 'B-ELISA', candidata: elisa.id }, { chave_fonte: 'B-FLAVIA', candidata: flavia.id }]);
  });
});

describe('a pendente merged into the identity of the CPF that corroborates it', () => {
  it('ROSANA: her pendente is merged into her CPF\'s identity and her row says why', async () => {
    const [rosana] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_ROSANA]);
    expect(await situacao(antes['A-ROSANA'].identidade)).toEqual({ situacao: 'fundida', fundida_em: rosana.id });
    expect(await linha('reabre-a', 'A-ROSANA')).toEqual({ identidade: rosana.id, vinculo: 'probabilistico', motivo: null, reaberta: true, fundida: antes['A-ROSANA'].identidade });
    expect((await linha('reabre-c', 'C-ROSANA')).identidade).toBe(rosana.id);
  });

  it('CARLA: her pendente is merged and its review item resolved by the load', async () => {
    const [carla] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_CARLA]);
    expect(await linha('reabre-b', 'B-CARLA')).toMatchObject({ identidade: carla.id, vinculo: 'probabilistico', reaberta: true });
    expect(await situacao(antes['B-CARLA'].identidade)).toEqual({ situacao: 'fundida', fundida_em: carla.id });
    const [c] = await q<{ id: string }>(`SELECT id::text FROM carga WHERE fonte = 'reabre-c'`);
    expect(await q(`SELECT situacao, resolucao, responsavel FROM revisao_vinculo WHERE chave_fonte = 'B-CARLA'`))
      .toEqual([{ situacao: 'resolvida', resolucao: 'mesma-pessoa', responsavel: `carga:reabre-c:${c.id}` }]);
  });

  it('FLAVIA: a row linked by its attributes (no CPF of hers in the load) is the new evidence that merges her pendente', async () => {
    const [flavia] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_FLAVIA]);
    expect(antes['B-FLAVIA'].identidade).not.toBe(flavia.id);
    expect(await linha('reabre-c', 'C-FLAVIA')).toMatchObject({ identidade: flavia.id, vinculo: 'probabilistico' });
    expect(await situacao(antes['B-FLAVIA'].identidade)).toEqual({ situacao: 'fundida', fundida_em: flavia.id });
    expect(await linha('reabre-b', 'B-FLAVIA')).toEqual({ identidade: flavia.id, vinculo: 'probabilistico', motivo: null, reaberta: true, fundida: antes['B-FLAVIA'].identidade });
    expect(await q(`SELECT situacao, resolucao FROM revisao_vinculo WHERE chave_fonte = 'B-FLAVIA'`)).toEqual([{ situacao: 'resolvida', resolucao: 'mesma-pessoa' }]);
  });

  it('the phase counts what it did', async () => {
    const [d] = await q<{ f: Record<string, number> }>(`SELECT diagnostico->'fases'->'vinculando' AS f FROM carga WHERE fonte = 'reabre-c'`);
    // Looked at again: ROSANA's, CARLA's, FLAVIA's and BRUNO's pendentes (a row of the new row's golden id corroborates
    // each); DENISE's is not (her homonym's mother is another woman); ELISA's is a steward's.
    expect(d.f).toMatchObject({ pendentesSemCorroboracao: 1, pendentesReexaminadas: 4, pendentesFundidas: 3, linhasMovidas: 3, revisoesResolvidas: 2 });
  });
});

describe('what is never merged', () => {
  it('ELISA: a steward said "pessoas-diferentes"; her CPF\'s corroborating row leaves the pendente alone', async () => {
    const [elisa] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_ELISA]);
    const agora = await linha('reabre-b', 'B-ELISA');
    expect(agora.identidade).not.toBe(elisa.id);
    expect(await situacao(agora.identidade)).toEqual({ situacao: 'pendente', fundida_em: null });
  });

  it('BRUNO: his twin BRENO\'s CPF (same mother, birthday and phone) does not take his pendente', async () => {
    const [breno] = await q<{ id: string }>(`SELECT id::text FROM identidade WHERE cpf = $1`, [CPF_BRENO]);
    expect(await linha('reabre-a', 'A-BRUNO')).toEqual(antes['A-BRUNO']);
    expect(antes['A-BRUNO'].identidade).not.toBe(breno.id);
    expect(await situacao(antes['A-BRUNO'].identidade)).toEqual({ situacao: 'pendente', fundida_em: null });
  });

  it('DENISE: her homonym\'s CPF (same name and birthday, another mother) leaves her pendente as it was', async () => {
    expect(antes['A-DENISE']).toMatchObject({ vinculo: 'novo' });
    expect(await linha('reabre-a', 'A-DENISE')).toEqual(antes['A-DENISE']);
    expect(await situacao(antes['A-DENISE'].identidade)).toEqual({ situacao: 'pendente', fundida_em: null });
  });
});
