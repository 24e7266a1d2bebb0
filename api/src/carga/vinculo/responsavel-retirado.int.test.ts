/**
 * A minor registered under a guardian's CPF, in the reverse order (issue 11, item 4: "a child's row carrying the mother's
 * or guardian's CPF"): the minor's row came first, while the mother's CPF was new to the base, so that CPF's golden id
 * and master record were made with the child's name and birth date; then the mother's own row comes (`particionar`
 * step 3a). Whole loads on real PostgreSQL.
 *
 * Loads, in order (observed 2026-11-01, so "under 18" means born after 2008-11-01):
 * 1. `social` (`cpfDoResponsavel: true`): PEDRO (2018) with his mother RENATA's CPF; GABRIEL (2017) with a CPF that an
 *    unrelated adult later claims; ENZO (2016) with a CPF a school also gives him; LIA (2015) with a CPF under which a
 *    citizen has an account by the time the mother's row comes; DAVI (2019) and ANA (2020) with their mothers' CPFs;
 *    MIGUEL (2016) with his father ANTONIO's CPF; BRUNO (2017) with a CPF his brother CAIO (2007) later claims;
 * 2. `escola` (no flag): 2,400 fillers; ENZO's row with the same CPF; ANA's twin ANA CLARA with her own CPF;
 * 3. `cadastro` (no flag): RENATA's own row (her married name: DUARTE SILVA, where PEDRO's rows say DUARTE CAMPOS), and
 *    PEDRO's own CPF; ROBERTO (1980), whose name is not GABRIEL's mother's; ENZO's mother CARLA; LIA's mother SANDRA;
 *    DAVI's own CPF (his mother never comes: step 5b); ANA's own CPF (her twin's record is known: step 5b leaves it);
 *    ANTONIO's own row (not the mother named on MIGUEL's row, but his surname); CAIO's (a surname in common, ten
 *    years older than BRUNO: not a generation).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CABECALHO, FILLERS, filler, mapeamentoDeTeste } from '../../../../test/support/carga-preenchimento.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { cpfAleatorio } from '../../../test/helpers/cpfs.js';
import { diagnosticoDaBase, diagnosticoDaCarga } from '../diagnostico.js';
import { executarCarga } from '../executar-carga.js';
import { categoriasDoDiagnostico } from '../gestao/categorias.js';

usarRelogioDosTestes();

const OBSERVADO_EM = '2026-11-01T12:00:00-03:00';
const CPF_RENATA = cpfAleatorio();
const CPF_PEDRO = cpfAleatorio();
const CPF_GABRIEL = cpfAleatorio();
const CPF_ENZO = cpfAleatorio();
const CPF_LIA = cpfAleatorio();
const CPF_MAE_DAVI = cpfAleatorio();
const CPF_DAVI = cpfAleatorio();
const CPF_MAE_ANA = cpfAleatorio();
const CPF_ANA = cpfAleatorio();
const CPF_ANA_CLARA = cpfAleatorio();
const CPF_ANTONIO = cpfAleatorio();
const CPF_BRUNO = cpfAleatorio();

let db: TestDatabase;
let dir = '';
/** PEDRO's golden id, and the master record under RENATA's CPF, after loads 1 and 2. */
let identidadePedro = '';
let registroAntes: Array<{ nome: string; data_nascimento: string }> = [];
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => db.dataSource.query<T[]>(sql, p);
const linha = async (fonte: string, chave: string) =>
  (await q<{ cpf_de_outra_pessoa: boolean; identidade_id: string; problemas: Array<{ codigo: string }> | null }>(
    `SELECT cpf_de_outra_pessoa, identidade_id::text AS identidade_id, problemas FROM linha_carga WHERE fonte = $1 AND chave_fonte = $2`, [fonte, chave]))[0];
const identidade = async (id: string) => (await q<{ cpf: string | null; situacao: string }>(`SELECT cpf, situacao FROM identidade WHERE id = $1`, [id]))[0];
/** The CPF's name values in its history, oldest first, with the hand-back's reason and evidence (null on the others). */
const nomesNoHistorico = (cpf: string) => q<{ estado: string; valor: string; motivo: string | null; evidencia: string | null }>(
  `SELECT estado, valor #>> '{}' AS valor, decisao->'retirada'->>'motivo' AS motivo, decisao->'retirada'->>'evidencia' AS evidencia FROM valor_campo
    WHERE entidade = 'pessoa' AND chave = $1 AND campo = 'nome' ORDER BY id`, [cpf]);
