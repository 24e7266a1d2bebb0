/**
 * The catalogue's personal-data report shows the real load status of each base (issue 11, item 1): loads are matched
 * to the entry by the mapping's `cmbd.sigla` + `cmbd.fonteCarga` (fazenda.yaml: SF / fazenda). Real PostgreSQL; the
 * loads are run by the real `executarCarga` on small CSV files written here by hand, so the figures expected below
 * are counted by hand.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Express } from 'express';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { criarAppCmbdDeTeste } from '../../test/helpers/cmbd.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { criarEmissorTeste } from '../../test/helpers/tokens.js';
import type { TestDatabase } from '../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { executarCarga } from '../carga/executar-carga.js';
import { baseValida } from './cmbd.fixtures.js';

usarRelogioDosTestes();

let app: Express;
let db: TestDatabase;
let dir: string;
let cgm: { Authorization: string };
let gestor: { Authorization: string };

const CABECALHO = '"INSCRICAO";"CPF_CNPJ";"NOME_CONTRIBUINTE";"DATA_NASCIMENTO";"SEXO";"NOME_MAE";"EMAIL";"TELEFONE";"MUNICIPIO";"UF"';
const linha = (chave: string, cpf: string, nome: string) => `"${chave}";"${cpf}";"${nome}";"01/02/1980";"F";"";"";"";"SAO PAULO";"SP"`;
const [c1, c2, c3] = [cpfAleatorio(), cpfAleatorio(), cpfAleatorio()];

beforeAll(async () => {
  const tokens = await criarEmissorTeste();
  ({ app, db } = await criarAppCmbdDeTeste(tokens.verificador));
  cgm = { Authorization: `Bearer ${await tokens.emitir({ username: 'cgm.dta', roles: ['cmbd-cgm'] })}` };
  gestor = { Authorization: `Bearer ${await tokens.emitir({ username: 'gestora', roles: ['gestor-cadastro'] })}` };
  for (const [sigla, nome] of [['SF', 'Secretaria Municipal da Fazenda'], ['SMADS', 'Secretaria Municipal de Assistência e Desenvolvimento Social'], ['SME', 'Secretaria Municipal de Educação']]) {
    await request(app).put(`/cmbd/orgaos/${sigla}`).set(cgm).send({ nome }).expect(201);
  }
  const pessoais = { possuiDadosPessoais: true, situacaoMigracao: 'planejada', cronogramaMigracao: '2027-06-30' };
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida({ sigla: 'SF', titulo: 'Cadastro de contribuintes', fonteCarga: 'fazenda', ...pessoais })).expect(201);
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida({ sigla: 'SMADS', fonteCarga: 'smads-bdc', ...pessoais })).expect(201);
  await request(app).post('/cmbd/bases').set(cgm).send(baseValida({ sigla: 'SME', titulo: 'Matrículas', fonteCarga: null, ...pessoais })).expect(201);

  dir = await mkdtemp(join(tmpdir(), 'lum-relatorio-carga-'));
  // First file: 3 rows (2 valid CPFs, 1 without). Second, later: 5 rows — 3 valid, 1 without a CPF, 1 fake (11 equal digits).
  await writeFile(join(dir, 'fazenda-1.csv'), [CABECALHO, linha('1', c1, 'ANA'), linha('2', c2, 'BIA'), linha('3', '', 'CAIO')].join('\n') + '\n');
  await writeFile(join(dir, 'fazenda-2.csv'), [CABECALHO, linha('1', c1, 'ANA'), linha('2', c2, 'BIA'), linha('4', c3, 'DUDA'), linha('3', '', 'CAIO'), linha('5', '222.222.222-22', 'EVA')].join('\n') + '\n');
  await executarCarga(db.dataSource, { fonte: 'fazenda', arquivo: join(dir, 'fazenda-1.csv'), iniciadaPor: 'teste' });
  await executarCarga(db.dataSource, { fonte: 'fazenda', arquivo: join(dir, 'fazenda-2.csv'), iniciadaPor: 'teste' });
  // A load of the SMADS base started and never finished (killed, waiting to be resumed).
  await db.dataSource.query(
    `INSERT INTO carga (fonte, fonte_pmcc, cmbd_sigla, cmbd_fonte_carga, arquivo, arquivo_sha256, arquivo_bytes, observado_em, iniciada_por)
     VALUES ('bdc', 'smads-bdc', 'SMADS', 'smads-bdc', 'bdc.csv', repeat('b', 64), 10, now(), 'teste')`);
});

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('per base: how many loads, how many unfinished, and the last completed one with its triage figures', async () => {
  const r = await request(app).get('/cmbd/relatorios/dados-pessoais').set(cgm).expect(200);
  const porSigla = Object.fromEntries((r.body.bases as { sigla: string; carga: unknown }[]).map((b) => [b.sigla, b.carga]));
  expect(porSigla).toEqual({
    SF: {
      cargas: 2, emAndamento: 0,
      ultimaConcluida: { id: expect.stringMatching(/^[1-9][0-9]*$/), fonte: 'fazenda', concluidaEm: expect.any(String), registrosLidos: 5, cpfsValidos: 3, cpfsInvalidos: 1, semCpf: 1 },
    },
    SMADS: { cargas: 1, emAndamento: 1, ultimaConcluida: null },
    SME: null,
  });
  const [ultima] = await db.dataSource.query(`SELECT id::text AS id FROM carga WHERE fonte = 'fazenda' AND arquivo LIKE '%fazenda-2.csv'`);
  expect((porSigla['SF'] as { ultimaConcluida: { id: string } }).ultimaConcluida.id).toBe(ultima.id);
  // The central stewards read the same report.
  await request(app).get('/cmbd/relatorios/dados-pessoais').set(gestor).expect(200);
});
