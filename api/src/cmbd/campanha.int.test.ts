/**
 * A full semiannual campaign against the real PostgreSQL: open 2026-2 → focal points → SMADS and SF update their
 * worklists and finish, SME does not → reminders → close → the published CSV (csv-parse) and JSON-LD hold the
 * expected entries and name SME as not taking part → the CSV imported into an EMPTY catalogue reproduces the same
 * entries (and republishes byte for byte).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';
import type { TestDatabase } from '../../../test/support/db.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';
import { criarEmissorTeste, type EmissorTeste } from '../../test/helpers/tokens.js';
import { criarAppCmbdDeTeste } from '../../test/helpers/cmbd.js';
import { baseValida, mapaValido } from './cmbd.fixtures.js';
import { COLUNAS_CSV } from './publicacao.js';

// "Today" is 2026-11-16 (test/support/relogio.ts): after SF's inactivation date (2026-10-31), before the campaign's
// deadline (2026-11-30, so reminders go by e-mail) and before the CRAS migration's planned date (2027-06-30, not late).
usarRelogioDosTestes();

let tokens: EmissorTeste;
let app: Express;
let db: TestDatabase;
let vazio: { app: Express; db: TestDatabase };
let cgm: string;
const focal: Record<string, string> = {};
const ORGAOS = { SMADS: 'Secretaria Municipal de Assistência e Desenvolvimento Social', SF: 'Secretaria Municipal da Fazenda', SME: 'Secretaria Municipal de Educação' };
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const ids: Record<string, string> = {};

beforeAll(async () => {
  tokens = await criarEmissorTeste();
  ({ app, db } = await criarAppCmbdDeTeste(tokens.verificador));
  vazio = await criarAppCmbdDeTeste(tokens.verificador);
  cgm = await tokens.emitir({ username: 'cgm.dta', roles: ['cmbd-cgm'] });
  for (const sigla of Object.keys(ORGAOS)) {
    focal[sigla] = await tokens.emitir({ username: `focal.${sigla.toLowerCase()}`, roles: ['cmbd-ponto-focal', `cmbd-orgao-${sigla.toLowerCase()}`] });
  }
  for (const [sigla, nome] of Object.entries(ORGAOS)) await request(app).put(`/cmbd/orgaos/${sigla}`).set(auth(cgm)).send({ nome }).expect(201);

  // The catalogue before the campaign.
  const criar = async (chave: string, sigla: string, corpo: Record<string, unknown>) => {
    const r = await request(app).post('/cmbd/bases').set(auth(focal[sigla])).send(baseValida({ sigla, ...corpo })).expect(201);
    ids[chave] = r.body.id;
  };
  await criar('cras', 'SMADS', { possuiDadosPessoais: true, fonteCarga: 'smads-bdc', situacaoMigracao: 'planejada', cronogramaMigracao: '2027-06-30' });
  await criar('abrigos', 'SMADS', { titulo: 'Vagas em centros de acolhida', palavrasChave: ['acolhida', 'população em situação de rua', 'vagas'], resumo: 'Vagas ofertadas e ocupadas; observações com "aspas", vírgulas e\nquebra de linha.' });
  await criar('iptu', 'SF', { titulo: 'Cadastro imobiliário fiscal', codigoProdam: 'TPCL - Cadastro de Contribuintes', palavrasChave: ['IPTU', 'imóveis', 'tributos'], sigilo: true, sigiloBaseLegal: 'Código Tributário Nacional, art. 198 (sigilo fiscal)', tipoArmazenamento: 'Banco de Dados', sgbd: 'DB2', periodicidade: 'Diária' });
  await criar('eol', 'SME', { titulo: 'Escola On-Line (EOL) — matrículas', palavrasChave: ['matrículas', 'escolas', 'estudantes'], possuiDadosPessoais: true, fonteCarga: 'educacao-eol', situacaoMigracao: 'em-andamento', cronogramaMigracao: '2026-01-31' });
});

afterAll(async () => {
  await db?.drop();
  await vazio?.db.drop();
});

describe('before anything is published', () => {
  it('the public URLs answer 404 in pt-BR', async () => {
    const r = await request(app).get('/dados-abertos/cmbd.csv').expect(404);
    expect(r.body.message).toBe('Nenhum catálogo do CMBD publicado ainda');
  });
});

describe('listing the catalogue', () => {
  it('?sigla= filters by organ; a repeated or unknown parameter is a 400 in pt-BR, not silently ignored', async () => {
    const smads = (await request(app).get('/cmbd/bases?sigla=SMADS').set(auth(cgm)).expect(200)).body as { titulo: string }[];
    expect(smads.map((b) => b.titulo).sort()).toEqual(['Cadastro de usuários dos Centros de Referência de Assistência Social', 'Vagas em centros de acolhida'].sort());
    const repetido = await request(app).get('/cmbd/bases?sigla=SMADS&sigla=SF').set(auth(cgm)).expect(400);
    expect(repetido.body).toMatchObject({ error: 'DadosInvalidos', details: [{ path: 'sigla', message: 'sigla deve aparecer uma única vez, como texto' }] });
    const desconhecido = await request(app).get('/cmbd/bases?orgao=SF').set(auth(cgm)).expect(400);
    expect(desconhecido.body).toMatchObject({ error: 'DadosInvalidos', details: [{ path: 'orgao', message: 'Parâmetro não permitido: orgao' }] });
  });
});

describe('campaign 2026-2', () => {
  it('the CGM opens it for every registered organ; a second open campaign is refused', async () => {
    const r = await request(app).post('/cmbd/campanhas').set(auth(cgm)).send({ codigo: '2026-2', prazo: '2026-11-30' }).expect(201);
    expect(r.body).toMatchObject({ codigo: '2026-2', situacao: 'ABERTA', abertaPor: 'cgm.dta' });
    expect(r.body.orgaos.map((o: { sigla: string; pendentes: number }) => [o.sigla, o.pendentes])).toEqual([['SF', 1], ['SMADS', 2], ['SME', 1]]);
    const dup = await request(app).post('/cmbd/campanhas').set(auth(cgm)).send({ codigo: '2027-1', prazo: '2027-05-31' }).expect(409);
    expect(dup.body.message).toBe('A campanha 2026-2 ainda está aberta: encerre-a antes de abrir outra');
    const inval = await request(app).post('/cmbd/campanhas').set(auth(cgm)).send({ codigo: '2026-3', prazo: '2026-11-30' }).expect(400);
    expect(inval.body.details).toEqual([{ path: 'codigo', message: 'Código da campanha deve ser o ano e o semestre, ex.: 2026-2' }]);
  });

  it('focal points are registered per organ (audited: names and e-mails are personal data)', async () => {
    for (const sigla of Object.keys(ORGAOS)) {
      await request(app).post(`/cmbd/campanhas/2026-2/orgaos/${sigla}/pontos-focais`).set(auth(cgm))
        .send({ nome: `Ponto Focal ${sigla}`, email: `focal.${sigla.toLowerCase()}@prefeitura.sp.gov.br`, username: `focal.${sigla.toLowerCase()}` }).expect(201);
    }
    const bad = await request(app).post('/cmbd/campanhas/2026-2/orgaos/SF/pontos-focais').set(auth(cgm)).send({ nome: 'X', email: 'não-é-email' }).expect(400);
    expect(bad.body.details).toEqual([{ path: 'email', message: 'Informe um e-mail válido do ponto focal' }]);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM auditoria WHERE acao = 'cmbd.ponto-focal.registrado'`);
    expect(n).toBe(3);
  });

  it('SMADS: its worklist, refused to finish with pending entries, updates one, confirms one, adds one, finishes', async () => {
    const lista = await request(app).get('/cmbd/campanhas/2026-2/orgaos/SMADS/lista').set(auth(focal['SMADS'])).expect(200);
    expect(lista.body.pendentes).toBe(2);
    expect(lista.body.bases.map((b: { revisadaNestaCampanha: boolean }) => b.revisadaNestaCampanha)).toEqual([false, false]);
    await request(app).get('/cmbd/campanhas/2026-2/orgaos/SMADS/lista').set(auth(focal['SF'])).expect(403);

    const cedo = await request(app).post('/cmbd/campanhas/2026-2/orgaos/SMADS/conclusao').set(auth(focal['SMADS'])).expect(422);
    expect(cedo.body.message).toBe('Ainda há 2 base(s) do órgão SMADS não conferida(s) nesta campanha: confirme ou atualize cada uma antes de concluir');

    await request(app).patch(`/cmbd/bases/${ids['cras']}`).set(auth(focal['SMADS'])).send({ resumo: 'Atendimentos nos CRAS, atualizado na campanha 2026-2.' }).expect(200);
    const conf = await request(app).post(`/cmbd/bases/${ids['abrigos']}/confirmacao`).set(auth(focal['SMADS'])).expect(200);
    expect(conf.body.revisadaNaCampanha).toBe('2026-2');
    const nova = await request(app).post('/cmbd/bases').set(auth(focal['SMADS'])).send(baseValida({ titulo: 'Índice de vulnerabilidade social por distrito', palavrasChave: ['vulnerabilidade', 'distritos', 'indicadores'], periodicidade: 'Anual' })).expect(201);
    ids['ivs'] = nova.body.id;

    const fim = await request(app).post('/cmbd/campanhas/2026-2/orgaos/SMADS/conclusao').set(auth(focal['SMADS'])).expect(200);
    expect(fim.body).toMatchObject({ sigla: 'SMADS', concluidaPor: 'focal.smads', pendentes: 0, total: 3 });
    await request(app).post('/cmbd/campanhas/2026-2/orgaos/SMADS/conclusao').set(auth(focal['SMADS'])).expect(409);
    const versoes = await request(app).get(`/cmbd/bases/${ids['abrigos']}/versoes`).set(auth(cgm)).expect(200);
    expect(versoes.body.at(-1)).toMatchObject({ acao: 'confirmada', ator: 'focal.smads', campanha: '2026-2', campos: [] });
  });

  it('SF: inactivates its base with the date, adds a map, finishes', async () => {
    await request(app).post(`/cmbd/bases/${ids['iptu']}/inativacao`).set(auth(focal['SF'])).send({ desde: '2026-10-31' }).expect(200);
    const mapa = await request(app).post('/cmbd/bases').set(auth(focal['SF'])).send(mapaValido({ sigla: 'SF', titulo: 'Planta Genérica de Valores', palavrasChave: ['PGV', 'valor venal', 'mapa'] })).expect(201);
    ids['pgv'] = mapa.body.id;
    await request(app).post('/cmbd/campanhas/2026-2/orgaos/SF/conclusao').set(auth(focal['SF'])).expect(200);
  });

  it('SME does not take part: it is listed as pending and reminded once a day', async () => {
    const p = await request(app).get('/cmbd/campanhas/2026-2/pendentes').set(auth(cgm)).expect(200);
    expect(p.body).toEqual([{ sigla: 'SME', nome: ORGAOS.SME, pendentes: 1, pontosFocais: [{ nome: 'Ponto Focal SME', email: 'focal.sme@prefeitura.sp.gov.br' }], lembretes: 0 }]);
    const l1 = await request(app).post('/cmbd/campanhas/2026-2/lembretes').set(auth(cgm)).expect(200);
    expect(l1.body.registrados).toEqual([{ sigla: 'SME', destinatarios: ['focal.sme@prefeitura.sp.gov.br'], canal: 'e-mail' }]);
    const l2 = await request(app).post('/cmbd/campanhas/2026-2/lembretes').set(auth(cgm)).expect(200);
    expect(l2.body.registrados).toEqual([]);
    await request(app).post('/cmbd/campanhas/2026-2/lembretes').set(auth(focal['SME'])).expect(403);
  });

  it('close → the compiled catalogue and the list of organs that did not take part', async () => {
    await request(app).post('/cmbd/campanhas/2026-2/encerramento').set(auth(focal['SMADS'])).expect(403);
    const r = await request(app).post('/cmbd/campanhas/2026-2/encerramento').set(auth(cgm)).expect(200);
    expect(r.body).toMatchObject({ campanha: '2026-2', bases: 6, participantes: [{ sigla: 'SF', nome: ORGAOS.SF }, { sigla: 'SMADS', nome: ORGAOS.SMADS }], naoParticipantes: [{ sigla: 'SME', nome: ORGAOS.SME }] });
    await request(app).post('/cmbd/campanhas/2026-2/encerramento').set(auth(cgm)).expect(422);
    await request(app).post(`/cmbd/bases/${ids['eol']}/confirmacao`).set(auth(focal['SME'])).expect(422);
  });
});

let csvPublicado: string;
describe('publication as open data (no token)', () => {
  it('CSV: UTF-8, the manual\'s column names, parses cleanly with csv-parse and holds the expected entries', async () => {
    const r = await request(app).get('/dados-abertos/cmbd.csv').expect(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    csvPublicado = r.text;
    const linhas = parse<Record<string, string>>(csvPublicado, { columns: true });
    expect(Object.keys(linhas[0])).toEqual(COLUNAS_CSV.map((c) => c.nome));
    expect(Object.keys(linhas[0])).toContain('Existe(m), nesta base de dados, informação(ões) classificada(s) em algum grau de sigilo?');
    expect(linhas).toHaveLength(6);
    const porTitulo = Object.fromEntries(linhas.map((l) => [l['Título da Base'], l]));
    expect(porTitulo['Cadastro de usuários dos Centros de Referência de Assistência Social']).toMatchObject({ 'Órgão ou Entidade': ORGAOS.SMADS, Sigla: 'SMADS', Resumo: 'Atendimentos nos CRAS, atualizado na campanha 2026-2.', 'Palavras-chave': 'assistência social; CRAS; atendimento', 'Situação do Processo': 'ATIVA', 'Escala': 'NÃO SE APLICA', 'Código / Nome PRODAM': 'Não se aplica' });
    expect(porTitulo['Vagas em centros de acolhida']['Resumo']).toBe('Vagas ofertadas e ocupadas; observações com "aspas", vírgulas e\nquebra de linha.');
    expect(porTitulo['Cadastro imobiliário fiscal']).toMatchObject({ 'Situação do Processo': 'INATIVA - Desde: 31/10/2026', 'Existe(m), nesta base de dados, informação(ões) classificada(s) em algum grau de sigilo?': 'SIM - Código Tributário Nacional, art. 198 (sigilo fiscal)' });
    expect(porTitulo['Planta Genérica de Valores']).toMatchObject({ 'Formato do arquivo': 'Mapa', Escala: '1:1.000', 'Sistemas de referência': 'SIRGAS 2000 / UTM 23S', 'Tipo(s) de representação': 'Vetorial' });
    expect(porTitulo['Índice de vulnerabilidade social por distrito']).toBeDefined();
    // SME did not take part: its entry is still published as it was (never deleted), and nothing internal leaks.
    expect(porTitulo['Escola On-Line (EOL) — matrículas']).toMatchObject({ Sigla: 'SME' });
    expect(csvPublicado).not.toMatch(/smads-bdc|educacao-eol|planejada/);
    // The same file under the campaign's own URL.
    expect((await request(app).get('/dados-abertos/cmbd/2026-2.csv').expect(200)).text).toBe(csvPublicado);
    await request(app).get('/dados-abertos/cmbd/2025-1.csv').expect(404);
  });

  it('JSON-LD: a DCAT catalogue with every dataset and the organs that did not take part', async () => {
    const r = await request(app).get('/dados-abertos/cmbd.jsonld').expect(200);
    expect(r.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    const cat = JSON.parse(r.text);
    expect(cat['@context']).toMatchObject({ dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/' });
    expect(cat).toMatchObject({ '@type': 'dcat:Catalog', 'cmbd:campanha': '2026-2', 'dct:language': 'pt-BR', 'cmbd:orgaosNaoParticipantes': [{ 'cmbd:sigla': 'SME', 'foaf:name': ORGAOS.SME }] });
    expect(cat['dcat:dataset']).toHaveLength(6);
    const ivs = cat['dcat:dataset'].find((d: Record<string, unknown>) => d['dct:identifier'] === ids['ivs']);
    expect(ivs).toMatchObject({ '@type': 'dcat:Dataset', 'dct:title': 'Índice de vulnerabilidade social por distrito', 'dcat:keyword': ['vulnerabilidade', 'distritos', 'indicadores'], 'dct:accrualPeriodicity': 'Anual', 'dct:publisher': { 'cmbd:sigla': 'SMADS' } });
    const iptu = cat['dcat:dataset'].find((d: Record<string, unknown>) => d['dct:identifier'] === ids['iptu']);
    expect(iptu).toMatchObject({ 'cmbd:situacao': 'INATIVA', 'cmbd:inativaDesde': { '@value': '2026-10-31' }, 'cmbd:sigilo': true });
    expect(r.text).not.toMatch(/fonteCarga|situacaoMigracao|smads-bdc/);
  });

  it('the personal-data report (internal) lists the bases with personal data and their migration status', async () => {
    const r = await request(app).get('/cmbd/relatorios/dados-pessoais').set(auth(cgm)).expect(200);
    expect(r.body).toMatchObject({ total: 2, porSituacao: { 'nao-iniciada': 0, planejada: 1, 'em-andamento': 1, concluida: 0 } });
    expect(r.body.bases.map((b: Record<string, unknown>) => [b['sigla'], b['fonteCarga'], b['situacaoMigracao'], b['cronogramaMigracao'], b['atrasada']])).toEqual([
      ['SMADS', 'smads-bdc', 'planejada', '2027-06-30', false],
      ['SME', 'educacao-eol', 'em-andamento', '2026-01-31', true],
    ]);
    const gestor = await tokens.emitir({ username: 'gestora', roles: ['gestor-cadastro'] });
    await request(app).get('/cmbd/relatorios/dados-pessoais').set(auth(gestor)).expect(200);
    await request(app).get('/cmbd/relatorios/dados-pessoais').set(auth(focal['SMADS'])).expect(403);
    await request(app).get('/cmbd/relatorios/dados-pessoais').expect(401);
  });
});

describe('round trip: the published CSV imported into an empty catalogue', () => {
  const manual = (b: Record<string, unknown>) => {
    const { id: _i, versao: _v, criadoEm: _c, atualizadoEm: _a, revisadaNaCampanha: _r, transferidaPara: _tp, transferidaDe: _td, possuiDadosPessoais: _p, fonteCarga: _f, situacaoMigracao: _s, cronogramaMigracao: _cm, ...resto } = b;
    return resto;
  };

  it('reproduces the same entries, and republishing gives the same CSV byte for byte', async () => {
    expect(await vazio.db.dataSource.query(`SELECT count(*)::int AS n FROM cmbd_base`)).toEqual([{ n: 0 }]);
    const imp = await request(vazio.app).post('/cmbd/importacao').set(auth(cgm)).set('content-type', 'text/csv; charset=utf-8').send(csvPublicado).expect(201);
    expect(imp.body).toEqual({ importadas: 6, orgaosCriados: expect.arrayContaining(['SMADS', 'SF', 'SME']) });

    const original = (await request(app).get('/cmbd/bases').set(auth(cgm)).expect(200)).body.map(manual);
    const importadas = (await request(vazio.app).get('/cmbd/bases').set(auth(cgm)).expect(200)).body.map(manual);
    expect(importadas).toEqual(original);

    await request(vazio.app).post('/cmbd/campanhas').set(auth(cgm)).send({ codigo: '2026-2', prazo: '2026-11-30' }).expect(201);
    await request(vazio.app).post('/cmbd/campanhas/2026-2/encerramento').set(auth(cgm)).expect(200);
    expect((await request(vazio.app).get('/dados-abertos/cmbd.csv').expect(200)).text).toBe(csvPublicado);
  });

  it('importing again refuses the duplicates and imports nothing; a bad row names its line', async () => {
    const antes = await vazio.db.dataSource.query(`SELECT count(*)::int AS n FROM cmbd_base`);
    const dup = await request(vazio.app).post('/cmbd/importacao').set(auth(cgm)).set('content-type', 'text/csv').send(csvPublicado).expect(409);
    expect(dup.body.message).toMatch(/^Importação recusada; nada foi importado\. linha 2\.titulo: Já existe no catálogo a base/);
    const linhas = csvPublicado.split('\r\n');
    const cras = linhas.find((l) => l.includes('assistência social; CRAS; atendimento'))!;
    const ruim = [linhas[0], cras.replace('assistência social; CRAS; atendimento', 'CRAS; atendimento')].join('\r\n');
    const r = await request(vazio.app).post('/cmbd/importacao').set(auth(cgm)).set('content-type', 'text/csv').send(ruim).expect(400);
    expect(r.body.details).toContainEqual({ path: 'linha 2.palavrasChave', message: 'Informe ao menos três palavras-chave distintas que ajudem a identificar o conteúdo da base' });
    const semColuna = await request(vazio.app).post('/cmbd/importacao').set(auth(cgm)).set('content-type', 'text/csv').send('Sigla,Título da Base\r\nSF,X\r\n').expect(400);
    expect(semColuna.body.details).toContainEqual({ path: 'csv', message: 'Coluna ausente: Órgão ou Entidade' });
    await request(vazio.app).post('/cmbd/importacao').set(auth(cgm)).set('content-type', 'text/csv').send('"a,b\n').expect(400);
    await request(vazio.app).post('/cmbd/importacao').set(auth(focal['SF'])).set('content-type', 'text/csv').send(csvPublicado).expect(403);
    expect(await vazio.db.dataSource.query(`SELECT count(*)::int AS n FROM cmbd_base`)).toEqual(antes);
  });
});