const pessoaDoCpf = async (cpf: string) => q<{ nome: string; data_nascimento: string }>(`SELECT nome, data_nascimento::text FROM pessoa WHERE cpf = $1`, [cpf]);
const carregar = (fonte: string) =>
  executarCarga(db.dataSource, { fonte, arquivo: join(dir, `${fonte}.csv`), fontesDir: dir, iniciadaPor: 'teste', observadoEm: OBSERVADO_EM }, { linhasPorLote: 1000 });

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'carga-responsavel-retirado-'));
  const descricao = 'Fonte escrita à mão para os testes do CPF do responsável';
  await writeFile(join(dir, 'social.yaml'), `${mapeamentoDeTeste('social', descricao)}cpfDoResponsavel: true\n`);
  await writeFile(join(dir, 'escola.yaml'), mapeamentoDeTeste('escola', descricao));
  await writeFile(join(dir, 'cadastro.yaml'), mapeamentoDeTeste('cadastro', descricao));
  await writeFile(join(dir, 'social.csv'), `${[
    CABECALHO,
    `S-PEDRO;${CPF_RENATA};PEDRO HENRIQUE DUARTE CAMPOS;14/06/2018;M;RENATA DUARTE CAMPOS;;;SAO PAULO`,
    `S-GABRIEL;${CPF_GABRIEL};GABRIEL MOTA ARRUDA;09/09/2017;M;JULIA MOTA ARRUDA;;;SAO PAULO`,
    `S-ENZO;${CPF_ENZO};ENZO NUNES FARIAS;21/01/2016;M;CARLA NUNES FARIAS;;;SAO PAULO`,
    `S-LIA;${CPF_LIA};LIA PRADO REZENDE;30/07/2015;F;SANDRA PRADO REZENDE;;;SAO PAULO`,
    `S-DAVI;${CPF_MAE_DAVI};DAVI LUCAS PIRES MATOS;02/02/2019;M;ELAINE PIRES MATOS;;;SAO PAULO`,
    `S-ANA;${CPF_MAE_ANA};ANA SOUZA REIS;08/08/2020;F;VERA SOUZA REIS;;;SAO PAULO`,
    `S-MIGUEL;${CPF_ANTONIO};MIGUEL SANTOS VIEIRA;11/04/2016;M;LUCIA SANTOS;;;SAO PAULO`,
    `S-BRUNO;${CPF_BRUNO};BRUNO ROCHA TEIXEIRA;23/05/2017;M;ELISA ROCHA TEIXEIRA;;;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'escola.csv'), `${[
    CABECALHO,
    ...Array.from({ length: FILLERS }, (_, i) => filler(i, cpfAleatorio())),
    `E-ENZO;${CPF_ENZO};ENZO NUNES FARIAS;21/01/2016;M;CARLA NUNES FARIAS;;;SAO PAULO`,
    `E-ANA-CLARA;${CPF_ANA_CLARA};ANA CLARA SOUZA REIS;08/08/2020;F;VERA SOUZA REIS;;;SAO PAULO`,
  ].join('\n')}\n`);
  await writeFile(join(dir, 'cadastro.csv'), `${[
    CABECALHO,
    `C-RENATA;${CPF_RENATA};RENATA DUARTE SILVA;03/03/1988;F;TEREZA DUARTE;;;SAO PAULO`,
    `C-PEDRO;${CPF_PEDRO};PEDRO HENRIQUE DUARTE CAMPOS;14/06/2018;M;RENATA DUARTE CAMPOS;;;SAO PAULO`,
    `C-ROBERTO;${CPF_GABRIEL};ROBERTO ALVES LIMA;12/12/1980;M;MARLENE ALVES;;;SAO PAULO`,
    `C-CARLA;${CPF_ENZO};CARLA NUNES FARIAS;05/05/1990;F;ODETE NUNES;;;SAO PAULO`,
    `C-SANDRA;${CPF_LIA};SANDRA PRADO REZENDE;17/10/1986;F;IRENE PRADO;;;SAO PAULO`,
    `C-DAVI;${CPF_DAVI};DAVI LUCAS PIRES MATOS;02/02/2019;M;ELAINE PIRES MATOS;;;SAO PAULO`,
    `C-ANA;${CPF_ANA};ANA SOUZA REIS;08/08/2020;F;VERA SOUZA REIS;;;SAO PAULO`,
    `C-ANTONIO;${CPF_ANTONIO};ANTONIO CARLOS VIEIRA;02/10/1979;M;JOANA VIEIRA;;;SAO PAULO`,
    `C-CAIO;${CPF_BRUNO};CAIO ROCHA TEIXEIRA;15/01/2007;M;ELISA ROCHA TEIXEIRA;;;SAO PAULO`,
  ].join('\n')}\n`);
  await carregar('social');
  await carregar('escola');
  identidadePedro = (await linha('social', 'S-PEDRO')).identidade_id;
  registroAntes = await pessoaDoCpf(CPF_RENATA);
  // A citizen signed in under LIA's CPF before her mother's row came.
  await q(`INSERT INTO conta (keycloak_user_id, cpf_declarado, pessoa_cpf) VALUES (gen_random_uuid(), $1, $1)`, [CPF_LIA]);
  await carregar('cadastro');
}, 240_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the minor\'s row loaded first made the guardian\'s CPF\'s record', () => {
  it('with the child\'s name and birth date (the state the rule corrects)', () => {
    expect(registroAntes).toEqual([{ nome: 'PEDRO HENRIQUE DUARTE CAMPOS', data_nascimento: '2018-06-14' }]);
  });
});

