/**
 * The knowledge check against the real API, PostgreSQL and Redis (local tokens): a self-registered citizen (level 1,
 * declared CPF) answers questions drawn from the master record and reaches level 3 through evidence `conhecimento`;
 * brute force is impossible (lock after 3 failed checks for 24 h on the domain clock, rate limit per account and per
 * IP, a right answer refused while locked), a wrong answer says nothing about which one was wrong, answers never
 * reach the logs or the audit trail, checks expire, and a CPF without a usable record gets one neutral message.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { contagens, criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { createApp } from '../app.js';
import { verificarCadeia } from '../auditoria/cadeia.js';
import { relogioFixo, usarRelogio, type Relogio } from '../relogio.js';

/** The domain clock of this file: fixed, moved by the tests. */
const INICIO = new Date('2026-11-16T12:00:00-03:00').getTime();
let deslocamentoMs = 0;
const relogioDoTeste: Relogio = { agora: () => new Date(INICIO + deslocamentoMs), hoje: () => relogioFixo(new Date(INICIO + deslocamentoMs)).hoje() };

const linhasDeLog: string[] = [];
let t: AppDeTeste;
let gestor: string;
let restaurarRelogio: () => void;

beforeAll(async () => {
  restaurarRelogio = usarRelogio(relogioDoTeste);
  const destino = new Writable({
    write(chunk: Buffer, _enc, feito) {
      linhasDeLog.push(chunk.toString('utf8'));
      feito();
    },
  });
  t = await criarAppDeTeste('conhecimento', { deps: { logger: pino({ level: 'debug' }, destino), conhecimento: { prefixo: `teste-conhecimento-${randomBytes(4).toString('hex')}` } } });
  gestor = await t.tokens.gestor();
});
afterAll(async () => {
  restaurarRelogio?.();
  await t?.fechar();
});

/** The record's values, written here by hand, and the texts the check must show for them. */
const REGISTRO = {
  nome: 'Joana Batista Ferreira',
  dataNascimento: '1984-07-19',
  nomeMae: 'Conceição Aparecida Ferreira',
  localNascimento: { municipio: 'Campina Grande', uf: 'PB' },
};
const ENDERECO_ANTIGO = { cep: '03081000', logradouro: 'Rua Tuiuti', numero: '120', bairro: 'Tatuapé', municipio: 'São Paulo', uf: 'SP' };
const ENDERECO_ATUAL = { cep: '04101300', logradouro: 'Rua Vergueiro', numero: '3185', bairro: 'Vila Mariana', municipio: 'São Paulo', uf: 'SP' };
const CERTAS: Record<string, string> = {
  dataNascimento: '19/07/1984',
  nomeMae: 'CONCEICAO APARECIDA FERREIRA',
  enderecoAnterior: 'RUA TUIUTI',
  localNascimento: 'CAMPINA GRANDE/PB',
};

interface Cidadao { sub: string; cpf: string; token: string }
interface Pergunta { id: string; campo: string; enunciado: string; opcoes: { id: string; texto: string }[] }

/** A master record written by a steward (source `gestor`), then its address replaced (the old one becomes history). */
async function registro(cpf: string, campos: Record<string, unknown> = REGISTRO, mudarEndereco = true): Promise<void> {
  const criado = await request(t.app).post('/pessoas').set('authorization', `Bearer ${gestor}`).send({ cpf, ...campos, enderecos: [ENDERECO_ANTIGO] });
  expect(criado.status).toBe(201);
  if (mudarEndereco) {
    await request(t.app).patch(`/pessoas/${cpf}`).set('authorization', `Bearer ${gestor}`).set('if-match', criado.headers.etag)
      .send({ enderecos: [ENDERECO_ATUAL] }).expect(200);
  }
}

