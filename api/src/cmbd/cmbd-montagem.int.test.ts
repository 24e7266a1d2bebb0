/**
 * The CMBD as mounted in the real app (`createApp`): the open data is public, the /cmbd routes need a token but
 * NOT a steward role (they apply their own), and a steward role alone does not edit the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { baseValida } from './cmbd.fixtures.js';
import { usarRelogioDosTestes } from '../../../test/support/relogio.js';

// Dates in this file are relative to the tests' "today", 2026-11-16 (test/support/relogio.ts), not to the day it runs.
usarRelogioDosTestes();

let t: AppDeTeste;

beforeAll(async () => {
  t = await criarAppDeTeste('cmbd-montagem');
});

afterAll(async () => {
  await t?.fechar();
});

describe('CMBD routes in createApp', () => {
  it('public: the page and (before any publication) a pt-BR 404 for the data, without a token', async () => {
    const pagina = await request(t.app).get('/dados-abertos/cmbd').expect(200);
    expect(pagina.headers['content-type']).toMatch(/^text\/html/);
    expect(pagina.text).toContain('<html lang="pt-BR">');
    const csv = await request(t.app).get('/dados-abertos/cmbd.csv').expect(404);
    expect(csv.body.message).toBe('Nenhum catálogo do CMBD publicado ainda');
  });

  it('/cmbd needs a token; CMBD roles pass without any steward role; a steward role alone cannot edit', async () => {
    await request(t.app).get('/cmbd/orgaos').expect(401);
    const cgm = await t.tokens.emitir({ username: 'cgm.dta', roles: ['cmbd-cgm'] });
    await request(t.app).put('/cmbd/orgaos/SMADS').set('Authorization', `Bearer ${cgm}`).send({ nome: 'Secretaria Municipal de Assistência e Desenvolvimento Social' }).expect(201);
    const focal = await t.tokens.emitir({ username: 'focal.smads', roles: ['cmbd-ponto-focal', 'cmbd-orgao-smads'] });
    await request(t.app).post('/cmbd/bases').set('Authorization', `Bearer ${focal}`).send(baseValida()).expect(201);
    const gestor = await t.tokens.gestor();
    await request(t.app).get('/cmbd/bases').set('Authorization', `Bearer ${gestor}`).expect(200);
    await request(t.app).post('/cmbd/bases').set('Authorization', `Bearer ${gestor}`).send(baseValida({ titulo: 'Outra' })).expect(403);
  });
});