describe('the mother\'s own row under her CPF, a married name where the child\'s row has her maiden one', () => {
  it('keeps her CPF: her row is hers, in a golden id of its own holding her CPF', async () => {
    const r = await linha('cadastro', 'C-RENATA');
    expect(r.cpf_de_outra_pessoa).toBe(false);
    expect(r.identidade_id).not.toBe(identidadePedro);
    expect(await identidade(r.identidade_id)).toEqual({ cpf: CPF_RENATA, situacao: 'ativa' });
  });

  it('makes the master record under her CPF hers', async () => {
    expect(await pessoaDoCpf(CPF_RENATA)).toEqual([{ nome: 'RENATA DUARTE SILVA', data_nascimento: '1988-03-03' }]);
  });

  it('keeps the child\'s values in the CPF\'s history, discarded, with the reason', async () => {
    expect(await nomesNoHistorico(CPF_RENATA)).toEqual([
      { estado: 'descartado', valor: 'PEDRO HENRIQUE DUARTE CAMPOS', motivo: 'cpf-do-responsavel', evidencia: 'linha-da-mae' },
      { estado: 'vigente', valor: 'RENATA DUARTE SILVA', motivo: null, evidencia: null },
    ]);
  });

  it('writes one audit row for the CPF taken from the child\'s golden id', async () => {
    const a = await q<{ ator: string; pessoa_cpf: string; campos: string[]; identidade: string }>(
      `SELECT ator, pessoa_cpf, campos, detalhe->>'identidade' AS identidade FROM auditoria WHERE acao = 'carga.cpf-retirado' AND detalhe->>'evidencia' = 'linha-da-mae'`);
    expect(a).toEqual([{ ator: 'teste', pessoa_cpf: CPF_RENATA, campos: ['cpf'], identidade: identidadePedro }]);
  });

  it('is counted in the partition phase\'s diagnosis (with ANTONIO\'s, below)', async () => {
    const [{ n }] = await q<{ n: number }>(`SELECT (diagnostico->'fases'->'particionando'->>'cpfsDoResponsavelRetirados')::int AS n FROM carga WHERE fonte = 'cadastro'`);
    expect(n).toBe(2);
  });
});