/** A self-registered account at level 1 that declares `cpf` (as the REGISTER event leaves it). */
async function cidadao(cpf: string = cpfAleatorio(), comRegistro = true): Promise<Cidadao> {
  if (comRegistro) await registro(cpf);
  const sub = randomUUID();
  await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, nivel_confianca) VALUES ($1, $2, $3, 1)`, [sub, cpf, cpf]);
  const token = await t.tokens.emitir({ sub, username: cpf, roles: ['cidadao'], azp: 'portal-cidadao', extra: { cpf } });
  return { sub, cpf, token };
}

const iniciar = (c: Cidadao, app = t.app) => request(app).post('/me/verificacao-conhecimento').set('authorization', `Bearer ${c.token}`);
const responder = (c: Cidadao, id: string, respostas: { pergunta: string; opcao: string }[], app = t.app) =>
  request(app).post(`/me/verificacao-conhecimento/${id}/respostas`).set('authorization', `Bearer ${c.token}`).send({ respostas });

/** The right option of each question, found by the texts written above (not by reading the stored answer key). */
function certas(perguntas: Pergunta[]): { pergunta: string; opcao: string }[] {
  return perguntas.map((p) => ({ pergunta: p.id, opcao: p.opcoes.find((o) => o.texto === CERTAS[p.campo])!.id }));
}
/** Right everywhere except question `errada` (index). */
function erradaNa(perguntas: Pergunta[], errada: number): { pergunta: string; opcao: string }[] {
  return certas(perguntas).map((r, i) => (i === errada ? { ...r, opcao: perguntas[i].opcoes.find((o) => o.id !== r.opcao)!.id } : r));
}

describe('a self-registered citizen passes the check', () => {
  it('four questions from the record (provenance: steward), right answers → evidence conhecimento, account tied, level 3, sync enqueued, audited', async () => {
    const c = await cidadao();
    const inicio = await iniciar(c).expect(201);
    expect(inicio.body).toEqual({ id: expect.any(String), expiraEm: new Date(INICIO + deslocamentoMs + 10 * 60_000).toISOString(), perguntas: expect.any(Array), tentativasRestantes: 3 });
    const perguntas = inicio.body.perguntas as Pergunta[];
    expect(perguntas.map((p) => p.campo)).toEqual(['dataNascimento', 'nomeMae', 'enderecoAnterior', 'localNascimento']);
    for (const p of perguntas) {
      expect(p.opcoes).toHaveLength(5);
      expect(p.opcoes.filter((o) => o.texto === CERTAS[p.campo])).toHaveLength(1);
    }
    // the current address is never offered as a distractor of "a past address"
    expect(perguntas[2].opcoes.map((o) => o.texto)).not.toContain('RUA VERGUEIRO');
    // the response carries no answer key
    expect(JSON.stringify(inicio.body)).not.toMatch(/gabarito|correta|certa/);

    const res = await responder(c, inicio.body.id, certas(perguntas)).expect(200);
    expect(res.body).toEqual({
      aprovada: true, mensagem: 'Respostas conferidas: sua conta foi vinculada ao seu registro no cadastro base.', nivelConfianca: 3,
      tentativasRestantes: 3, bloqueadaAte: null, sincronizacao: { jobId: expect.any(String) },
    });
    const [conta] = await t.db.dataSource.query(`SELECT pessoa_cpf, nivel_confianca, nivel_versao FROM conta WHERE keycloak_user_id = $1`, [c.sub]);
    expect(conta).toEqual({ pessoa_cpf: c.cpf, nivel_confianca: 3, nivel_versao: 1 });
    const evidencias = await t.db.dataSource.query(`SELECT tipo, pessoa_cpf, registrado_por, detalhe FROM evidencia WHERE conta_id = $1`, [c.sub]);
    expect(evidencias).toEqual([{ tipo: 'conhecimento', pessoa_cpf: c.cpf, registrado_por: 'verificacao-conhecimento', detalhe: { verificacaoId: inicio.body.id, campos: ['dataNascimento', 'nomeMae', 'enderecoAnterior', 'localNascimento'] } }]);
    const job = await t.sync.fila.getJob(res.body.sincronizacao.jobId);
    // the outbox row written with the level change is what the job delivers
    const [saida] = await t.db.dataSource.query(`SELECT id::text AS id, versao, motivo FROM sincronizacao_saida WHERE conta_id = $1 AND motivo = 'nivel'`, [c.sub]);
    expect(saida).toEqual({ id: expect.any(String), versao: 1, motivo: 'nivel' });
    expect(job?.data).toEqual({ saidaId: saida.id, contaId: c.sub, versao: 1 });
    // the citizen now reads their record
    const me = await request(t.app).get('/me').set('authorization', `Bearer ${c.token}`).expect(200);
    expect(me.body.conta).toEqual({ nivelConfianca: 3, vinculada: true, evidencias: [{ tipo: 'conhecimento', registradoEm: expect.any(String) }] });
    expect(me.body.pessoa).toMatchObject({ cpf: c.cpf, nomeMae: REGISTRO.nomeMae });
    const auditoria = await t.db.dataSource.query(`SELECT acao, pessoa_cpf, campos, finalidade FROM auditoria WHERE detalhe->>'contaId' = $1 ORDER BY id`, [c.sub]);
    expect(auditoria.slice(0, 2)).toEqual([
      { acao: 'conhecimento.iniciada', pessoa_cpf: c.cpf, campos: ['dataNascimento', 'nomeMae', 'enderecoAnterior', 'localNascimento'], finalidade: 'verificacao-conhecimento' },
      { acao: 'conta.vinculo-conhecimento', pessoa_cpf: c.cpf, campos: ['pessoa_cpf', 'nivel_confianca'], finalidade: 'verificacao-conhecimento' },
    ]);
    // once tied, there is nothing left to check
    const depois = await iniciar(c).expect(409);
    expect(depois.body.message).toContain('já está vinculada');
  });

  it('starting again shows the same questions and options in the same order (nothing to learn from restarting)', async () => {
    const c = await cidadao();
    const a = await iniciar(c).expect(201);
    const b = await iniciar(c).expect(201);
    expect(b.body.perguntas).toEqual(a.body.perguntas);
    expect(b.body.id).not.toBe(a.body.id);
    // the replaced check can no longer be answered
    await responder(c, a.body.id, certas(a.body.perguntas)).expect(409);
  });

  it('values the citizen declared, or of unknown origin, are never asked', async () => {
    const c = await cidadao();
    // the provenance of two values rewritten: the citizen's own word (`autodeclarado`), and no known source (`legado`)
    await t.db.dataSource.query(`UPDATE valor_campo SET fonte = 'autodeclarado' WHERE chave = $1 AND campo = 'nomeMae'`, [c.cpf]);
    const inicio = await iniciar(c).expect(201);
    expect((inicio.body.perguntas as Pergunta[]).map((p) => p.campo)).toEqual(['dataNascimento', 'enderecoAnterior', 'localNascimento']);
    await t.db.dataSource.query(`UPDATE valor_campo SET fonte = 'legado' WHERE chave = $1 AND campo = 'localNascimento'`, [c.cpf]);
    // two facts left: fewer than three, no check
    await iniciar(c).expect(422);
  });
});

describe('no record, or not a usable one: one neutral pt-BR answer', () => {
  const NEUTRA = 'Não é possível fazer a verificação por perguntas para a sua conta: o cadastro base não tem, para o CPF informado na conta, ' +
    'dados suficientes com origem confirmada. Para elevar o nível de confiança, entre com gov.br ou procure um posto Descomplica com um documento oficial com foto.';

  it('no record, a deceased person, an inactive record, too few facts, a record tied to another account: the same 422, no check written', async () => {
    const semRegistro = await cidadao(cpfAleatorio(), false);
    const falecida = await cidadao();
    await t.db.dataSource.query(`UPDATE pessoa SET obito = true WHERE cpf = $1`, [falecida.cpf]);
    const inativa = await cidadao();
    await t.db.dataSource.query(`UPDATE pessoa SET situacao = 'inativa' WHERE cpf = $1`, [inativa.cpf]);
    const poucosDados = cpfAleatorio();
    await registro(poucosDados, { nome: 'Rui Lima', dataNascimento: '1970-01-02' }, false);
    const comPoucos = await cidadao(poucosDados, false);
    const jaDeOutra = await cidadao();
    await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca) VALUES ($1, 'outra', $2, $2, 3)`, [randomUUID(), jaDeOutra.cpf]);

    const antes = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM verificacao_conhecimento`);
    const corpos = [];
    for (const c of [semRegistro, falecida, inativa, comPoucos, jaDeOutra]) {
      const res = await iniciar(c).expect(422);
      corpos.push({ ...res.body, id: 'x' });
    }
    expect(corpos).toEqual(Array(5).fill({ error: 'RegraDeNegocioViolada', message: NEUTRA, id: 'x', details: [] }));
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM verificacao_conhecimento`)).toEqual(antes);
    // the refusal read the record: audited (without naming why)
    const [linha] = await t.db.dataSource.query(`SELECT acao, detalhe FROM auditoria WHERE detalhe->>'contaId' = $1`, [semRegistro.sub]);
    expect(linha).toEqual({ acao: 'conhecimento.indisponivel', detalhe: { contaId: semRegistro.sub } });
  });

  it('an account without a declared CPF is told so (it is about the account, not a record)', async () => {
    const sub = randomUUID();
    await t.db.dataSource.query(`INSERT INTO conta (keycloak_user_id, username, nivel_confianca) VALUES ($1, 'sem.cpf', 1)`, [sub]);
    const token = await t.tokens.emitir({ sub, username: 'sem.cpf', roles: ['cidadao'] });
    const res = await request(t.app).post('/me/verificacao-conhecimento').set('authorization', `Bearer ${token}`).expect(422);
    expect(res.body.message).toBe('Sua conta não tem CPF informado: informe o CPF na conta antes da verificação por perguntas');
  });
});

