/**
 * A minor registered under a guardian's CPF (issue 11, item 4: "a child's row carrying the mother's or guardian's CPF"),
 * `particionar` step 5, through whole loads on real PostgreSQL. The case no other step sees: the mother is in no source,
 * so her CPF is new to the base and nothing says the row is not its owner's — without the rule, the child's row makes
 * the mother's CPF's golden record with the child's name and birth date.
 *
 * Loads, in order (observed 2026-11-01, so "under 18" means born after 2008-11-01):
 * 1. `social` (`cpfDoResponsavel: true`): PEDRO's row with his mother's CPF, new — nothing to read it against yet (the
 *    reverse order, which this rule does not undo — step 3a does when the mother's own row comes,
 *    `responsavel-retirado.int.test.ts`);
 * 2. `escola` (no flag): 2,400 fillers; LARA (born 2016) and ROBERTO (born 1990) with their own CPFs; BIA (born 2015)
 *    with hers;
 * 3. `saude` (`cpfDoResponsavel: true`): LARA's row with her mother's CPF (new), reading exactly as her own row;
 *    ROBERTO's row with a CPF new to the base, reading exactly as his (an adult: the rule is for minors); a girl named
 *    BIA born the same day with a new CPF and another mother (a homonym, not BIA); PEDRO's row with his own CPF, reading
 *    exactly as his row of load 1 — a source that registers minors under a guardian's CPF is no proof of a person's own;
 *    twin ALICE's row with her own CPF (new), reading exactly as her twin ALICE CLARA's own row of load 2 written without
 *    CLARA, next to ALICE CLARA's row with their mother's CPF (1,000,000 generated persons, seed 29, merged such twins
 *    before the rule looked for a sibling born the same day).
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

usarRelogioDosTestes();

const OBSERVADO_EM = '2026-11-01T12:00:00-03:00';
const CPF_LARA = cpfAleatorio();
const CPF_MAE_LARA = cpfAleatorio();
const CPF_ROBERTO = cpfAleatorio();
const CPF_ROBERTO_OUTRO = cpfAleatorio();
const CPF_BIA = cpfAleatorio();
const CPF_BIA_HOMONIMA = cpfAleatorio();
const CPF_PEDRO = cpfAleatorio();
const CPF_MAE_PEDRO = cpfAleatorio();
const CPF_ALICE_CLARA = cpfAleatorio();
const CPF_ALICE = cpfAleatorio();
const CPF_MAE_ALICE = cpfAleatorio();

let db: TestDatabase;
let dir = '';
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);
const linha = async (fonte: string, chave: string) =>
  (await q<{ cpf_de_outra_pessoa: boolean; vinculo: string; identidade_id: string }>(
    `SELECT cpf_de_outra_pessoa, vinculo, identidade_id::text AS identidade_id FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [fonte, chave]))[0];
const cpfsDaIdentidade = async (id: string) => (await q<{ cpf: string | null }>(`SELECT cpf FROM identidade WHERE id = $1`, [id])).map((r) => r.cpf);
const identidadesDoCpf = async (cpf: string) => Number((await q<{ n: string }>(`SELECT count(*) AS n FROM identidade WHERE cpf = $1`, [cpf]))[0].n);
const pessoaDoCpf = async (cpf: string) => q<{ nome: string; data_nascimento: string }>(`SELECT nome, data_nascimento::text FROM pessoa WHERE cpf = $1`, [cpf]);

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-responsavel-'));
  const descricao = 'Fonte escrita à mão para os testes do CPF do responsável';
  await writeFile(join(dir, 'social.yaml'), `${mapeamentoDeTeste('social', descricao)}cpfDoResponsavel: true\n`);
  await writeFile(join(dir, 'escola.yaml'), mapeamentoDeTeste('escola', descricao));
  await writeFile(join(dir, 'saude.yaml'), `${mapeamentoDeTeste('saude', descricao)}cpfDoResponsavel: true\n`);
  await writeFile(join(dir, 'social.csv'), `${[
    CABECALHO,
    `S-PEDRO;${CPF_MAE_PEDRO};PEDRO HENRIQUE DUARTE CAMPOS;14/06/2018;M;RENATA DUARTE CAMPOS;;;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'escola.csv'), `${[
    CABECALHO,
    ...Array.from({ length: FILLERS }, (_, i) => filler(i, cpfAleatorio())),
    `E-LARA;${CPF_LARA};LARA VITORIA MENEZES QUEIROZ;23/08/2016;F;CRISTIANE MENEZES QUEIROZ;;;SAO PAULO`,
    `E-ROBERTO;${CPF_ROBERTO};ROBERTO CARLOS TAVARES BRITO;05/02/1990;M;HELENA TAVARES BRITO;;;SAO PAULO`,
    `E-BIA;${CPF_BIA};BIA SOARES MOURA;11/11/2015;F;JOANA SOARES MOURA;;;SAO PAULO`,
    `E-ALICE-CLARA;${CPF_ALICE_CLARA};ALICE RAMOS TEIXEIRA;02/04/2017;F;SONIA RAMOS TEIXEIRA;;;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'saude.csv'), `${[
    CABECALHO,
    `H-LARA;${CPF_MAE_LARA};LARA VITORIA MENEZES QUEIROZ;23/08/2016;F;CRISTIANE MENEZES QUEIROZ;;;SAO PAULO`,
    `H-ROBERTO;${CPF_ROBERTO_OUTRO};ROBERTO CARLOS TAVARES BRITO;05/02/1990;M;HELENA TAVARES BRITO;;;SAO PAULO`,
    `H-BIA;${CPF_BIA_HOMONIMA};BIA SOARES MOURA;11/11/2015;F;PATRICIA LIMA MOURA;;;SAO PAULO`,
    `H-PEDRO;${CPF_PEDRO};PEDRO HENRIQUE DUARTE CAMPOS;14/06/2018;M;RENATA DUARTE CAMPOS;;;SAO PAULO`,
    `H-ALICE;${CPF_ALICE};ALICE RAMOS TEIXEIRA;02/04/2017;F;SONIA RAMOS TEIXEIRA;;;SAO PAULO`,
    `H-ALICE-CLARA;${CPF_MAE_ALICE};ALICE CLARA RAMOS TEIXEIRA;02/04/2017;F;SONIA RAMOS TEIXEIRA;;;SAO PAULO`,
  ].join('\n')}\n`);
  for (const fonte of ['social', 'escola', 'saude']) {
    await executarCarga(db.dataSource, { fonte, arquivo: join(dir, `${fonte}.csv`), fontesDir: dir, iniciadaPor: 'teste', observadoEm: OBSERVADO_EM }, { linhasPorLote: 1000 });
  }
}, 240_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the mapping\'s flag is kept with each load', () => {
  it('social and saude register minors under a guardian\'s CPF, escola does not', async () => {
    expect(await q(`SELECT fonte, cpf_do_responsavel FROM carga ORDER BY id`)).toEqual([
      { fonte: 'social', cpf_do_responsavel: true },
      { fonte: 'escola', cpf_do_responsavel: false },
      { fonte: 'saude', cpf_do_responsavel: true },
    ]);
  });
});

describe('a minor\'s row carrying a CPF new to the base, reading exactly as her own CPF\'s row from a source that does not', () => {
  it('is set apart from that CPF and joins her own golden id', async () => {
    const propria = await linha('escola', 'E-LARA');
    expect(await cpfsDaIdentidade(propria.identidade_id)).toEqual([CPF_LARA]);
    expect(await linha('saude', 'H-LARA')).toEqual({ cpf_de_outra_pessoa: true, vinculo: 'probabilistico', identidade_id: propria.identidade_id });
  });

  it('makes no golden id nor master record for the guardian\'s CPF', async () => {
    expect(await identidadesDoCpf(CPF_MAE_LARA)).toBe(0);
    expect(await pessoaDoCpf(CPF_MAE_LARA)).toEqual([]);
  });

  it('is counted in the partition phase\'s diagnosis', async () => {
    const [{ n }] = await q<{ n: number }>(`SELECT (diagnostico->'fases'->'particionando'->>'cpfDoResponsavelDeMenor')::int AS n FROM carga WHERE fonte = 'saude'`);
    expect(n).toBe(1);
  });
});

describe('rows the rule leaves with their CPF', () => {
  it('an adult\'s row reading exactly as another CPF\'s: his CPF is his (the rule is for minors)', async () => {
    const h = await linha('saude', 'H-ROBERTO');
    expect(h.cpf_de_outra_pessoa).toBe(false);
    expect(await cpfsDaIdentidade(h.identidade_id)).toEqual([CPF_ROBERTO_OUTRO]);
  });

  it('a minor with the name and birth date of another CPF\'s child but another mother: a homonym, her CPF is hers', async () => {
    const h = await linha('saude', 'H-BIA');
    expect(h.cpf_de_outra_pessoa).toBe(false);
    expect(await cpfsDaIdentidade(h.identidade_id)).toEqual([CPF_BIA_HOMONIMA]);
    expect(await pessoaDoCpf(CPF_BIA_HOMONIMA)).toEqual([{ nome: 'BIA SOARES MOURA', data_nascimento: '2015-11-11' }]);
  });

  it('a minor\'s own CPF reading as a row another guardian-CPF source placed: not taken for a guardian\'s', async () => {
    const h = await linha('saude', 'H-PEDRO');
    expect(h.cpf_de_outra_pessoa).toBe(false);
    expect(await cpfsDaIdentidade(h.identidade_id)).toEqual([CPF_PEDRO]);
    // The earlier row with his mother's CPF stays where its load put it (loads never move loaded rows).
    const antes = await linha('social', 'S-PEDRO');
    expect(await cpfsDaIdentidade(antes.identidade_id)).toEqual([CPF_MAE_PEDRO]);
  });

  it('a twin\'s own CPF reading as her sister\'s row written without a given name, the sister\'s row in the same load: her CPF is hers', async () => {
    const irma = await linha('escola', 'E-ALICE-CLARA');
    const h = await linha('saude', 'H-ALICE');
    expect(h.cpf_de_outra_pessoa).toBe(false);
    expect(await cpfsDaIdentidade(h.identidade_id)).toEqual([CPF_ALICE]);
    expect(h.identidade_id).not.toBe(irma.identidade_id);
  });
});
