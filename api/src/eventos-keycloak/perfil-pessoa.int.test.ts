/**
 * Profile events on the signed endpoint (real PostgreSQL/Redis, no Keycloak): the cases the e2e test cannot provoke
 * through Keycloak's own forms — a verified e-mail, a value Keycloak accepted but our validation refuses, a linked
 * record that disappeared. Each is acknowledged (202) and its outcome is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados, eventoRegister, type EventoTeste } from '../../test/helpers/eventos.js';

let t: AppDeTeste;
let gestor: string;

beforeAll(async () => {
  t = await criarAppDeTeste('perfil-pessoa');
  gestor = await t.tokens.gestor('gestora.ana');
});
afterAll(async () => {
  await t?.fechar();
});

const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => t.db.dataSource.query<T[]>(sql, p);

function enviar(evento: object) {
  const corpo = JSON.stringify(evento);
  return request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo);
}

/** A registered account linked by a steward to a person whose e-mail is the account's. */
async function contaVinculada(): Promise<{ cpf: string; registro: EventoTeste }> {
  const cpf = cpfAleatorio();
  const registro = eventoRegister(cpf);
  await enviar(registro).expect(202);
  await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`)
    .send({ cpf, nome: 'Ana Souza', dataNascimento: '1990-01-01', emails: [{ endereco: `${cpf}@exemplo.test`, verificado: false }] }).expect(201);
  await request(t.app).post(`/contas/${registro.userId}/vinculo`).set('Authorization', `Bearer ${gestor}`)
    .send({ cpf, documento: { tipo: 'RG', numero: '123456789' } }).expect(200);
  return { cpf, registro };
}

describe('profile events of a linked account', () => {
  it('VERIFY_EMAIL marks the address verified, with the event as provenance', async () => {
    const { cpf, registro } = await contaVinculada();
    const evento = { ...registro, id: randomUUID(), time: Date.now(), type: 'VERIFY_EMAIL', clientId: 'portal-cidadao', details: { email: `${cpf}@exemplo.test` },
      user: { ...registro.user, emailVerified: true } };
    await enviar(evento).expect(202);
    const [p] = await q<{ emails: unknown; versao: number }>('SELECT emails, versao FROM pessoa WHERE cpf = $1', [cpf]);
    expect(p).toEqual({ emails: [{ endereco: `${cpf}@exemplo.test`, verificado: true }], versao: 2 });
    const [vc] = await q(`SELECT fonte, tipo_ator, ator, chave_fonte, evidencia FROM valor_campo WHERE chave = $1 AND campo = 'emails' AND estado = 'vigente'`, [cpf]);
    expect(vc).toEqual({ fonte: 'keycloak', tipo_ator: 'evento-keycloak', ator: registro.userId, chave_fonte: evento.id,
      evidencia: { tipo: 'evento-keycloak', evento: 'VERIFY_EMAIL', eventoId: evento.id, cliente: 'portal-cidadao', emailVerificado: true } });
    const acoes = await q<{ acao: string }>(`SELECT acao FROM auditoria WHERE pessoa_cpf = $1 AND finalidade = 'evento-keycloak' ORDER BY id`, [cpf]);
    expect(acoes.map((a) => a.acao)).toEqual(['pessoa.alterada', 'conta.email-verificado']);
  });

  it('a value our validation refuses is dropped and recorded; the other fields still go through the PMCC', async () => {
    const { cpf, registro } = await contaVinculada();
    const evento = { ...registro, id: randomUUID(), time: Date.now(), type: 'UPDATE_PROFILE', clientId: 'account',
      details: { context: 'ACCOUNT', previous_data_nascimento: '1990-01-01', updated_data_nascimento: '31/12/1990', previous_first_name: 'Ana', updated_first_name: 'Anna' },
      user: { ...registro.user, firstName: 'Anna' } };
    await enviar(evento).expect(202);

    const [p] = await q<{ nome: string; data_nascimento: string; versao: number }>(`SELECT nome, data_nascimento::text, versao FROM pessoa WHERE cpf = $1`, [cpf]);
    expect(p).toEqual({ nome: 'Ana Souza', data_nascimento: '1990-01-01', versao: 1 });
    const linhas = await q<{ campo: string; estado: string; codigo: string }>(
      `SELECT campo, estado, decisao->>'codigo' AS codigo FROM valor_campo WHERE chave_fonte = $1 ORDER BY id`, [evento.id]);
    expect(linhas).toEqual([{ campo: 'nome', estado: 'descartado', codigo: 'ATOR_NAO_AUTORIZADO' }]);
    const [recusa] = await q<{ detalhe: { recusas: Array<{ path: string }> } }>(`SELECT detalhe FROM auditoria WHERE acao = 'pessoa.evento-keycloak-recusado' AND pessoa_cpf = $1`, [cpf]);
    expect(recusa.detalhe.recusas.map((r) => r.path)).toEqual(['dataNascimento']);
    expect(await q('SELECT 1 FROM evento_keycloak WHERE id = $1', [evento.id])).toHaveLength(1);
  });

  it('an event observed before the current value loses (most recent source wins): kept as alternative, record unchanged, still 202', async () => {
    const { cpf, registro } = await contaVinculada();
    const evento = { ...registro, id: randomUUID(), time: Date.now() - 3_600_000, type: 'UPDATE_PROFILE', clientId: 'account',
      details: { previous_email: `${cpf}@exemplo.test`, updated_email: `antigo.${cpf}@exemplo.test` }, user: { ...registro.user, email: `antigo.${cpf}@exemplo.test` } };
    await enviar(evento).expect(202);
    expect((await q<{ emails: unknown }>('SELECT emails FROM pessoa WHERE cpf = $1', [cpf]))[0].emails).toEqual([{ endereco: `${cpf}@exemplo.test`, verificado: false }]);
    expect(await q(`SELECT estado, decisao->>'codigo' AS codigo FROM valor_campo WHERE chave_fonte = $1`, [evento.id]))
      .toEqual([{ estado: 'alternativo', codigo: 'VALOR_MAIS_ANTIGO' }]);
  });

  it('a change that proposes nothing for the person (locale) touches only the account', async () => {
    const { cpf, registro } = await contaVinculada();
    const evento = { ...registro, id: randomUUID(), type: 'UPDATE_PROFILE', details: { previous_locale: 'en', updated_locale: 'pt-BR' } };
    await enviar(evento).expect(202);
    expect(await q('SELECT 1 FROM valor_campo WHERE chave_fonte = $1', [evento.id])).toEqual([]);
    expect((await q<{ versao: number }>('SELECT versao FROM pessoa WHERE cpf = $1', [cpf]))[0].versao).toBe(1);
  });
});