describe('brute force is impossible', () => {
  it('3 failed checks lock the account for 24 h: new checks and even right answers are refused; after 24 h it works again', async () => {
    const c = await cidadao();
    const esperadas = [
      { tentativasRestantes: 2, bloqueadaAte: null },
      { tentativasRestantes: 1, bloqueadaAte: null },
      { tentativasRestantes: 0, bloqueadaAte: new Date(INICIO + deslocamentoMs + 24 * 3600_000).toISOString() },
    ];
    let ultima = '';
    let perguntas: Pergunta[] = [];
    for (const [i, esperada] of esperadas.entries()) {
      const inicio = await iniciar(c).expect(201);
      expect(inicio.body.tentativasRestantes).toBe(3 - i);
      ultima = inicio.body.id;
      perguntas = inicio.body.perguntas;
      const res = await responder(c, ultima, erradaNa(perguntas, i)).expect(200);
      expect(res.body).toEqual({ aprovada: false, mensagem: 'As respostas não conferem com o cadastro base.', nivelConfianca: 1, sincronizacao: null, ...esperada });
    }
    const bloqueada = await iniciar(c).expect(429);
    expect(bloqueada.headers['retry-after']).toBe('86400');
    expect(bloqueada.body).toMatchObject({ error: 'MuitasTentativas', message: expect.stringContaining('bloqueada após 3 tentativas sem sucesso: tente novamente depois de 17/11/2026, 12:00') });
    // the right answers to the last check: refused while locked (and nothing written)
    const antes = await contagens(t.db);
    await responder(c, ultima, certas(perguntas)).expect(429);
    expect(await contagens(t.db)).toEqual(antes);
    deslocamentoMs += 23 * 3600_000;
    await iniciar(c).expect(429);
    const [conta] = await t.db.dataSource.query(`SELECT nivel_confianca, pessoa_cpf FROM conta WHERE keycloak_user_id = $1`, [c.sub]);
    expect(conta).toEqual({ nivel_confianca: 1, pessoa_cpf: null });
    // 24 h after the lock: a new check, the same options, and the right answers pass
    deslocamentoMs += 3600_000;
    const denovo = await iniciar(c).expect(201);
    expect(denovo.body.tentativasRestantes).toBe(3);
    expect(denovo.body.perguntas).toEqual(perguntas);
    const ok = await responder(c, denovo.body.id, certas(denovo.body.perguntas)).expect(200);
    expect(ok.body).toMatchObject({ aprovada: true, nivelConfianca: 3 });
    const acoes = await t.db.dataSource.query(`SELECT acao, detalhe->>'falhas' AS falhas FROM auditoria WHERE detalhe->>'contaId' = $1 AND acao = 'conhecimento.reprovada' ORDER BY id`, [c.sub]);
    expect(acoes).toEqual([{ acao: 'conhecimento.reprovada', falhas: '1' }, { acao: 'conhecimento.reprovada', falhas: '2' }, { acao: 'conhecimento.reprovada', falhas: '3' }]);
  });

  it('the rate limit engages per account and per IP (429 with Retry-After), before anything is read', async () => {
    const prefixo = `teste-limite-${randomBytes(4).toString('hex')}`;
    const app = (porConta: number, porIp: number) => createApp({
      config: t.config, dataSource: t.db.dataSource, sync: t.sync, verificarToken: t.tokens.verificador, logger: pino({ level: 'silent' }),
      conhecimento: { prefixo: `${prefixo}-${porConta}-${porIp}`, limites: { porConta, porIp, janelaS: 600 } },
    });
    const porConta = app(3, 1000);
    const a = await cidadao();
    for (let i = 0; i < 3; i++) await iniciar(a, porConta).expect(201);
    const recusa = await iniciar(a, porConta).expect(429);
    expect(recusa.body.message).toBe('Muitas tentativas de verificação por perguntas em pouco tempo: aguarde 10 minuto(s) e tente novamente');
    expect(Number(recusa.headers['retry-after'])).toBeGreaterThan(590);
    expect(Number(recusa.headers['retry-after'])).toBeLessThanOrEqual(600);
    // answers count too
    const aberta = await iniciar(a).expect(201);
    await responder(a, aberta.body.id, certas(aberta.body.perguntas), porConta).expect(429);
    // another account from the same app is not affected by a's counter…
    const b = await cidadao();
    await iniciar(b, porConta).expect(201);
    // …but the IP counter is shared by every account behind one address
    const porIp = app(1000, 2);
    const x = await cidadao();
    const y = await cidadao();
    await iniciar(x, porIp).expect(201);
    await iniciar(y, porIp).expect(201);
    await iniciar(y, porIp).expect(429);
    await iniciar(x, porIp).expect(429);
  });

  it('a wrong answer says nothing about which one was wrong: same status, same body, same time class', async () => {
    const corpos: unknown[] = [];
    const tempos: Record<number, number[]> = { 0: [], 3: [] };
    for (let i = 0; i < 8; i++) {
      const c = await cidadao();
      const inicio = await iniciar(c).expect(201);
      const errada = i % 2 === 0 ? 0 : 3;
      const t0 = performance.now();
      const res = await responder(c, inicio.body.id, erradaNa(inicio.body.perguntas, errada));
      tempos[errada].push(performance.now() - t0);
      corpos.push({ status: res.status, corpo: res.body, cabecalhos: Object.keys(res.headers).filter((h) => !['date', 'etag', 'content-length', 'x-request-id'].includes(h)).sort() });
    }
    expect(new Set(corpos.map((c) => JSON.stringify(c))).size).toBe(1);
    expect(corpos[0]).toMatchObject({ status: 200, corpo: { aprovada: false, mensagem: 'As respostas não conferem com o cadastro base.', tentativasRestantes: 2, bloqueadaAte: null } });
    const mediana = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    // the grading visits every question (no early exit) and the failure path does the same writes whatever was wrong
    expect(Math.abs(mediana(tempos[0]) - mediana(tempos[3]))).toBeLessThan(150);
  });
});

