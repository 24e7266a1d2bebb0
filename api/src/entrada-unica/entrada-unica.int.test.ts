/**
 * Entrada Única on real PostgreSQL/Redis: no lost update under 50 concurrent conflicting PATCHes; batch rows and
 * Keycloak events through the same pipeline (survivorship, alternatives, review items); the review queue; a
 * change that moves the confidence level recomputes it and enqueues the Keycloak sync.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { jobIdDaSaida } from '../../test/helpers/saida.js';
import { PoliticaNegada } from '../pmcc/politica-negada.error.js';
import { entradaUnica, PASSOS, type DepsEntradaUnica } from './pipeline.js';
import { relogio } from '../relogio.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

let t: AppDeTeste;
let gestor: string;
let deps: DepsEntradaUnica;
const ctxCarga = { ator: 'carga-siga', cliente: null, finalidade: 'carga-em-lote' };

beforeAll(async () => {
  t = await criarAppDeTeste('entrada-unica');
  gestor = await t.tokens.gestor('gestora.maria');
  deps = { dataSource: t.db.dataSource, fila: t.sync.fila, logger: pino({ level: 'silent' }) };
});
afterAll(async () => {
  await t?.fechar();
});

const auth = (r: request.Test, token = gestor) => r.set('Authorization', `Bearer ${token}`);
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => t.db.dataSource.query<T[]>(sql, p);

async function criar(corpo: Record<string, unknown>) {
  return auth(request(t.app).post('/pessoas')).send(corpo).expect(201);
}

it('lists its steps in order', () => {
  expect(PASSOS).toEqual(['validar', 'decidir-pmcc', 'persistir', 'auditar', 'recalcular-nivel', 'enfileirar-sync']);
});

describe('no lost update', () => {
  it('50 concurrent conflicting PATCHes: each applied in some order or 409; final state and history agree', async () => {
    const cpf = cpfAleatorio();
    await criar({ cpf, nome: 'Concorrida', dataNascimento: '1980-01-01', nomeSocial: 'inicial' });
    // Every request read version 1… and half of them re-read and retry once, so more than one can win.
    const uma = async (i: number) => {
      let r = await auth(request(t.app).patch(`/pessoas/${cpf}`)).set('If-Match', '"v1"').send({ nomeSocial: `valor-${i}` });
      if (r.status === 409 && i % 2 === 0) {
        const atual = await auth(request(t.app).get(`/pessoas/${cpf}`));
        r = await auth(request(t.app).patch(`/pessoas/${cpf}`)).set('If-Match', atual.headers['etag']).send({ nomeSocial: `valor-${i}` });
      }
      return { i, status: r.status, versao: r.body?.registro?.versao as number | undefined, ...(r.status === 200 || r.status === 409 ? {} : { corpo: r.body as unknown }) };
    };
    const resultados = await Promise.all(Array.from({ length: 50 }, (_, i) => uma(i)));
    expect(resultados.filter((r) => r.status !== 200 && r.status !== 409)).toEqual([]);
    const aplicados = resultados.filter((r) => r.status === 200).sort((a, b) => a.versao! - b.versao!);
    expect(aplicados.length).toBeGreaterThanOrEqual(1);
    // Versions 2..n+1, each exactly once: nobody overwrote anybody silently.
    expect(aplicados.map((a) => a.versao)).toEqual(aplicados.map((_, k) => k + 2));

    const [final] = await q<{ nome_social: string; versao: number }>(`SELECT nome_social, versao FROM pessoa WHERE cpf = $1`, [cpf]);
    const ultimo = aplicados[aplicados.length - 1];
    expect(final).toEqual({ nome_social: `valor-${ultimo.i}`, versao: ultimo.versao });
    const historico = await q<{ valor: string; versao_registro: number; estado: string }>(
      `SELECT valor, versao_registro, estado FROM valor_campo WHERE chave = $1 AND campo = 'nomeSocial' ORDER BY id`,
      [cpf],
    );
    expect(historico.map((h) => h.valor)).toEqual(['inicial', ...aplicados.map((a) => `valor-${a.i}`)]);
    expect(historico.map((h) => h.versao_registro)).toEqual([1, ...aplicados.map((a) => a.versao)]);
    expect(historico.filter((h) => h.estado === 'vigente')).toHaveLength(1);
    const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM auditoria WHERE pessoa_cpf = $1 AND acao = 'pessoa.alterada'`, [cpf]);
    expect(n).toBe(aplicados.length);
  });
});

describe('batch rows and Keycloak events through the same pipeline', () => {
  it('survivorship: higher source wins (critical → review), lower source kept as alternative (+ review when critical)', async () => {
    const cpf = cpfAleatorio();
    const carga = (fonte: 'receita-federal' | 'smads-bdc' | 'fazenda', corpo: Record<string, unknown>, observadoEm = relogio().agora().toISOString()) =>
      entradaUnica(deps, { entidade: 'pessoa', tipo: 'alterar', chave: cpf, corpo, ator: { tipo: 'carga', fonte, lote: 'L1' }, chaveFonte: `${fonte}:linha-7`, observadoEm, contexto: ctxCarga, modo: 'tolerante' });
    await entradaUnica(deps, { entidade: 'pessoa', tipo: 'criar', corpo: { cpf, nome: 'Jose Silva', dataNascimento: '1970-01-01', genero: 'masculino' }, ator: { tipo: 'carga', fonte: 'fazenda' }, contexto: ctxCarga, modo: 'tolerante' });

    const baixa = await carga('smads-bdc', { nome: 'José Souza', genero: 'nao-informado' });
    expect(baixa.mudancas.map((m) => [m.campo, m.decisao.resultado, m.decisao.codigo])).toEqual([
      ['nome', 'aceitar-e-revisar', 'PRECEDENCIA_INFERIOR'],
      ['genero', 'rejeitar', 'PRECEDENCIA_INFERIOR'],
    ]);
    expect(baixa.registro).toMatchObject({ nome: 'Jose Silva', genero: 'masculino', versao: 1 });
    expect(baixa.revisoesAbertas).toHaveLength(1);

    const alta = await carga('receita-federal', { nome: 'JOSÉ PEREIRA' });
    expect(alta.mudancas[0].decisao.codigo).toBe('SOBRESCRITA_DE_CAMPO_CRITICO');
    expect(alta.registro).toMatchObject({ nome: 'JOSÉ PEREIRA', versao: 2 });
    // The same name without accents, or with a middle name, from any source is not a conflict (variantes-nome.ts).
    expect((await carga('smads-bdc', { nome: 'JOSE PEREIRA' })).mudancas).toEqual([]);
    const completo = await carga('smads-bdc', { nome: 'JOSÉ CARLOS PEREIRA' });
    expect(completo.mudancas.map((m) => [m.campo, m.decisao.resultado, m.decisao.codigo])).toEqual([['nome', 'aceitar', 'VARIANTE_DE_NOME']]);
    expect(completo.registro).toMatchObject({ nome: 'JOSÉ CARLOS PEREIRA', versao: 3 });
    expect(completo.revisoesAbertas).toEqual([]);

    const nomes = await q<{ valor: string; estado: string; fonte: string; chave_fonte: string | null }>(
      `SELECT valor, estado, fonte, chave_fonte FROM valor_campo WHERE chave = $1 AND campo = 'nome' ORDER BY id`,
      [cpf],
    );
    expect(nomes).toEqual([
      { valor: 'Jose Silva', estado: 'alternativo', fonte: 'fazenda', chave_fonte: null },
      { valor: 'José Souza', estado: 'alternativo', fonte: 'smads-bdc', chave_fonte: 'smads-bdc:linha-7' },
      { valor: 'JOSÉ PEREIRA', estado: 'historico', fonte: 'receita-federal', chave_fonte: 'receita-federal:linha-7' },
      { valor: 'JOSÉ CARLOS PEREIRA', estado: 'vigente', fonte: 'smads-bdc', chave_fonte: 'smads-bdc:linha-7' },
    ]);
    const generos = await q<{ valor: string; estado: string }>(`SELECT valor, estado FROM valor_campo WHERE chave = $1 AND campo = 'genero' ORDER BY id`, [cpf]);
    expect(generos).toEqual([{ valor: 'masculino', estado: 'vigente' }, { valor: 'nao-informado', estado: 'alternativo' }]);
    const revisoes = await q<{ campo: string; codigo: string; situacao: string }>(`SELECT campo, codigo, situacao FROM revisao WHERE chave = $1 ORDER BY id`, [cpf]);
    expect(revisoes).toEqual([
      { campo: 'nome', codigo: 'PRECEDENCIA_INFERIOR', situacao: 'aberta' },
      { campo: 'nome', codigo: 'SOBRESCRITA_DE_CAMPO_CRITICO', situacao: 'aberta' },
    ]);

    // Strict mode (steward/citizen) refuses instead: óbito from a batch source other than SIRC.
    await expect(
      entradaUnica(deps, { entidade: 'pessoa', tipo: 'alterar', chave: cpf, corpo: { obitoRegistro: { data: '2026-01-01', fonte: 'sirc', certidao: '2'.repeat(32) } }, ator: { tipo: 'carga', fonte: 'fazenda' }, contexto: ctxCarga }),
    ).rejects.toBeInstanceOf(PoliticaNegada);
  });

  it('a Keycloak event may set vínculo gov.br and a verified e-mail, not the civil name', async () => {
    const cpf = cpfAleatorio();
    await criar({ cpf, nome: 'Carla Dias', dataNascimento: '1991-02-02' });
    const r = await entradaUnica(deps, {
      entidade: 'pessoa', tipo: 'alterar', chave: cpf, ator: { tipo: 'evento-keycloak', fonte: 'keycloak' }, chaveFonte: 'evento:123', modo: 'tolerante',
      contexto: { ator: 'keycloak', cliente: null, finalidade: 'evento-login-unico' },
      corpo: { vinculoGovbr: { referencia: 'govbr-sub-abc', origem: 'gov.br' }, emails: [{ endereco: 'carla@exemplo.com', verificado: true }], nome: 'Carla' },
    });
    expect(r.mudancas.map((m) => `${m.campo}:${m.decisao.codigo}`)).toEqual(['nome:ATOR_NAO_AUTORIZADO', 'emails:ACEITO', 'vinculoGovbr:ACEITO']);
    expect(r.registro).toMatchObject({ nome: 'Carla Dias', emails: [{ endereco: 'carla@exemplo.com', verificado: true }] });
    const [descartado] = await q<{ estado: string }>(`SELECT estado FROM valor_campo WHERE chave = $1 AND campo = 'nome' AND fonte = 'keycloak'`, [cpf]);
    expect(descartado.estado).toBe('descartado');
  });

  it('a citizen may only request a name change: kept as alternative + review; the steward adopts it after claiming', async () => {
    const cpf = cpfAleatorio();
    await criar({ cpf, nome: 'Paulo Sousa', dataNascimento: '1985-05-05' });
    const pedido = await entradaUnica(deps, {
      entidade: 'pessoa', tipo: 'alterar', chave: cpf, corpo: { nome: 'Paulo de Sousa' }, ator: { tipo: 'cidadao', cpf },
      contexto: { ator: cpf, cliente: 'portal-cidadao', finalidade: 'autoatendimento' },
    });
    expect(pedido.mudancas[0].decisao).toMatchObject({ resultado: 'aceitar-e-revisar', codigo: 'SOLICITACAO_DO_CIDADAO', aplicar: false });
    expect(pedido.registro['nome']).toBe('Paulo Sousa');
    const [id] = pedido.revisoesAbertas;

    const lista = await auth(request(t.app).get('/revisoes').query({ situacao: 'aberta', chave: cpf })).expect(200);
    expect(lista.body.itens).toHaveLength(1);
    expect(lista.body.itens[0]).toMatchObject({ id, campo: 'nome', codigo: 'SOLICITACAO_DO_CIDADAO', alternativa: { valor: 'Paulo de Sousa', fonte: 'autodeclarado', ator: cpf } });

    const semAssumir = await auth(request(t.app).post(`/revisoes/${id}/resolver`)).send({ resolucao: 'adotar-alternativo', justificativa: 'certidão conferida' }).expect(409);
    expect(semAssumir.body.message).toBe('Assuma o item de revisão (POST /revisoes/:id/assumir) antes de resolvê-lo');
    await auth(request(t.app).post(`/revisoes/${id}/assumir`)).expect(200);
    const outro = await t.tokens.gestor('gestor.joao');
    await auth(request(t.app).post(`/revisoes/${id}/assumir`), outro).expect(409);
    // The name needs documentary evidence (PMCC), also when it comes from the queue.
    const semEvidencia = await auth(request(t.app).post(`/revisoes/${id}/resolver`)).send({ resolucao: 'adotar-alternativo', justificativa: 'conferido' }).expect(422);
    expect(semEvidencia.body.recusas[0].codigo).toBe('EVIDENCIA_OBRIGATORIA');
    const ok = await auth(request(t.app).post(`/revisoes/${id}/resolver`))
      .send({ resolucao: 'adotar-alternativo', justificativa: 'certidão conferida', evidencia: { tipo: 'certidao-nascimento', numero: '42' } })
      .expect(200);
    expect(ok.body).toMatchObject({ situacao: 'resolvida', resolucao: 'adotar-alternativo', responsavel: 'gestora.maria' });
    const [p] = await q<{ nome: string; versao: number }>(`SELECT nome, versao FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ nome: 'Paulo de Sousa', versao: 2 });
    await auth(request(t.app).post(`/revisoes/${id}/resolver`)).send({ resolucao: 'manter-vigente', justificativa: 'de novo' }).expect(409);
  });
});

describe('confidence level', () => {
  it('registering a death recomputes the linked account (3 → 1), writes its outbox row and enqueues the Keycloak sync after commit', async () => {
    const cpf = cpfAleatorio();
    await criar({ cpf, nome: 'Rita Lopes', dataNascimento: '1950-01-01' });
    const conta = randomUUID();
    await q(`INSERT INTO conta (keycloak_user_id, username, cpf_declarado, pessoa_cpf, nivel_confianca, nivel_versao) VALUES ($1, $2, $3, $3, 3, 1)`, [conta, cpf, cpf]);
    await q(`INSERT INTO evidencia (conta_id, tipo, pessoa_cpf, registrado_por) VALUES ($1, 'vinculo-confirmado-gestor', $2, 'gestora.maria')`, [conta, cpf]);

    const obito = { data: '2026-11-01', fonte: 'sirc', certidao: '3'.repeat(32) };
    const r = await entradaUnica(deps, { entidade: 'pessoa', tipo: 'alterar', chave: cpf, corpo: { obitoRegistro: obito }, ator: { tipo: 'carga', fonte: 'sirc' }, contexto: ctxCarga, modo: 'tolerante' });
    expect(r.registro).toMatchObject({ obito: true, obitoRegistro: obito });
    const [c] = await q<{ nivel_confianca: number; nivel_versao: number }>(`SELECT nivel_confianca, nivel_versao FROM conta WHERE keycloak_user_id = $1`, [conta]);
    expect(c).toEqual({ nivel_confianca: 1, nivel_versao: 2 });
    expect(r.sincronizacoes).toEqual([(await jobIdDaSaida(t.db.dataSource, conta, 2))]);
    const job = await t.sync.fila.getJob((await jobIdDaSaida(t.db.dataSource, conta, 2)));
    expect(job?.data).toEqual({ saidaId: expect.any(String), contaId: conta, versao: 2 });

    // A steward reactivating a wrongly recorded death (error correction, with evidence) brings it back to 3.
    const atual = await auth(request(t.app).get(`/pessoas/${cpf}`)).expect(200);
    const corr = await auth(request(t.app).patch(`/pessoas/${cpf}`)).set('If-Match', atual.headers['etag'])
      .send({ obitoRegistro: null, evidencia: { tipo: 'decisao-judicial', numero: 'proc-1' } }).expect(200);
    expect(corr.body.sincronizacoes).toEqual([(await jobIdDaSaida(t.db.dataSource, conta, 3))]);
    const [c2] = await q<{ nivel_confianca: number }>(`SELECT nivel_confianca FROM conta WHERE keycloak_user_id = $1`, [conta]);
    expect(c2.nivel_confianca).toBe(3);
  });
});
