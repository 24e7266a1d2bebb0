/**
 * The stewards' batch-load API end to end (real PostgreSQL, real Redis, real BullMQ worker running the real
 * `executarCarga`): who may call it, what it refuses (and that a refused request enqueues nothing), the idempotent
 * request, the job processed with its progress and diagnosis, a failed load retried by asking again, one load at a
 * time even with two workers, the page.
 *
 * The expected figures come from the small CSV files written below by hand (counted by hand, not by the code).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from 'bullmq';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../../test/helpers/app.js';
import { cpfAleatorio } from '../../../test/helpers/cpfs.js';
import { eventually } from '../../../../test/support/eventually.js';
import { usarRelogioDosTestes } from '../../../../test/support/relogio.js';
import { createApp } from '../../app.js';
import { executarCarga } from '../executar-carga.js';
import { criarWorkerCarga, limitarCargasSimultaneas } from './processador.js';

usarRelogioDosTestes();

const silencioso = pino({ level: 'silent' });
let t: AppDeTeste;
let entrada: string;
let fora: string;
let gestor: { Authorization: string };
const workers: Worker[] = [];

const CABECALHO = '"INSCRICAO";"CPF_CNPJ";"NOME_CONTRIBUINTE";"DATA_NASCIMENTO";"SEXO";"NOME_MAE";"EMAIL";"TELEFONE";"MUNICIPIO";"UF"';
const mascarar = (c: string) => `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}-${c.slice(9)}`;
const cpf1 = cpfAleatorio();
const cpf2 = cpfAleatorio();
const cpf3 = cpfAleatorio();
/** cpf3 with its last check digit changed: wrong check digits. */
const cpfDigitoErrado = `${cpf3.slice(0, 10)}${(Number(cpf3[10]) + 1) % 10}`;

/**
 * Six data rows of the Fazenda layout, counted by hand: 2 valid CPFs (one masked, one bare), 2 without a CPF (empty,
 * and the placeholder 000.000.000-00 of fazenda.yaml), 2 invalid (eleven equal digits; wrong check digit).
 */
const FAZENDA = [
  CABECALHO,
  `"1001";"${mascarar(cpf1)}";"MARIA DA SILVA";"04/03/1985";"F";"ANA DA SILVA";"";"";"SAO PAULO";"SP"`,
  `"1002";"${cpf2}";"JOSE SOUZA";"12/11/1970";"M";"";"";"";"SAO PAULO";"SP"`,
  `"1003";"";"JOAO SEM CPF";"01/01/2001";"M";"MARIA SEM CPF";"";"";"SAO PAULO";"SP"`,
  `"1004";"000.000.000-00";"ANA PLACEHOLDER";"02/02/1990";"F";"";"";"";"SAO PAULO";"SP"`,
  `"1005";"111.111.111-11";"PEDRO REPETIDO";"03/03/1960";"M";"";"";"";"SAO PAULO";"SP"`,
  `"1006";"${mascarar(cpfDigitoErrado)}";"LUCIA DIGITO";"05/05/1975";"F";"";"";"";"SAO PAULO";"SP"`,
  `"1007";"LINHA TRUNCADA"`,
].join('\n') + '\n';

const pedir = (corpo: unknown, auth: Record<string, string> = gestor) => request(t.app).post('/cargas').set(auth).send(corpo as object);

/** Starts a worker on the test's load queue (closed in afterAll). */
function iniciarWorker(executar?: typeof executarCarga): Worker {
  // A short stalled-job check: the check is throttled queue-wide by the last worker's interval (default 30 s).
  const w = criarWorkerCarga(t.config, { dataSource: t.db.dataSource, logger: silencioso, executar, intervaloProgressoMs: 0 }, { nome: t.nomeFilaCarga, stalledIntervalMs: 300 });
  workers.push(w);
  return w;
}

async function esperarSituacao(id: string, situacao: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const r = await request(t.app).get(`/cargas/${id}`).set(gestor).expect(200);
    expect(r.body.situacao).toBe(situacao);
    return r.body as Record<string, unknown>;
  }, { timeoutMs: 60_000 });
}