describe('expiry, bad input, other accounts', () => {
  it('a check answered after 10 minutes is refused (422), and counts as no failure', async () => {
    const c = await cidadao();
    const inicio = await iniciar(c).expect(201);
    deslocamentoMs += 10 * 60_000 + 1000;
    const res = await responder(c, inicio.body.id, certas(inicio.body.perguntas)).expect(422);
    expect(res.body.message).toBe('O prazo para responder esta verificação acabou: comece outra');
    expect((await iniciar(c).expect(201)).body.tentativasRestantes).toBe(3);
  });

  it('malformed answers are a 400 that names the problem, writes nothing and is not a failure', async () => {
    const c = await cidadao();
    const inicio = await iniciar(c).expect(201);
    const p = inicio.body.perguntas as Pergunta[];
    const antes = await contagens(t.db);
    const casos: [unknown, string][] = [
      [{ respostas: certas(p).slice(1) }, 'Responda todas as perguntas: faltam p1'],
      [{ respostas: [...certas(p), { pergunta: 'p9', opcao: 'a' }] }, 'A pergunta p9 não faz parte desta verificação'],
      [{ respostas: [...certas(p).slice(0, 3), { pergunta: 'p1', opcao: 'a' }] }, 'A pergunta p1 foi respondida mais de uma vez'],
      [{ respostas: [{ pergunta: 'p1', opcao: 'z' }] }, 'opcao deve ser a letra de uma opção (a a e)'],
      [{ respostas: 'abc' }, 'respostas deve ser uma lista de { pergunta, opcao }'],
      [{ respostas: certas(p), extra: 1 }, 'extra'],
    ];
    for (const [corpo, mensagem] of casos) {
      const res = await request(t.app).post(`/me/verificacao-conhecimento/${inicio.body.id as string}/respostas`).set('authorization', `Bearer ${c.token}`).send(corpo as object);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(mensagem);
    }
    await iniciar(c).send({ qualquer: 1 }).expect(400);
    await request(t.app).post('/me/verificacao-conhecimento/nao-e-uuid/respostas').set('authorization', `Bearer ${c.token}`).send({ respostas: [] }).expect(400);
    expect(await contagens(t.db)).toEqual(antes);
    const [v] = await t.db.dataSource.query(`SELECT situacao FROM verificacao_conhecimento WHERE id = $1`, [inicio.body.id]);
    expect(v.situacao).toBe('aberta');
    const [k] = await t.db.dataSource.query(`SELECT falhas FROM conhecimento_conta WHERE conta_id = $1`, [c.sub]);
    expect(k.falhas).toBe(0);
  });

  it('another account\'s check is not found; a token without the cidadao role is refused; no token is 401', async () => {
    const a = await cidadao();
    const b = await cidadao();
    const inicio = await iniciar(a).expect(201);
    await responder(b, inicio.body.id, certas(inicio.body.perguntas)).expect(404);
    const servico = await t.tokens.emitir({ roles: ['gestor-saude'] });
    await request(t.app).post('/me/verificacao-conhecimento').set('authorization', `Bearer ${servico}`).expect(403);
    await request(t.app).post('/me/verificacao-conhecimento').expect(401);
  });
});

describe('nothing leaks', () => {
  it('no log line and no audit row carries an option text or an answer; the audit chain is intact', async () => {
    const textos = Object.values(CERTAS);
    const logs = linhasDeLog.join('\n');
    expect(linhasDeLog.length).toBeGreaterThan(20);
    for (const x of textos) expect(logs).not.toContain(x);
    expect(logs).not.toMatch(/"opcao":|"respostas":|gabarito/);
    const auditoria = await t.db.dataSource.query(`SELECT detalhe::text AS d FROM auditoria WHERE finalidade = 'verificacao-conhecimento'`);
    expect(auditoria.length).toBeGreaterThan(10);
    for (const { d } of auditoria as { d: string }[]) {
      for (const x of textos) expect(d).not.toContain(x);
      expect(d).not.toMatch(/opcao|respostas|gabarito/);
    }
    expect(await verificarCadeia(t.db.dataSource)).toMatchObject({ ok: true, quebra: null });
  });
});
