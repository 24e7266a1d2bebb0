/**
 * Sign-ins through Gov.br reaching the API (docs/govbr.md): the listener's LOGIN / IDENTITY_PROVIDER_FIRST_LOGIN
 * events with identity_provider=govbr carry Gov.br's id_token; the API verifies it against the real simulator's keys
 * (started here, over HTTP) and records the evidence, the link to the master record and the level.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { tokensDoSimulador } from '../../../test/support/govbr.js';
import { iniciarSimuladorGovbr, type SimuladorGovbr } from '../../../scripts/support/govbr/simulador.js';
import type { CidadaoGovbr } from '../../../scripts/support/govbr/cidadaos.js';
import { criarAppDeTeste, contagens, type AppDeTeste } from '../../test/helpers/app.js';
import { cpfAleatorio } from '../../test/helpers/cpfs.js';
import { cabecalhosAssinados } from '../../test/helpers/eventos.js';
import { jobIdDaSaida } from '../../test/helpers/saida.js';
import { Conta } from '../contas/conta.entity.js';
import { Evidencia } from '../contas/evidencia.entity.js';

const CLIENTE = { clientId: 'teste-api.prefeitura.sp.gov.br', clientSecret: 'segredo', redirectUri: 'http://localhost:4999/broker/govbr/endpoint' };
const SENHA = 'Senha-1';

const cidadao = (cpf: string, selos: Array<[string, string]>): CidadaoGovbr => ({
  cpf, senha: SENHA, nome: 'Joana Prado Lima', email: `${cpf}@exemplo.com.br`, emailVerificado: true, amr: ['passwd', 'mfa', 'otp'],
  selos: selos.map(([id, atualizadoEm]) => ({ id, atualizadoEm })),
});

const SEM_CADASTRO = cpfAleatorio();
const COM_CADASTRO = cpfAleatorio();
const OURO = cpfAleatorio();
const DEPOIS = cpfAleatorio();
const CIDADAOS = [
  cidadao(DEPOIS, [['201', '2024-01-01T10:00:00.000-0300']]),
  cidadao(SEM_CADASTRO, [['201', '2024-03-10T09:15:22.104-0300'], ['401', '2025-11-02T18:40:05.871-0300']]),
  cidadao(COM_CADASTRO, [['201', '2023-01-01T10:00:00.000-0300'], ['610', '2025-05-05T11:00:00.000-0300']]),
  cidadao(OURO, [['201', '2022-01-01T10:00:00.000-0300'], ['701', '2024-02-02T10:00:00.000-0300'], ['801', '2025-03-03T10:00:00.000-0300']]),
];

let sim: SimuladorGovbr;
let outro: SimuladorGovbr;
let t: AppDeTeste;
let gestor: string;

beforeAll(async () => {
  const opcoes = { porta: 0, portaApi: 0, clientes: [{ ...CLIENTE, redirectUris: [CLIENTE.redirectUri], postLogoutRedirectUris: [] }], cidadaos: CIDADAOS };
  [sim, outro] = await Promise.all([iniciarSimuladorGovbr(opcoes), iniciarSimuladorGovbr(opcoes)]);
  t = await criarAppDeTeste('govbr', { env: { LUM_GOVBR_ISSUER: sim.issuer, LUM_GOVBR_CLIENT_ID: CLIENTE.clientId } });
  gestor = await t.tokens.gestor('gestor.govbr');
});

afterAll(async () => {
  await t?.fechar();
  await Promise.all([sim?.parar(), outro?.parar()]);
});

async function idToken(cpf: string, de: SimuladorGovbr = sim, extra: Record<string, string | null> = {}): Promise<string> {
  return String((await tokensDoSimulador(de, CLIENTE, cpf, SENHA, extra)).tokens.id_token);
}

function eventoGovbr(cpf: string, o: { tipo?: 'LOGIN' | 'IDENTITY_PROVIDER_FIRST_LOGIN'; userId?: string; idToken?: string; username?: string; provedor?: string }) {
  const username = o.username ?? cpf;
  return {
    id: randomUUID(),
    type: o.tipo ?? 'LOGIN',
    realm: 'prefeitura-sp',
    clientId: 'sf-fazenda',
    userId: o.userId ?? randomUUID(),
    time: Date.now(),
    details: { identity_provider: o.provedor ?? 'govbr', identity_provider_identity: cpf, username },
    user: { username, email: `${cpf}@exemplo.com.br`, firstName: 'Joana Prado', lastName: 'Lima', attributes: { cpf: [username] } },
    ...(o.idToken === undefined ? {} : { govbr: { idToken: o.idToken } }),
  };
}

function enviar(evento: object) {
  const corpo = JSON.stringify(evento);
  return request(t.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo);
}

const conta = (id: string) => t.db.dataSource.manager.findOneByOrFail(Conta, { keycloakUserId: id });

describe('a sign-in through Gov.br', () => {
  it('without a master record: the account is created at level 2 with the Gov.br evidence (level, seals and dates, amr), audited, and synced', async () => {
    const evento = eventoGovbr(SEM_CADASTRO, { idToken: await idToken(SEM_CADASTRO) });
    const res = await enviar(evento).expect(202);
    expect(res.body).toEqual({ id: evento.id, tipo: 'LOGIN', resultado: 'processado', sincronizacao: { jobId: await jobIdDaSaida(t.db.dataSource, evento.userId, 1) } });
    expect(await conta(evento.userId)).toMatchObject({ cpfDeclarado: SEM_CADASTRO, pessoaCpf: null, nivelConfianca: 2, nivelVersao: 1 });

    const [ev] = await t.db.dataSource.manager.findBy(Evidencia, { contaId: evento.userId });
    expect(ev).toMatchObject({
      tipo: 'govbr', pessoaCpf: SEM_CADASTRO, registradoPor: 'keycloak',
      detalhe: {
        nivelGovbr: 'prata', amr: ['passwd', 'mfa', 'otp'], fonte: 'id_token.reliability_info', eventoId: evento.id,
        selos: [
          { id: '201', codigo: 'cadastro_basico', nivel: 'bronze', atualizadoEm: '2024-03-10T09:15:22.104-0300' },
          { id: '401', codigo: 'biovalid_facial', nivel: 'prata', atualizadoEm: '2025-11-02T18:40:05.871-0300' },
        ],
      },
    });
    expect(typeof ev.detalhe['lidoEm']).toBe('string');
    const auditoria = await t.db.dataSource.query(`SELECT ator, campos, pessoa_cpf FROM auditoria WHERE acao = 'conta.evidencia-govbr' AND detalhe->>'contaId' = $1`, [evento.userId]);
    expect(auditoria).toEqual([{ ator: 'keycloak', campos: ['evidencias', 'nivel_confianca'], pessoa_cpf: SEM_CADASTRO }]);

    // the steward sees the evidence with its seals
    const lida = await request(t.app).get(`/contas/${evento.userId}`).set('Authorization', `Bearer ${gestor}`).expect(200);
    expect(lida.body.evidencias).toEqual([expect.objectContaining({ tipo: 'govbr', pessoaCpf: SEM_CADASTRO, detalhe: expect.objectContaining({ nivelGovbr: 'prata' }) })]);
  });

  it('with a master record of that CPF: level 3 and the account tied to the record', async () => {
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf: COM_CADASTRO, nome: 'Joana Prado Lima', dataNascimento: '1979-04-12' }).expect(201);
    const evento = eventoGovbr(COM_CADASTRO, { idToken: await idToken(COM_CADASTRO) });
    await enviar(evento).expect(202);
    expect(await conta(evento.userId)).toMatchObject({ pessoaCpf: COM_CADASTRO, nivelConfianca: 3 });
  });

  it('gold with biometric seals and seal 801: recorded and shown, level 3 by default (the seals count only by policy)', async () => {
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf: OURO, nome: 'Joana Prado Lima', dataNascimento: '1979-04-12' }).expect(201);
    const evento = eventoGovbr(OURO, { idToken: await idToken(OURO) });
    await enviar(evento).expect(202);
    expect((await conta(evento.userId)).nivelConfianca).toBe(3);
    const [ev] = await t.db.dataSource.manager.findBy(Evidencia, { contaId: evento.userId });
    expect(ev.detalhe).toMatchObject({ nivelGovbr: 'ouro', selos: [{ id: '201' }, { id: '701', codigo: 'tse_facial' }, { id: '801', codigo: 'certificado_digital' }] });
  });

  it('a master record created after the gov.br link raises the account to 3 (the write pipeline recomputes accounts whose evidence names the CPF)', async () => {
    const evento = eventoGovbr(DEPOIS, { idToken: await idToken(DEPOIS) });
    await enviar(evento).expect(202);
    expect((await conta(evento.userId)).nivelConfianca).toBe(2);
    await request(t.app).post('/pessoas').set('Authorization', `Bearer ${gestor}`).send({ cpf: DEPOIS, nome: 'Joana Prado Lima', dataNascimento: '1979-04-12' }).expect(201);
    expect((await conta(evento.userId)).nivelConfianca).toBe(3);
  });

  it('FIRST_LOGIN and LOGIN in either order give one account and one level', async () => {
    const cpf = SEM_CADASTRO;
    const userId = randomUUID();
    const token = await idToken(cpf);
    await enviar(eventoGovbr(cpf, { userId, idToken: token })).expect(202);
    await enviar(eventoGovbr(cpf, { userId, tipo: 'IDENTITY_PROVIDER_FIRST_LOGIN' })).expect(202);
    expect(await conta(userId)).toMatchObject({ nivelConfianca: 2 });
    expect(await t.db.dataSource.manager.countBy(Conta, { keycloakUserId: userId })).toBe(1);
  });

  it('every sign-in is one more reading (the evidence keeps each one)', async () => {
    const userId = randomUUID();
    await enviar(eventoGovbr(SEM_CADASTRO, { userId, idToken: await idToken(SEM_CADASTRO) })).expect(202);
    await enviar(eventoGovbr(SEM_CADASTRO, { userId, idToken: await idToken(SEM_CADASTRO) })).expect(202);
    expect(await t.db.dataSource.manager.countBy(Evidencia, { contaId: userId, tipo: 'govbr' })).toBe(2);
    expect((await conta(userId)).nivelVersao).toBe(1);
  });

  it('a Gov.br CPF that is not the account\'s is recorded but raises nothing', async () => {
    const outroCpf = cpfAleatorio();
    const evento = eventoGovbr(SEM_CADASTRO, { username: outroCpf, idToken: await idToken(SEM_CADASTRO) });
    await enviar(evento).expect(202);
    expect(await conta(evento.userId)).toMatchObject({ cpfDeclarado: outroCpf, pessoaCpf: null, nivelConfianca: 1 });
    expect(await t.db.dataSource.manager.countBy(Evidencia, { contaId: evento.userId, tipo: 'govbr' })).toBe(1);
  });

  it('without reliability_info (scope not granted) the link still counts; the evidence says where it came from', async () => {
    const evento = eventoGovbr(SEM_CADASTRO, { idToken: await idToken(SEM_CADASTRO, sim, { scope: 'openid email profile' }) });
    await enviar(evento).expect(202);
    expect((await conta(evento.userId)).nivelConfianca).toBe(2);
    const [ev] = await t.db.dataSource.manager.findBy(Evidencia, { contaId: evento.userId });
    expect(ev.detalhe).toMatchObject({ nivelGovbr: null, selos: [], fonte: 'id_token (sem reliability_info)' });
  });

  it('a LOGIN through another provider, or a gov.br LOGIN without a token, records nothing but the event', async () => {
    const antes = await contagens(t.db);
    const r1 = await enviar(eventoGovbr(SEM_CADASTRO, { provedor: 'outro', idToken: await idToken(SEM_CADASTRO) })).expect(202);
    const r2 = await enviar(eventoGovbr(SEM_CADASTRO, {})).expect(202);
    expect([r1.body.resultado, r2.body.resultado]).toEqual(['ignorado', 'ignorado']);
    const depois = await contagens(t.db);
    expect({ ...depois, evento_keycloak: antes.evento_keycloak }).toEqual(antes);
  });

  it('Gov.br\'s keys unreachable → 503 in pt-BR and nothing written, so the listener retries (and the recovery reads it later)', async () => {
    // Same issuer and client, but the keys are read from a port where nothing listens.
    const semChaves = await criarAppDeTeste('govbr-sem-chaves', {
      env: { LUM_GOVBR_ISSUER: sim.issuer, LUM_GOVBR_CLIENT_ID: CLIENTE.clientId, LUM_GOVBR_JWKS_URL: 'http://127.0.0.1:9/jwk' },
    });
    try {
      const antes = await contagens(semChaves.db);
      const corpo = JSON.stringify(eventoGovbr(SEM_CADASTRO, { idToken: await idToken(SEM_CADASTRO) }));
      const res = await request(semChaves.app).post('/eventos/keycloak').set(cabecalhosAssinados(corpo)).send(corpo).expect(503);
      expect(res.body).toMatchObject({ error: 'Indisponivel', message: 'As chaves do gov.br não puderam ser lidas agora; reenvie mais tarde' });
      expect(await contagens(semChaves.db)).toEqual(antes);
    } finally {
      await semChaves.fechar();
    }
  });

  describe('refuses a token Gov.br did not issue to us, writing nothing', () => {
    it.each<[string, () => Promise<string>, string]>([
      ['signed by another issuer\'s key', () => idToken(SEM_CADASTRO, outro), 'id_token do gov.br com assinatura inválida'],
      ['tampered payload', async () => {
        const [h, p, s] = (await idToken(SEM_CADASTRO)).split('.');
        const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
        return [h, Buffer.from(JSON.stringify({ ...claims, sub: COM_CADASTRO })).toString('base64url'), s].join('.');
      }, 'id_token do gov.br com assinatura inválida'],
      ['not a JWT', () => Promise.resolve('isto-nao-e-um-jwt'), 'id_token do gov.br com assinatura inválida'],
    ])('%s → 400', async (_caso, token, mensagem) => {
      const antes = await contagens(t.db);
      const res = await enviar(eventoGovbr(SEM_CADASTRO, { idToken: await token() })).expect(400);
      expect(res.body).toMatchObject({ error: 'DadosInvalidos', message: mensagem });
      expect(await contagens(t.db)).toEqual(antes);
    });
  });
});