beforeAll(async () => {
  entrada = await mkdtemp(join(tmpdir(), 'lum-carga-entrada-'));
  fora = await mkdtemp(join(tmpdir(), 'lum-carga-fora-'));
  t = await criarAppDeTeste('cargas', { env: { CARGA_DIRETORIO: entrada } });
  gestor = { Authorization: `Bearer ${await t.tokens.gestor()}` };
  await writeFile(join(entrada, 'fazenda-2026-11.csv'), FAZENDA);
  await writeFile(join(entrada, 'fazenda-sem-colunas.csv'), '"INSCRICAO";"NOME"\n"1";"X"\n');
  // A spreadsheet saved with a .csv name: a ZIP (an .xlsx is one), not text.
  await writeFile(join(entrada, 'fazenda-planilha.csv'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.from(FAZENDA)]));
  await mkdir(join(entrada, 'uma-pasta'));
  await writeFile(join(fora, 'segredo.csv'), FAZENDA);
  await symlink(join(fora, 'segredo.csv'), join(entrada, 'atalho.csv'));
});

afterAll(async () => {
  for (const w of workers) await w.close();
  await t?.fechar();
  await rm(entrada, { recursive: true, force: true });
  await rm(fora, { recursive: true, force: true });
});

describe('who may use the load routes', () => {
  const rotas: [string, string, unknown?][] = [
    ['post', '/cargas', { fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv' }],
    ['get', '/cargas'],
    ['get', '/cargas/diagnostico'],
    ['get', '/cargas/painel'],
    ['get', '/cargas/carga-fazenda-0123456789abcdef'],
    ['get', '/revisoes-vinculo'],
    ['post', '/revisoes-vinculo/1/resolver', { resolucao: 'mesma-pessoa', justificativa: 'Documentos conferidos.' }],
    ['get', '/identidades/1'],
    ['post', '/identidades/1/fundir', { com: '2', justificativa: 'Documentos conferidos.' }],
    ['post', '/identidades/1/separar', { linhas: [{ fonte: 'bdc', chave: '1' }], justificativa: 'Documentos conferidos.' }],
  ];

  it('no token → 401; a citizen, an organ steward (gestor-saude) → 403, with the error body; nothing enqueued', async () => {
    const saude = { Authorization: `Bearer ${await t.tokens.emitir({ username: 'gestor.saude', roles: ['gestor-saude'] })}` };
    const cidadao = { Authorization: `Bearer ${await t.tokens.cidadao()}` };
    const obtido: string[] = [];
    for (const [metodo, url, corpo] of rotas) {
      for (const [quem, auth] of [['anonimo', {}], ['cidadao', cidadao], ['saude', saude]] as const) {
        let req = request(t.app)[metodo as 'get'](url).set(auth);
        if (corpo !== undefined) req = req.send(corpo as object);
        const r = await req;
        obtido.push(`${metodo.toUpperCase()} ${url} ${quem} ${r.status} ${r.body.error}`);
      }
    }
    expect(obtido).toEqual(rotas.flatMap(([m, u]) => [
      `${m.toUpperCase()} ${u} anonimo 401 NaoAutenticado`, `${m.toUpperCase()} ${u} cidadao 403 Proibido`, `${m.toUpperCase()} ${u} saude 403 Proibido`,
    ]));
    expect(await t.filaCarga.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0, failed: 0 });
  });
});

describe('POST /cargas refuses what it cannot load (4xx, pt-BR, nothing enqueued)', () => {
  it.each([
    ['an unknown field', { fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv', prioridade: 1 }, 400, 'Campo não permitido: prioridade'],
    ['no fonte', { arquivo: 'fazenda-2026-11.csv' }, 400, 'fonte é obrigatória'],
    ['a number as arquivo', { fonte: 'fazenda', arquivo: 7 }, 400, 'arquivo deve ser texto'],
    ['an unknown source', { fonte: 'cartorio', arquivo: 'fazenda-2026-11.csv' }, 400, 'fonte desconhecida: “cartorio”; use uma de: bdc, eol, fazenda, outros, siga'],
    ['a path going up', { fonte: 'fazenda', arquivo: '../segredo.csv' }, 400, 'arquivo deve ser só o nome de um arquivo do diretório de entrada, sem “/” nem “\\” (caminhos não são aceitos)'],
    ['an absolute path', { fonte: 'fazenda', arquivo: '/etc/passwd' }, 400, 'arquivo deve ser só o nome de um arquivo do diretório de entrada, sem “/” nem “\\” (caminhos não são aceitos)'],
    ['a Windows-style path', { fonte: 'fazenda', arquivo: '..\\segredo.csv' }, 400, 'arquivo deve ser só o nome de um arquivo do diretório de entrada, sem “/” nem “\\” (caminhos não são aceitos)'],
    ['“..” alone', { fonte: 'fazenda', arquivo: '..' }, 400, 'arquivo não pode começar com “.” (nem “..”, nem arquivo oculto)'],
    ['a control character', { fonte: 'fazenda', arquivo: 'a\nb.csv' }, 400, 'arquivo não pode conter caracteres de controle'],
    ['a file that is not there', { fonte: 'fazenda', arquivo: 'nao-existe.csv' }, 404, 'Arquivo “nao-existe.csv” não encontrado no diretório de entrada da carga'],
    ['a directory', { fonte: 'fazenda', arquivo: 'uma-pasta' }, 422, '“uma-pasta” não é um arquivo comum (diretório, dispositivo ou fila): recusado'],
    ['a symlink leading out of the inbox', { fonte: 'fazenda', arquivo: 'atalho.csv' }, 422, 'O arquivo “atalho.csv” aponta para fora do diretório de entrada da carga: recusado'],
  ])('%s', async (_caso, corpo, status, mensagem) => {
    const r = await pedir(corpo);
    expect({ status: r.status, message: r.body.message }).toEqual({ status, message: mensagem });
    expect(r.body).toEqual({ error: expect.any(String), message: mensagem, id: expect.any(String), details: expect.any(Array) });
    expect(await t.filaCarga.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0, failed: 0 });
  });

  it('an inbox that does not exist → 404 naming CARGA_DIRETORIO', async () => {
    const outro = await criarAppDeTeste('cargas-sem-entrada', { env: { CARGA_DIRETORIO: join(entrada, 'nao-existe') } });
    try {
      const r = await request(outro.app).post('/cargas').set({ Authorization: `Bearer ${await outro.tokens.gestor()}` }).send({ fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv' });
      expect({ status: r.status, message: r.body.message }).toEqual({
        status: 404, message: 'O diretório de entrada da carga (CARGA_DIRETORIO) não existe neste servidor: peça à operação que o crie e deposite o arquivo nele',
      });
    } finally {
      await outro.fechar();
    }
  });

  it('an app wired without the load queue answers 503 (never a silent success)', async () => {
    const semFila = createApp({ config: t.config, dataSource: t.db.dataSource, sync: t.sync, verificarToken: t.tokens.verificador, logger: silencioso });
    const r = await request(semFila).post('/cargas').set(gestor).send({ fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv' });
    expect({ status: r.status, error: r.body.error, message: r.body.message }).toEqual({ status: 503, error: 'Indisponivel', message: 'A fila de cargas não está configurada neste processo da API' });
  });
});

describe('a load requested, queued once, processed by the worker', () => {
  let id: string;

  it('202 with the request id and a Location; the same file asked again is the same request', async () => {
    const r = await pedir({ fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv' }).expect(202);
    id = r.body.id;
    expect(id).toMatch(/^carga-fazenda-[0-9a-f]{16}$/);
    expect(r.headers['location']).toBe(`/cargas/${id}`);
    expect(r.body).toMatchObject({ resultado: 'novo', fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv', bytes: Buffer.byteLength(FAZENDA), situacao: 'aguardando', solicitadaPor: 'gestora.maria', carga: null, progresso: null });
    const de_novo = await pedir({ fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv' }).expect(202);
    expect({ id: de_novo.body.id, resultado: de_novo.body.resultado }).toEqual({ id, resultado: 'existente' });
    expect(await t.filaCarga.getJobCounts()).toMatchObject({ waiting: 1, active: 0 });
    const lido = await request(t.app).get(`/cargas/${id}`).set(gestor).expect(200);
    expect(lido.body).toMatchObject({ id, situacao: 'aguardando', iniciadaEm: null, terminadaEm: null, erro: null });
    const lista = await request(t.app).get('/cargas').set(gestor).expect(200);
    expect(lista.body.naFila.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it('the worker runs it: progress, the load row, and the diagnosis of the hand-counted rows', async () => {
    iniciarWorker();
    const feito = await esperarSituacao(id, 'concluida');
    expect(feito['progresso']).toEqual({ fase: 'concluida', feitas: 7, total: 7 });
    expect(feito['erro']).toBeNull();
    const carga = feito['carga'] as Record<string, unknown> & { diagnostico: Record<string, unknown> };
    expect(carga).toMatchObject({ fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv', situacao: 'concluida', fase: 'concluida', iniciadaPor: 'gestora.maria', cmbd: { sigla: 'SF', fonteCarga: 'fazenda' } });
    // Holds with any real pipeline: seven data rows read, the last one truncated, two without a CPF, two invalid (one
    // per reason).
    expect(carga.diagnostico).toMatchObject({ registrosLidos: 7, linhasIlegiveis: { total: 1, porMotivo: { colunas: 1, codificacao: 0 }, primeiras: [{ linha: 7, motivo: 'colunas' }] }, semCpf: 2, cpfsInvalidos: { linhas: 2, porMotivo: { repetido: { valoresDistintos: 1, linhas: 1 }, digito: { valoresDistintos: 1, linhas: 1 } } } });
    // The contract: exactly the source document's categories, all counts.
    expect(Object.keys(carga.diagnostico).sort()).toEqual([
      'casadosSemCpf', 'chavesDuplicadas', 'cpfDeOutraPessoa', 'cpfsDevolvidosAoTitular', 'cpfsInvalidos', 'cpfsUnicos', 'cpfsValidos', 'emQuarentena', 'fundidos', 'inalterados', 'itensDeRevisaoAbertos',
      'linhasIlegiveis', 'novasIdentidades', 'pendentes', 'registrosLidos', 'semChave', 'semCpf',
    ]);
    const [linha] = await t.db.dataSource.query(`SELECT situacao, iniciada_por, cmbd_sigla, cmbd_fonte_carga FROM carga WHERE id = $1`, [carga['id']]);
    expect(linha).toEqual({ situacao: 'concluida', iniciada_por: 'gestora.maria', cmbd_sigla: 'SF', cmbd_fonte_carga: 'fazenda' });
  });

  it('GET /cargas lists it with its diagnosis; the queue is empty', async () => {
    const r = await request(t.app).get('/cargas?fonte=fazenda').set(gestor).expect(200);
    expect(r.body.itens).toHaveLength(1);
    expect(r.body.itens[0]).toMatchObject({ fonte: 'fazenda', situacao: 'concluida', diagnostico: { registrosLidos: 7 } });
    expect(r.body.naFila).toEqual([]);
    expect(r.body).toMatchObject({ limit: 20, offset: 0, proximoOffset: null });
    expect((await request(t.app).get('/cargas?fonte=bdc').set(gestor).expect(200)).body.itens).toEqual([]);
    expect((await request(t.app).get('/cargas?fonte=../x').set(gestor).expect(400)).body.message).toBe('fonte deve ser o nome de um mapeamento (letras minúsculas, dígitos e hífen)');
    expect((await request(t.app).get('/cargas?pagina=2').set(gestor).expect(400)).body.message).toBe('Parâmetro não permitido: pagina');
  });

  it('GET /cargas/diagnostico: the whole base (the one load so far) in the categories', async () => {
    const r = await request(t.app).get('/cargas/diagnostico').set(gestor).expect(200);
    const d = r.body.diagnostico;
    // Counted by hand from FAZENDA: two valid CPFs (rows 1001, 1002), two without (1003 empty, 1004 placeholder), two
    // invalid distinct values (1005 repeated digits, 1006 wrong check digit); the valid ones merged by CPF.
    expect(d).toMatchObject({ registrosLidos: 6, cpfsUnicos: 4, cpfsValidos: 2, cpfsInvalidos: { valoresDistintos: 2, linhas: 2 }, semCpf: 2, fundidos: 2 });
    // The whole base has no per-load counts.
    expect(Object.keys(d).sort()).toEqual([
      'casadosSemCpf', 'cpfDeOutraPessoa', 'cpfsDevolvidosAoTitular', 'cpfsInvalidos', 'cpfsUnicos', 'cpfsValidos', 'emQuarentena', 'fundidos', 'itensDeRevisaoAbertos', 'pendentes', 'registrosLidos', 'semCpf',
    ]);
    expect(r.body.geradoEm).toMatch(/^2026-11-16T/);
  });

  it('bad request ids → 400; an unknown one → 404', async () => {
    expect((await request(t.app).get('/cargas/123').set(gestor).expect(400)).body.details).toEqual([{ path: 'id', message: 'id deve ser o de um pedido de carga, como devolvido por POST /cargas (ex.: carga-bdc-0123456789abcdef)' }]);
    expect((await request(t.app).get('/cargas/carga-bdc-0123456789abcdef').set(gestor).expect(404)).body.error).toBe('NaoEncontrado');
  });

  it('asked again once complete: a new run of the same request (a second load of an unchanged file)', async () => {
    const r = await pedir({ fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv' }).expect(202);
    expect({ id: r.body.id, resultado: r.body.resultado }).toEqual({ id, resultado: 'novo' });
    const feito = await esperarSituacao(id, 'concluida');
    expect((feito['carga'] as { diagnostico: { registrosLidos: number } }).diagnostico.registrosLidos).toBe(7);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM carga WHERE fonte = 'fazenda' AND situacao = 'concluida'`);
    expect(n).toBe(2);
  });

  it('every read and write of these routes is audited, by the steward', async () => {
    const linhas = await t.db.dataSource.query(`SELECT DISTINCT acao FROM auditoria WHERE ator = 'gestora.maria' AND acao LIKE 'carga.%' ORDER BY acao`);
    // carga.fundida: the load's own write (the merge phase), attributed to the steward who asked for it.
    expect(linhas.map((l: { acao: string }) => l.acao)).toEqual(['carga.diagnostico-lido', 'carga.fundida', 'carga.listada', 'carga.pedido-lido', 'carga.solicitada']);
    const [solicitada] = await t.db.dataSource.query(`SELECT detalhe FROM auditoria WHERE acao = 'carga.solicitada' ORDER BY id LIMIT 1`);
    expect(solicitada.detalhe).toMatchObject({ pedido: id, fonte: 'fazenda', arquivo: 'fazenda-2026-11.csv', bytes: Buffer.byteLength(FAZENDA) });
  });
});

describe('a failed load', () => {
  it('shows its error; asking for the same file again puts it back in the queue (the load resumes there)', async () => {
    const r = await pedir({ fonte: 'fazenda', arquivo: 'fazenda-sem-colunas.csv' }).expect(202);
    const falhou = await esperarSituacao(r.body.id, 'falhou');
    expect(falhou['erro']).toContain('CPF_CNPJ');
    expect(falhou['terminadaEm']).toEqual(expect.any(String));
    const de_novo = await pedir({ fonte: 'fazenda', arquivo: 'fazenda-sem-colunas.csv' }).expect(202);
    expect({ id: de_novo.body.id, resultado: de_novo.body.resultado }).toEqual({ id: r.body.id, resultado: 'retomado' });
    await esperarSituacao(r.body.id, 'falhou');
    const job = await t.filaCarga.getJob(r.body.id);
    expect(job?.attemptsStarted).toBe(2);
  });

  it('a spreadsheet in the inbox: the request fails saying what the file is and what to do, and no load is recorded', async () => {
    const antes = await t.db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM carga`);
    const r = await pedir({ fonte: 'fazenda', arquivo: 'fazenda-planilha.csv' }).expect(202);
    const falhou = await esperarSituacao(r.body.id, 'falhou');
    expect(falhou['erro']).toMatch(/fazenda-planilha\.csv é um arquivo ZIP \(ou uma planilha \.xlsx\/\.ods, que são ZIP\); a carga lê texto delimitado \(CSV, TXT, TSV\), puro ou compactado com gzip \(\.gz\): .*exporte a planilha como CSV$/);
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM carga`)).toEqual(antes);
  });
});

describe('one load at a time', () => {
  it('two worker processes, three files: never two loads running at once', async () => {
    await limitarCargasSimultaneas(t.config, { nome: t.nomeFilaCarga });
    expect(await t.filaCarga.getGlobalConcurrency()).toBe(1);
    for (const w of workers.splice(0)) await w.close();
    let emCurso = 0;
    let maximo = 0;
    const vigiado: typeof executarCarga = async (...args) => {
      emCurso += 1;
      maximo = Math.max(maximo, emCurso);
      try {
        // Long enough that a second load would start meanwhile if anything allowed it.
        await new Promise((r) => setTimeout(r, 400));
        return await executarCarga(...args);
      } finally {
        emCurso -= 1;
      }
    };
    const nomes = ['paralelo-a.csv', 'paralelo-b.csv', 'paralelo-c.csv'];
    for (const [i, nome] of nomes.entries()) await writeFile(join(entrada, nome), FAZENDA.replace(/"10(\d\d)"/g, `"3${i}$1"`));
    const ids: string[] = [];
    for (const nome of nomes) ids.push((await pedir({ fonte: 'fazenda', arquivo: nome }).expect(202)).body.id);
    iniciarWorker(vigiado);
    iniciarWorker(vigiado);
    for (const id of ids) await esperarSituacao(id, 'concluida');
    expect(maximo).toBe(1);
  });

  it('a changed file (new size or modification time) is a new request', async () => {
    const caminho = join(entrada, 'paralelo-a.csv');
    const antes = (await pedir({ fonte: 'fazenda', arquivo: 'paralelo-a.csv' }).expect(202)).body.id;
    await esperarSituacao(antes, 'concluida');
    await utimes(caminho, new Date('2026-11-10T10:00:00Z'), new Date('2026-11-10T10:00:00Z'));
    const depois = (await pedir({ fonte: 'fazenda', arquivo: 'paralelo-a.csv' }).expect(202)).body.id;
    expect(depois).not.toBe(antes);
    await esperarSituacao(depois, 'concluida');
  });
});

describe('a worker that dies during a load', () => {
  it('its job goes back to the queue once its lock expires, and the next worker runs the load to the end', async () => {
    for (const w of workers.splice(0)) await w.close();
    await writeFile(join(entrada, 'interrompida.csv'), FAZENDA.replace(/"10(\d\d)"/g, '"40$1"'));
    let comecou!: () => void;
    const comecouP = new Promise<void>((r) => (comecou = r));
    let soltar!: () => void;
    const preso = new Promise<void>((r) => (soltar = r));
    // The first worker "dies" in the middle of the load: it stops (forced close) and never finishes its run.
    const morre = criarWorkerCarga(t.config, {
      dataSource: t.db.dataSource, logger: silencioso,
      executar: async () => {
        comecou();
        await preso;
        throw new Error('worker morto');
      },
    }, { nome: t.nomeFilaCarga, lockDurationMs: 1000, stalledIntervalMs: 300 });
    const id = (await pedir({ fonte: 'fazenda', arquivo: 'interrompida.csv' }).expect(202)).body.id as string;
    await comecouP;
    await morre.close(true);
    iniciarWorker();
    const feito = await esperarSituacao(id, 'concluida');
    soltar();
    expect((feito['carga'] as { diagnostico: { registrosLidos: number } }).diagnostico.registrosLidos).toBe(7);
    const job = await t.filaCarga.getJob(id);
    expect(job?.attemptsStarted).toBe(2);
  });
});

describe('the stewards\' page', () => {
  it('pt-BR HTML with a CSP allowing only its own inline style; the loads and the base diagnosis in it; audited', async () => {
    const r = await request(t.app).get('/cargas/painel').set(gestor).expect(200).expect('content-type', /text\/html/);
    expect(r.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(r.text).toContain('<html lang="pt-BR">');
    expect(r.text).toContain('<h2 id="titulo-base">Diagnóstico de toda a base</h2>');
    expect(r.text).toContain('fazenda-2026-11.csv');
    expect(r.text).toContain('<th scope="col" class="n">Linhas ilegíveis (colunas a mais ou a menos, codificação)</th>');
    expect(r.text).toContain('<td class="n">1 — linha 7 (colunas)</td>');
    expect(r.text).not.toContain('<script');
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM auditoria WHERE acao = 'carga.painel-lido' AND ator = 'gestora.maria'`);
    expect(n).toBe(1);
  });
});