describe('the guardian is not the mother the minor\'s row names: the father, a surname in common, a generation older', () => {
  it('his CPF leaves MIGUEL\'s golden id, which keeps its id without a CPF (his own never came)', async () => {
    const s = await linha('social', 'S-MIGUEL');
    expect(s.cpf_de_outra_pessoa).toBe(true);
    expect(s.problemas?.map((p) => p.codigo)).toEqual(['cpf-do-responsavel']);
    expect(await identidade(s.identidade_id)).toEqual({ cpf: null, situacao: 'pendente' });
  });

  it('ANTONIO gets a golden id and the master record under his CPF', async () => {
    const r = await linha('cadastro', 'C-ANTONIO');
    expect(r.cpf_de_outra_pessoa).toBe(false);
    expect(r.identidade_id).not.toBe((await linha('social', 'S-MIGUEL')).identidade_id);
    expect(await identidade(r.identidade_id)).toEqual({ cpf: CPF_ANTONIO, situacao: 'ativa' });
    expect(await pessoaDoCpf(CPF_ANTONIO)).toEqual([{ nome: 'ANTONIO CARLOS VIEIRA', data_nascimento: '1979-10-02' }]);
  });

  it('the history says why: evidence linha-de-familiar', async () => {
    expect(await nomesNoHistorico(CPF_ANTONIO)).toEqual([
      { estado: 'descartado', valor: 'MIGUEL SANTOS VIEIRA', motivo: 'cpf-do-responsavel', evidencia: 'linha-de-familiar' },
      { estado: 'vigente', valor: 'ANTONIO CARLOS VIEIRA', motivo: null, evidencia: null },
    ]);
  });
});

describe('the child keeps his golden id', () => {
  it('his earlier row stays where it was, marked as carrying someone else\'s CPF', async () => {
    const s = await linha('social', 'S-PEDRO');
    expect(s.identidade_id).toBe(identidadePedro);
    expect(s.cpf_de_outra_pessoa).toBe(true);
    expect(s.problemas?.map((p) => p.codigo)).toEqual(['cpf-do-responsavel']);
  });

  it('and his own CPF, in the same load, goes to that golden id (adoption)', async () => {
    expect((await linha('cadastro', 'C-PEDRO')).identidade_id).toBe(identidadePedro);
    expect(await identidade(identidadePedro)).toEqual({ cpf: CPF_PEDRO, situacao: 'ativa' });
    expect(await pessoaDoCpf(CPF_PEDRO)).toEqual([{ nome: 'PEDRO HENRIQUE DUARTE CAMPOS', data_nascimento: '2018-06-14' }]);
  });
});

describe('adults\' rows under a minor\'s CPF that the rule leaves apart', () => {
  it('a man whose name is not the minor\'s mother\'s', async () => {
    const r = await linha('cadastro', 'C-ROBERTO');
    expect(r.cpf_de_outra_pessoa).toBe(true);
    expect(await identidade((await linha('social', 'S-GABRIEL')).identidade_id)).toEqual({ cpf: CPF_GABRIEL, situacao: 'ativa' });
    expect(await pessoaDoCpf(CPF_GABRIEL)).toEqual([{ nome: 'GABRIEL MOTA ARRUDA', data_nascimento: '2017-09-09' }]);
  });

  it('a brother ten years older: a surname in common, but not a generation apart', async () => {
    expect((await linha('cadastro', 'C-CAIO')).cpf_de_outra_pessoa).toBe(true);
    expect(await identidade((await linha('social', 'S-BRUNO')).identidade_id)).toEqual({ cpf: CPF_BRUNO, situacao: 'ativa' });
    expect(await pessoaDoCpf(CPF_BRUNO)).toEqual([{ nome: 'BRUNO ROCHA TEIXEIRA', data_nascimento: '2017-05-23' }]);
  });

  it('the mother, when a source that does not register minors under a guardian\'s CPF gave the child that CPF too', async () => {
    expect((await linha('cadastro', 'C-CARLA')).cpf_de_outra_pessoa).toBe(true);
    expect(await pessoaDoCpf(CPF_ENZO)).toEqual([{ nome: 'ENZO NUNES FARIAS', data_nascimento: '2016-01-21' }]);
  });

  it('the mother, when a citizen has an account under the CPF (a load never undoes what a person did)', async () => {
    expect((await linha('cadastro', 'C-SANDRA')).cpf_de_outra_pessoa).toBe(true);
    expect(await pessoaDoCpf(CPF_LIA)).toEqual([{ nome: 'LIA PRADO REZENDE', data_nascimento: '2015-07-30' }]);
  });

  it('and no CPF but RENATA\'s, ANTONIO\'s and DAVI\'s mother\'s was taken from a golden id', async () => {
    const retirados = await q(`SELECT pessoa_cpf, detalhe->>'evidencia' AS evidencia FROM auditoria WHERE acao = 'carga.cpf-retirado' ORDER BY id`);
    // Step 3a's CPFs (in CPF order) come before step 5b's.
    expect(retirados).toEqual([
      ...[{ pessoa_cpf: CPF_RENATA, evidencia: 'linha-da-mae' }, { pessoa_cpf: CPF_ANTONIO, evidencia: 'linha-de-familiar' }].sort((a, b) => a.pessoa_cpf.localeCompare(b.pessoa_cpf)),
      { pessoa_cpf: CPF_MAE_DAVI, evidencia: 'cpf-proprio-do-menor' },
    ]);
  });
});

