/**
 * Sign-ins with an ICP-Brasil certificate reaching the API (docs/certificado-icp.md): the listener's LOGIN event
 * carries `certificadoIcp`, the facts the `lum-certificado-icp` authenticator read from the certificate it validated.
 * The API appends evidence `certificado-icp`, ties the account to the master record and recomputes the level
 * (5 when the rules of api/src/confianca/calcular-nivel.ts hold); a malformed `certificadoIcp` is refused with 400 and
 * nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { criarAppDeTeste, contagens, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados } from '../../test/helpers/eventos.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';

const COM_CADASTRO = cpfAleatorio();
const SEM_CADASTRO = cpfAleatorio();
const OUTRO = cpfAleatorio();

let t: AppDeTeste;
let gestor: string;

beforeAll(async () => {
  t = await criarAppDeTeste('certificado');
  gestor = await t.tokens.gestor('gestor.certificado');
  await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf: COM_CADASTRO, nome: 'Maria da Silva', dataNascimento: '1980-03-15' }).expect(201);
});

afterAll(async () => {
  await t?.fechar();
});

const CERTIFICADO = {
  emissor: 'CN=AC Intermediaria de Teste LUM,OU=Testes,O=Prefeitura de Sao Paulo,C=BR',
  titular: 'CN=MARIA DA SILVA,OU=Pessoa Fisica A3,O=ICP-Brasil,C=BR',
  serial: '1a2b',
  validoDe: '2026-12-01T10:00:00Z',
  validoAte: '2027-12-01T10:00:00Z',
  sha256: 'ab'.repeat(32),
  verificadoEm: '2026-12-05T12:00:00Z',
};

function eventoCertificado(contaCpf: string, certificadoCpf: string, o: { userId?: string; certificado?: Record<string, unknown> } = {}) {
  return {
    id: randomUUID(),
    type: 'LOGIN',
    realm: 'prefeitura-sp',
    clientId: 'portal-cidadao',
    userId: o.userId ?? randomUUID(),
    time: Date.now(),
    details: { username: contaCpf, lum_certificado_icp: 'true' },
    user: { username: contaCpf, email: `${contaCpf}@exemplo.com.br`, firstName: 'Maria', lastName: 'da Silva', attributes: { cpf: [contaCpf] } },
    certificadoIcp: o.certificado ?? { ...CERTIFICADO, cpf: certificadoCpf },
  };
}

function enviar(evento: object) {
  const corpo = JSON.stringify(evento);
  return request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo);
}

const conta = (id: string) => t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: id });

describe('a sign-in with an ICP-Brasil certificate', () => {
  it('with a master record of the account\'s CPF: evidence certificado-icp (issuer, serial, validity), the account tied, level 5, audited', async () => {
    const evento = eventoCertificado(COM_CADASTRO, COM_CADASTRO);
    const res = await enviar(evento).expect(202);
    expect(res.body).toMatchObject({ id: evento.id, tipo: 'LOGIN', resultado: 'processado', sincronizacao: { jobId: expect.any(String) } });
    expect(await conta(evento.userId)).toMatchObject({ cpfDeclarado: COM_CADASTRO, pessoaCpf: COM_CADASTRO, nivelConfianca: 5 });
    const evidencias = await t.db.dataSource.manager.findBy(Evidencia, { contaId: evento.userId });
    expect(evidencias).toEqual([expect.objectContaining({
      tipo: 'certificado-icp', pessoaCpf: COM_CADASTRO, registradoPor: 'keycloak',
      detalhe: {
        emissor: 'CN=AC Intermediaria de Teste LUM,OU=Testes,O=Prefeitura de Sao Paulo,C=BR', titular: 'CN=MARIA DA SILVA,OU=Pessoa Fisica A3,O=ICP-Brasil,C=BR',
        serial: '1a2b', validoDe: '2026-12-01T10:00:00Z', validoAte: '2027-12-01T10:00:00Z', sha256: 'ab'.repeat(32),
        verificadoEm: '2026-12-05T12:00:00Z', eventoId: evento.id,
      },
    })]);
    const auditoria = await t.db.dataSource.query(`SELECT ator, campos, pessoa_cpf FROM auditoria WHERE acao = 'conta.evidencia-certificado-icp' AND detalhe->>'contaId' = $1`, [evento.userId]);
    expect(auditoria).toEqual([{ ator: 'keycloak', campos: ['evidencias', 'pessoa_cpf', 'nivel_confianca'], pessoa_cpf: COM_CADASTRO }]);
  });

  it('without a master record: the evidence is kept, the level stays 1 (level 5 needs a valid record)', async () => {
    const evento = eventoCertificado(SEM_CADASTRO, SEM_CADASTRO);
    await enviar(evento).expect(202);
    expect(await conta(evento.userId)).toMatchObject({ pessoaCpf: null, nivelConfianca: 1 });
    expect(await t.db.dataSource.manager.countBy(Evidencia, { contaId: evento.userId, tipo: 'certificado-icp' })).toBe(1);
  });

  it('a certificate CPF that is not the account\'s is recorded but raises nothing and ties nothing', async () => {
    const evento = eventoCertificado(OUTRO, COM_CADASTRO);
    await enviar(evento).expect(202);
    expect(await conta(evento.userId)).toMatchObject({ cpfDeclarado: OUTRO, pessoaCpf: null, nivelConfianca: 1 });
  });

  it.each([
    ['a CPF with a wrong check digit', { ...CERTIFICADO, cpf: '52998224724' }, 'certificadoIcp.cpf não é um CPF válido'],
    ['no issuer', { ...CERTIFICADO, emissor: undefined, cpf: COM_CADASTRO }, 'certificadoIcp.emissor é obrigatório'],
    ['a serial that is not hexadecimal', { ...CERTIFICADO, serial: 'xyz', cpf: COM_CADASTRO }, 'certificadoIcp.serial deve ser hexadecimal'],
    ['a validity that is not a date', { ...CERTIFICADO, validoAte: 'amanhã', cpf: COM_CADASTRO }, 'certificadoIcp.validoAte deve ser uma data ISO 8601'],
  ])('%s: 400 with the pt-BR reason, nothing written', async (_nome, certificado, mensagem) => {
    const antes = await contagens(t.db);
    const res = await enviar(eventoCertificado(COM_CADASTRO, COM_CADASTRO, { certificado })).expect(400);
    expect(JSON.stringify(res.body)).toContain(mensagem);
    expect(await contagens(t.db)).toEqual(antes);
  });
});
