import { describe, expect, it, beforeAll } from '@jest/globals';
import express from 'express';
import { generateKeyPair } from 'jose';
import { pino } from 'pino';
import request from 'supertest';
import { criarEmissorTeste, type EmissorTeste } from '../../test/helpers/tokens.js';
import { errorHandler } from '../errors/error-handler.js';
import { autenticar, exigirAlgumPapel, exigirPapel } from './autenticacao.middleware.js';

let emissor: EmissorTeste;
let app: express.Express;

beforeAll(async () => {
  emissor = await criarEmissorTeste();
  app = express();
  app.use(autenticar(emissor.verificador));
  app.get('/eu', (req, res) => {
    res.json(req.principal);
  });
  app.get('/gestao', exigirPapel('gestor-cadastro'), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler(pino({ level: 'silent' })));
});

describe('autenticar', () => {
  it('puts sub, username, realm roles and azp on the request', async () => {
    const token = await emissor.emitir({ sub: 'abc', username: 'gestora.maria', roles: ['gestor-cadastro'], azp: 'portal-gestor' });
    const res = await request(app).get('/eu').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ sub: 'abc', username: 'gestora.maria', roles: ['gestor-cadastro'], clientId: 'portal-gestor', orgaos: ['cadastro'], cpf: null });
  });

  it('derives the organs from the steward roles and reads a well-formed cpf claim', async () => {
    const token = await emissor.emitir({ roles: ['gestor-fazenda', 'gestor-saude', 'cidadao', 'gestor-inexistente'], extra: { cpf: '52998224725' } });
    const res = await request(app).get('/eu').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({ orgaos: ['saude', 'fazenda'], cpf: '52998224725' });
    const malformado = await emissor.emitir({ roles: ['cidadao'], extra: { cpf: '529.982.247-25' } });
    expect((await request(app).get('/eu').set('Authorization', `Bearer ${malformado}`).expect(200)).body.cpf).toBeNull();
  });

  it('401 in pt-BR without a token', async () => {
    const res = await request(app).get('/eu').expect(401);
    expect(res.body).toMatchObject({ error: 'NaoAutenticado', message: expect.stringContaining('token de acesso') });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it.each<[string, () => Promise<string>]>([
    ['wrong issuer', () => emissor.emitir({ issuer: 'http://outro/realms/prefeitura-sp' })],
    ['wrong audience', () => emissor.emitir({ audience: 'outra-api' })],
    ['expired', () => emissor.emitir({ expiraEmS: -120 })],
    ['signed by another key', async () => emissor.emitir({ chave: (await generateKeyPair('RS256')).privateKey })],
    ['not a JWT', async () => 'abc.def.ghi'],
  ])('401 for a token with %s', async (_caso, token) => {
    const res = await request(app).get('/eu').set('Authorization', `Bearer ${await token()}`).expect(401);
    expect(res.body.error).toBe('NaoAutenticado');
  });

  it('401 for a non-Bearer scheme', async () => {
    await request(app).get('/eu').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });
});

describe('exigirPapel', () => {
  it('403 in pt-BR for a citizen', async () => {
    const res = await request(app).get('/gestao').set('Authorization', `Bearer ${await emissor.cidadao()}`).expect(403);
    expect(res.body).toMatchObject({ error: 'Proibido', message: expect.stringContaining('gestores do cadastro') });
  });

  it('exigirAlgumPapel: any one of the roles passes, none → 403 with the given message', async () => {
    const app2 = express();
    app2.use(autenticar(emissor.verificador));
    app2.get('/x', exigirAlgumPapel(['gestor-saude', 'gestor-fazenda'], 'Só gestores'), (_req, res) => {
      res.json({ ok: true });
    });
    app2.use(errorHandler(pino({ level: 'silent' })));
    await request(app2).get('/x').set('Authorization', `Bearer ${await emissor.emitir({ roles: ['gestor-fazenda'] })}`).expect(200);
    const res = await request(app2).get('/x').set('Authorization', `Bearer ${await emissor.cidadao()}`).expect(403);
    expect(res.body.message).toBe('Só gestores');
  });

  it('passes a steward', async () => {
    await request(app).get('/gestao').set('Authorization', `Bearer ${await emissor.gestor()}`).expect(200);
  });
});
