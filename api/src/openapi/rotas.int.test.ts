import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { criarAppDeTeste, type AppDeTeste } from '../../test/helpers/app.js';
import { listarRotas } from './rotas.js';

let t: AppDeTeste;
beforeAll(async () => {
  t = await criarAppDeTeste('rotas');
});
afterAll(async () => {
  await t?.fechar();
});

it('lists the routes of the real app, with mount paths', () => {
  const rotas = listarRotas(t.app).map((r) => `${r.metodo} ${r.caminho}`);
  expect(rotas).toEqual(expect.arrayContaining(['GET /me', 'PATCH /me/pessoa', 'GET /pessoas/:cpf', 'GET /health/live']));
});