describe('the child\'s own CPF comes from a source without the flag, his mother never (step 5b)', () => {
  it('his golden id keeps its id and gets his own CPF in place of his mother\'s', async () => {
    const s = await linha('social', 'S-DAVI');
    expect(s.cpf_de_outra_pessoa).toBe(true);
    expect((await linha('cadastro', 'C-DAVI')).identidade_id).toBe(s.identidade_id);
    expect(await identidade(s.identidade_id)).toEqual({ cpf: CPF_DAVI, situacao: 'ativa' });
    expect(await pessoaDoCpf(CPF_DAVI)).toEqual([{ nome: 'DAVI LUCAS PIRES MATOS', data_nascimento: '2019-02-02' }]);
  });

  it('leaves no golden id nor master record under his mother\'s CPF', async () => {
    expect(await q(`SELECT id FROM identidade WHERE cpf = $1`, [CPF_MAE_DAVI])).toEqual([]);
    expect(await pessoaDoCpf(CPF_MAE_DAVI)).toEqual([]);
  });

  it('is counted in the partition phase\'s diagnosis', async () => {
    const [{ n }] = await q<{ n: number }>(`SELECT (diagnostico->'fases'->'particionando'->>'cpfsDoResponsavelRetiradosPeloProprio')::int AS n FROM carga WHERE fonte = 'cadastro'`);
    expect(n).toBe(1);
  });

  it('the stewards\' categories count the three hand-backs (RENATA\'s, ANTONIO\'s, DAVI\'s mother\'s) for the load and for the whole base', async () => {
    const [{ id: cadastro }] = await q<{ id: string }>(`SELECT id::text AS id FROM carga WHERE fonte = 'cadastro'`);
    const [{ id: social }] = await q<{ id: string }>(`SELECT id::text AS id FROM carga WHERE fonte = 'social'`);
    expect(categoriasDoDiagnostico(await diagnosticoDaCarga(db.dataSource, cadastro)).cpfsDevolvidosAoTitular).toBe(3);
    expect(categoriasDoDiagnostico(await diagnosticoDaCarga(db.dataSource, social)).cpfsDevolvidosAoTitular).toBe(0);
    expect(categoriasDoDiagnostico(await diagnosticoDaBase(db.dataSource)).cpfsDevolvidosAoTitular).toBe(3);
  });

  it('but not when a twin born the same day to the same mother is known: ANA\'s row may be ANA CLARA\'s with a name dropped', async () => {
    const s = await linha('social', 'S-ANA');
    expect(s.cpf_de_outra_pessoa).toBe(false);
    expect(await identidade(s.identidade_id)).toEqual({ cpf: CPF_MAE_ANA, situacao: 'ativa' });
    const c = await linha('cadastro', 'C-ANA');
    expect(c.identidade_id).not.toBe(s.identidade_id);
    expect(await identidade(c.identidade_id)).toEqual({ cpf: CPF_ANA, situacao: 'ativa' });
  });
});
